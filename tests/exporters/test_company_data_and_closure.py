"""The company's own data: it downloads everything the tracker holds about it (JSON or CSV),
and nothing of anyone else's; it asks to close its account, an officer of the programme
confirms in the admin, and the personal data are removed while the registration's history
still says who approved what."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from axes.models import AccessFailureLog
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from exporters.models import ExporterProfile, ExporterStatus
from exporters.services.closure import exporter_close
from exporters.services.registrations import exporter_approve
from programs.models import Delivery, Notification
from tests.factories import (
    DeliveryFactory,
    ExporterProfileFactory,
    InitiativeFactory,
    NotificationFactory,
)

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-2026"  # every factory user's password
CHANGELIST = reverse("admin:exporters_exporterprofile_changelist")


@pytest.fixture
def reviewer(officer):
    InitiativeFactory(code="FOOD-EXPORT", owner=officer, reviews_exporter_registrations=True)
    return officer


@pytest.fixture
def minato(reviewer, django_capture_on_commit_callbacks):
    profile = ExporterProfileFactory(
        company_name="=HYPERLINK(\"http://evil.example\")みなと水産", contact_name="輸出 太郎",
        user__username="export@minato.example.jp", status=ExporterStatus.PENDING_APPROVAL)
    with django_capture_on_commit_callbacks(execute=True):
        exporter_approve(profile=profile, by=reviewer)
    NotificationFactory(recipient=profile.user, title="みなと宛ての通知")
    return ExporterProfile.objects.get(pk=profile.pk)


@pytest.fixture
def sakura(db):
    profile = ExporterProfileFactory(company_name="さくら酒造株式会社", contact_name="桜井 花子",
                                     user__username="export@sakura.example.jp")
    NotificationFactory(recipient=profile.user, title="さくら宛ての通知")
    DeliveryFactory(recipient=profile.user, email_subject="さくら宛てのメール")
    return profile


def test_a_company_downloads_its_own_data_as_json_and_nothing_of_another(client, minato,
                                                                         sakura, reviewer):
    client.post("/exporters/login/", {"username": "export@minato.example.jp",
                                      "password": "wrong-password-1"})
    client.force_login(minato.user)
    response = client.get("/exporters/profile/data.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert minato.corporate_number in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["company_name"] == minato.company_name
    assert data["profile"]["contact_name"] == "輸出 太郎"
    assert data["account"]["email"] == "export@minato.example.jp"
    # The approval's notice and the one made here; none of Sakura's.
    assert len(data["notifications"]) == 2
    assert "みなと宛ての通知" in [n["title"] for n in data["notifications"]]
    assert data["emails"] and all("さくら" not in e["email_subject"] for e in data["emails"])
    assert [row["status"] for row in data["history"]][-1] == ExporterStatus.APPROVED
    assert {row["by"] for row in data["history"]} <= {"company", "programme"}
    assert len(data["failed_sign_ins"]) == 1
    text = response.content.decode()
    for someone_elses in ("さくら", "桜井", "sakura", reviewer.username, "pbkdf2", "md5$"):
        assert someone_elses not in text


def test_the_csv_download_has_every_value_and_no_formula(client, minato, sakura):
    client.force_login(minato.user)
    response = client.get("/exporters/profile/data.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = dict(csv.reader(io.StringIO(text)))
    # Where each value is, in words (not profile.company_name, notifications[1].title).
    assert rows["プロフィール › 企業名"] == "'" + minato.company_name  # inert
    assert rows["プロフィール › 担当者名"] == "輸出 太郎"
    assert rows["通知 2 › 件名"] == "みなと宛ての通知"
    assert "さくら" not in text


@pytest.fixture
def described(minato):
    """Minato in 静岡県, exporting processed food to Singapore and Thailand."""
    from tests.factories import CountryFactory, ProductCategoryFactory

    minato.prefecture = "22"
    minato.save(update_fields=["prefecture"])
    minato.product_categories.set([ProductCategoryFactory(
        code="processed_food", name_ja="加工食品", name_en="Processed food")])
    minato.target_markets.set([
        CountryFactory(iso2="SG", name_ja="シンガポール", name_en="Singapore"),
        CountryFactory(iso2="TH", name_ja="タイ", name_en="Thailand")])
    ExporterProfile.objects.filter(pk=minato.pk).update(
        created_at=datetime(2026, 12, 2, 1, 5, tzinfo=UTC))
    return minato


def csv_rows(client, language):
    response = client.get("/exporters/profile/data.csv", HTTP_ACCEPT_LANGUAGE=language)
    return dict(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(("language", "words"), [
    ("ja", {"プロフィール › 都道府県": "静岡県", "プロフィール › ステータス": "承認済み",
            "プロフィール › 品目区分 1": "加工食品",
            "プロフィール › 輸出先国・地域 1": "シンガポール",
            "プロフィール › 輸出先国・地域 2": "タイ",
            "プロフィール › 作成日時": "2026年12月2日10:05", "アカウント › 言語": "日本語",
            "登録の履歴 1 › 変更者": "プログラム事務局"}),
    ("en", {"Profile › Prefecture": "静岡県", "Profile › Status": "Approved",
            "Profile › Product category 1": "Processed food",
            "Profile › Export market 1": "Singapore",
            "Profile › Created at": "Dec. 2, 2026, 10:05 a.m.", "Account › Language": "Japanese",
            "Registration history 1 › By": "the programme office"}),
])
def test_the_csv_reads_in_words_and_local_time_in_the_readers_language(
        client, described, language, words):
    client.force_login(described.user)
    rows = csv_rows(client, language)
    for where, value in words.items():
        assert rows[where] == value, where
    assert not [where for where in rows if where.endswith("_label") or "[" in where
                or "." in where.split(" › ")[-1]]
    assert not [value for value in rows.values() if value.endswith("Z")
                or value in {"approved", "pending_approval", "SG", "processed_food", "22",
                             "company", "programme", "ja"}]


def test_the_json_keeps_codes_with_their_words_beside_them(client, described):
    client.force_login(described.user)
    profile = client.get("/exporters/profile/data.json", HTTP_ACCEPT_LANGUAGE="ja").json()[
        "profile"]
    assert (profile["prefecture"], profile["prefecture_label"]) == ("22", "静岡県")
    assert (profile["status"], profile["status_label"]) == ("approved", "承認済み")
    assert profile["target_markets"] == ["SG", "TH"]
    assert profile["target_markets_label"] == ["シンガポール", "タイ"]
    assert profile["product_categories_label"] == ["加工食品"]
    assert profile["created_at"].startswith("2026-12-02T01:05")


def test_another_companys_data_cannot_be_reached(client, minato, sakura):
    client.force_login(sakura.user)
    text = client.get("/exporters/profile/data.json").content.decode()
    assert "みなと" not in text and "輸出 太郎" not in text


def close_in_admin(client, *profiles):
    return client.post(CHANGELIST, {"action": "close_accounts",
                                    "_selected_action": [p.pk for p in profiles]}, follow=True)


def test_a_company_asks_to_close_and_an_officer_confirms_in_the_admin(client, minato, sakura,
                                                                       reviewer):
    client.force_login(minato.user)
    # The profile page's link opens a page that says what follows; only its button asks.
    confirm = client.get("/exporters/profile/close/")
    assert confirm.status_code == 200 and "アカウントを残す" in confirm.content.decode()
    assert client.post("/exporters/profile/close/").status_code == 200  # not confirmed
    minato.refresh_from_db()
    assert minato.closure_requested_at is None
    response = client.post("/exporters/profile/close/", {"confirmed": "yes"})
    assert response.status_code == 302
    minato.refresh_from_db()
    assert minato.closure_requested_at is not None
    assert minato.closed_at is None
    assert minato.user.is_active  # nothing changes until an officer confirms
    profile_page = client.get("/exporters/profile/").content.decode()
    assert 'href="/exporters/profile/close/"' not in profile_page  # asked already
    assert f"{timezone.localdate(minato.closure_requested_at):%Y年%-m月%-d日} に" in profile_page
    AccessFailureLog.objects.create(username="export@minato.example.jp", ip_address="192.0.2.1",
                                    user_agent="Mozilla", http_accept="*/*", path_info="/")

    client.force_login(reviewer)
    requested = client.get(CHANGELIST, {"closure_requested_at__isempty": "0"})
    assert [p.pk for p in requested.context["cl"].result_list] == [minato.pk]
    close_in_admin(client, minato, sakura)

    minato.refresh_from_db()
    user = User.objects.get(pk=minato.user_id)
    assert minato.closed_at is not None
    assert not user.is_active and not user.has_usable_password()
    assert "minato" not in user.username and "minato" not in user.email
    assert (user.first_name, user.last_name) == ("", "")
    # The personal data are gone from the history too…
    assert not minato.history.filter(contact_name="輸出 太郎").exists()
    assert not User.history.filter(id=user.pk, email="export@minato.example.jp").exists()
    assert not Notification.objects.filter(recipient=user).exists()
    assert not Delivery.objects.filter(recipient=user).exclude(body_text="").exists()
    assert not AccessFailureLog.objects.filter(username="export@minato.example.jp").exists()
    # … and the history still says who approved the registration, and who closed it.
    approval = minato.history.filter(status=ExporterStatus.APPROVED).order_by(
        "history_date").first()
    assert approval.history_user == reviewer
    assert minato.history.first().history_user == reviewer
    assert minato.reviewed_by == reviewer

    # The company that did not ask is named and left as it was.
    sakura.refresh_from_db()
    assert sakura.closed_at is None and sakura.user.is_active
    assert Notification.objects.filter(recipient=sakura.user).exists()

    # The old address no longer signs in, and no longer names anyone.
    client.logout()
    response = client.post("/exporters/login/", {"username": "export@minato.example.jp",
                                                 "password": PASSWORD})
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == [
        "invalid_login"]


def test_only_a_requested_closure_can_be_confirmed(minato, reviewer):
    from tracker.errors import Conflict

    with pytest.raises(Conflict):
        exporter_close(profile=minato, by=reviewer)
    assert User.objects.get(pk=minato.user_id).is_active


def test_an_officer_outside_the_programme_cannot_close_an_account(client, minato, other_officer):
    minato.closure_requested_at = minato.created_at
    minato.save()
    client.force_login(other_officer)
    close_in_admin(client, minato)
    assert ExporterProfile.objects.get(pk=minato.pk).closed_at is None
    assert User.objects.get(pk=minato.user_id).is_active
