"""The exporter web page (/exporters/) and the review of registrations in admin.

The page: an approved company signs in and sees the support measures that fit it; nobody else
gets in; the profile is changed through the service and never the corporate number; the link
in the confirmation e-mail confirms the address. The page is Japanese by default (the new
strings are not translated yet, so the checks are `lang="ja"` and Japanese data).

Admin: officers of FOOD-EXPORT approve or reject (with a reason, which the applicant is sent);
other officers get 403; a manager filters the list and exports it.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from exporters import web
from exporters.models import ExporterProfile, ExporterStatus
from exporters.services.registrations import exporter_reject, verification_token
from programs.models import Delivery
from tests.factories import (
    CountryFactory,
    ExporterProfileFactory,
    InitiativeFactory,
    ProductCategoryFactory,
    SupportMeasureFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-2026"  # the password of every factory user
LOGIN = "/exporters/login/"
HOME = "/exporters/"
PROFILE = "/exporters/profile/"


def signed_in_session(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def categories(db):
    return {code: ProductCategoryFactory(code=code, order=order, name_ja=name, name_en=code)
            for order, (code, name) in enumerate([("seafood", "水産物"),
                                                  ("processed_food", "加工食品"),
                                                  ("sake", "酒類")])}


@pytest.fixture
def markets(db):
    return {iso2: CountryFactory(iso2=iso2, name_ja=name)
            for iso2, name in (("SG", "シンガポール"), ("HK", "香港"), ("US", "米国"),
                               ("TH", "タイ"))}


@pytest.fixture
def demo_exporter(categories, markets):
    """Like the demo account `exporter`: a seafood processor selling to SG, HK and the US."""
    user = UserFactory(username="exporter", role=Role.EXPORTER, is_staff=False,
                       last_name="輸出", first_name="太郎")
    return ExporterProfileFactory(
        user=user, company_name="みなと水産加工株式会社",
        company_name_en="Minato Seafood Processing Co., Ltd.", corporate_number="4010001234567",
        prefecture="04", contact_name="輸出 太郎",
        product_categories=[categories["seafood"], categories["processed_food"]],
        target_markets=[markets["SG"], markets["HK"], markets["US"]])


@pytest.fixture
def measures(categories, markets):
    today = timezone.localdate()
    return {
        "exact": SupportMeasureFactory(code="SG-SEAFOOD", name_ja="シンガポール水産物商談会",
                                       product_categories=[categories["seafood"]],
                                       target_markets=[markets["SG"]]),
        "everyone": SupportMeasureFactory(code="GUIDEBOOK", kind="guidebook",
                                          name_ja="農林水産・食品支援ガイドブック"),
        "sake": SupportMeasureFactory(code="SAKE-US", name_ja="米国日本酒プロモーション",
                                      product_categories=[categories["sake"]],
                                      target_markets=[markets["US"]]),
        "thailand": SupportMeasureFactory(code="TH-SEAFOOD", name_ja="タイ水産物フェア",
                                          product_categories=[categories["seafood"]],
                                          target_markets=[markets["TH"]]),
        "draft": SupportMeasureFactory(code="DRAFT", name_ja="準備中の香港EC特設コーナー",
                                       is_published=False),
        "closed": SupportMeasureFactory(code="CLOSED", name_ja="締切済みの補助金",
                                        kind="subsidy", closes_on=today - timedelta(days=1)),
    }


# --- the exporter page: signing in ---------------------------------------------------------------

def test_the_demo_like_exporter_signs_in_and_sees_the_measures_that_fit(client, demo_exporter,
                                                                      measures):
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert 'lang="ja"' in page.content.decode()

    response = client.post(LOGIN, {"username": "exporter", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == HOME
    assert signed_in_session(client)

    home = client.get(HOME)
    assert home.status_code == 200
    html = home.content.decode()
    assert 'lang="ja"' in html
    assert "みなと水産加工株式会社" in html
    assert [card.measure.code for card in home.context["cards"]] == ["SG-SEAFOOD", "GUIDEBOOK"]
    for key in ("exact", "everyone"):
        assert measures[key].name_ja in html
    for key in ("sake", "thailand", "draft", "closed"):
        assert measures[key].name_ja not in html
    # Why it fits: the matched category and market are named in words, not codes.
    exact = home.context["cards"][0]
    assert (exact.categories, exact.markets) == (["水産物"], ["シンガポール"])
    assert "水産物" in html and "シンガポール" in html


def test_a_registered_exporter_signs_in_with_the_email_address(client, categories, markets):
    profile = ExporterProfileFactory(company_name="さくら食品株式会社",
                                     product_categories=[categories["sake"]],
                                     target_markets=[markets["US"]])
    response = client.post(LOGIN, {"username": profile.user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "さくら食品株式会社" in client.get(HOME).content.decode()


@pytest.mark.parametrize("status", [ExporterStatus.PENDING_VERIFICATION,
                                    ExporterStatus.PENDING_APPROVAL, ExporterStatus.REJECTED])
def test_an_unapproved_exporter_cannot_sign_in(client, categories, status):
    profile = ExporterProfileFactory(status=status)
    response = client.post(LOGIN, {"username": profile.user.username, "password": PASSWORD})
    assert response.status_code == 200
    form = response.context["form"]
    # Told why, since the password was right (tests/exporters/test_sign_in_tells_the_truth.py).
    assert [error.code for error in form.non_field_errors().as_data()] == [status]
    assert 'class="error"' in response.content.decode()
    assert not signed_in_session(client)
    assert "fits" not in client.get(HOME).context  # the front door, not the measures


def test_an_officer_signed_in_on_the_staff_site_gets_403_on_the_company_pages(client, officer):
    """The company sign-in sends staff to the staff site (test_sign_in_tells_the_truth);
    signed in there, the company pages are still not theirs."""
    response = client.post(LOGIN, {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 200 and not signed_in_session(client)
    client.force_login(officer)
    assert client.get(HOME).status_code == 403
    assert client.get(PROFILE).status_code == 403


def test_anonymous_visitors_are_sent_to_the_sign_in_page(client):
    for path in (PROFILE, "/exporters/profile/data.json"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")


def test_anonymous_visitors_get_the_front_door_at_the_root_and_at_exporters(client):
    assert client.get("/")["Location"] == HOME
    page = client.get(HOME)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/exporters/register/"' in html and f'href="{LOGIN}"' in html
    assert 'lang="en"' in html  # an English summary under the Japanese
    assert "fits" not in page.context


def test_a_session_stops_working_once_the_registration_is_rejected(client, demo_exporter,
                                                                   administrator):
    client.post(LOGIN, {"username": "exporter", "password": PASSWORD})
    assert client.get(HOME).status_code == 200
    exporter_reject(profile=demo_exporter, by=administrator, reason="所在地を確認できません")
    assert "fits" not in client.get(HOME).context  # the front door, not the measures
    response = client.get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_signing_out_ends_the_session(client, demo_exporter):
    client.post(LOGIN, {"username": "exporter", "password": PASSWORD})
    response = client.post("/exporters/logout/")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not signed_in_session(client)


# --- the exporter page: the profile --------------------------------------------------------------

def profile_form(profile, **changes):
    data = {
        "company_name": profile.company_name, "company_name_en": profile.company_name_en,
        "prefecture": profile.prefecture, "contact_name": profile.contact_name,
        "product_categories": [c.pk for c in profile.product_categories.all()],
        "target_markets": [c.pk for c in profile.target_markets.all()],
    }
    data.update(changes)
    return data


def test_the_profile_page_saves_categories_and_markets_through_the_service(
        client, demo_exporter, categories, markets, measures, monkeypatch,
        django_capture_on_commit_callbacks):
    calls = []
    real_update = web.exporter_update_profile

    def spy(**kwargs):
        calls.append(kwargs)
        return real_update(**kwargs)

    monkeypatch.setattr(web, "exporter_update_profile", spy)
    client.force_login(demo_exporter.user)
    page = client.get(PROFILE)
    assert page.status_code == 200
    assert "4010001234567" in page.content.decode()
    assert 'name="corporate_number"' not in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PROFILE, profile_form(
            demo_exporter, product_categories=[categories["seafood"].pk, categories["sake"].pk],
            target_markets=[markets["SG"].pk, markets["TH"].pk],
            corporate_number="7000012050002"))
    assert response.status_code == 302 and response["Location"] == PROFILE

    assert len(calls) == 1
    assert calls[0]["by"] == demo_exporter.user
    assert set(calls[0]["data"]) == {"product_categories", "target_markets"}
    profile = ExporterProfile.objects.get(pk=demo_exporter.pk)
    assert {c.code for c in profile.product_categories.all()} == {"seafood", "sake"}
    assert {c.iso2 for c in profile.target_markets.all()} == {"SG", "TH"}
    assert profile.corporate_number == "4010001234567"
    assert profile.history.first().history_user == demo_exporter.user
    # The measure that newly fits (seafood in Thailand) is announced.
    assert Delivery.objects.filter(recipient=demo_exporter.user, kind="new_support_measure",
                                   subject_id=measures["thailand"].pk).exists()
    home = client.get(HOME).content.decode()
    assert measures["thailand"].name_ja in home


def test_posting_only_a_corporate_number_changes_nothing(client, demo_exporter):
    client.force_login(demo_exporter.user)
    response = client.post(PROFILE, profile_form(demo_exporter,
                                                 corporate_number="7000012050002"))
    assert response.status_code == 302
    assert ExporterProfile.objects.get(pk=demo_exporter.pk).corporate_number == "4010001234567"
    assert not ExporterProfile.objects.filter(corporate_number="7000012050002").exists()


def test_the_profile_page_shows_errors_and_saves_nothing_when_invalid(client, demo_exporter):
    client.force_login(demo_exporter.user)
    response = client.post(PROFILE, profile_form(demo_exporter, company_name="",
                                                 product_categories=[]))
    assert response.status_code == 200
    assert {"company_name", "product_categories"} <= set(response.context["form"].errors)
    assert ExporterProfile.objects.get(pk=demo_exporter.pk).company_name == (
        "みなと水産加工株式会社")


def test_the_profile_page_refuses_a_line_break_in_the_contact_name(client, demo_exporter):
    client.force_login(demo_exporter.user)
    response = client.post(PROFILE, profile_form(
        demo_exporter, contact_name="輸出 太郎\r\nBcc: victim@example.jp"))
    assert response.status_code == 200
    assert [error.code for error in response.context["form"].errors.as_data()[
        "contact_name"]] == ["control_characters"]
    assert ExporterProfile.objects.get(pk=demo_exporter.pk).contact_name == "輸出 太郎"


# --- the exporter page: confirming the e-mail address --------------------------------------------

def test_the_link_in_the_confirmation_email_confirms_the_address(client, categories):
    profile = ExporterProfileFactory(company_name="やまびこ茶園株式会社",
                                     status=ExporterStatus.PENDING_VERIFICATION)
    response = client.get(f"/exporters/verify/{verification_token(profile)}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="ja"' in html and "やまびこ茶園株式会社" in html
    profile.refresh_from_db()
    assert profile.status == ExporterStatus.PENDING_APPROVAL
    assert profile.email_verified_at is not None
    # Opening it again changes nothing and still works.
    assert client.get(f"/exporters/verify/{verification_token(profile)}/").status_code == 200
    assert ExporterProfile.objects.get(pk=profile.pk).status == ExporterStatus.PENDING_APPROVAL


def test_a_tampered_confirmation_link_is_a_400_page(client, categories):
    profile = ExporterProfileFactory(status=ExporterStatus.PENDING_VERIFICATION)
    token = verification_token(profile)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.get(f"/exporters/verify/{tampered}/")
    assert response.status_code == 400
    assert 'lang="ja"' in response.content.decode()
    assert 'class="error"' in response.content.decode()
    profile.refresh_from_db()
    assert (profile.status, profile.email_verified_at) == (
        ExporterStatus.PENDING_VERIFICATION, None)


def test_an_expired_confirmation_link_is_a_400_page(client, categories, settings):
    profile = ExporterProfileFactory(status=ExporterStatus.PENDING_VERIFICATION)
    settings.EXPORTER_VERIFICATION_MAX_AGE = -1
    response = client.get(f"/exporters/verify/{verification_token(profile)}/")
    assert response.status_code == 400
    assert ExporterProfile.objects.get(pk=profile.pk).status == (
        ExporterStatus.PENDING_VERIFICATION)


# --- admin: the review ---------------------------------------------------------------------------

def change_url(profile):
    return reverse("admin:exporters_exporterprofile_change", args=[profile.pk])


CHANGELIST = "admin:exporters_exporterprofile_changelist"


@pytest.fixture
def food_export(officer):
    return InitiativeFactory(code="FOOD-EXPORT", owner=officer,
                             reviews_exporter_registrations=True)


@pytest.fixture
def applicant(categories, markets):
    return ExporterProfileFactory(
        company_name="みなと水産加工株式会社", status=ExporterStatus.PENDING_APPROVAL,
        user__username="export@minato.example.jp", prefecture="04",
        product_categories=[categories["seafood"]], target_markets=[markets["SG"]])


def test_a_food_export_officer_approves_a_registration_in_admin(
        client, officer, food_export, applicant, django_capture_on_commit_callbacks):
    client.force_login(officer)
    page = client.get(change_url(applicant))
    assert page.status_code == 200
    assert 'name="decision"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(applicant),
                               {"decision": "approve", "reason": "", "_save": "1"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == ExporterStatus.APPROVED
    assert applicant.reviewed_by == officer
    assert applicant.reviewed_at is not None
    to_applicant = [m for m in mail.outbox if m.to == ["export@minato.example.jp"]]
    assert len(to_applicant) == 1
    assert "みなと水産加工株式会社" in to_applicant[0].body


def test_rejecting_without_a_reason_is_refused_with_a_form_error(
        client, officer, food_export, applicant, django_capture_on_commit_callbacks):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(applicant),
                               {"decision": "reject", "reason": "  ", "_save": "1"})
    assert response.status_code == 200
    assert "reason" in response.context["adminform"].form.errors
    applicant.refresh_from_db()
    assert (applicant.status, applicant.reviewed_by) == (ExporterStatus.PENDING_APPROVAL, None)
    assert not mail.outbox


def test_rejecting_with_a_reason_tells_the_applicant_why(
        client, officer, food_export, applicant, django_capture_on_commit_callbacks):
    client.force_login(officer)
    reason = "法人番号と会社名が一致しません"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(applicant),
                               {"decision": "reject", "reason": reason, "_save": "1"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert (applicant.status, applicant.rejection_reason, applicant.reviewed_by) == (
        ExporterStatus.REJECTED, reason, officer)
    to_applicant = [m for m in mail.outbox if m.to == ["export@minato.example.jp"]]
    assert len(to_applicant) == 1
    assert reason in to_applicant[0].body


def test_saving_without_a_decision_changes_nothing(client, officer, food_export, applicant):
    client.force_login(officer)
    response = client.post(change_url(applicant), {"decision": "", "reason": "", "_save": "1"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert (applicant.status, applicant.reviewed_by) == (ExporterStatus.PENDING_APPROVAL, None)


@pytest.fixture
def unconfirmed(categories):
    return ExporterProfileFactory(company_name="未確認食品株式会社",
                                  status=ExporterStatus.PENDING_VERIFICATION)


def test_an_unconfirmed_registration_cannot_be_approved_in_admin(
        client, officer, food_export, unconfirmed, django_capture_on_commit_callbacks):
    """The decision is refused on the form, and only refused: no "changed successfully" next
    to it, nothing in the admin log, no e-mail."""
    from django.contrib.admin.models import LogEntry

    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(unconfirmed),
                               {"decision": "approve", "reason": "", "_save": "1"})
    assert response.status_code == 200
    assert "decision" in response.context["adminform"].form.errors
    assert not [m for m in response.context["messages"] if m.level_tag == "success"]
    assert not LogEntry.objects.filter(object_id=str(unconfirmed.pk)).exists()
    unconfirmed.refresh_from_db()
    assert (unconfirmed.status, unconfirmed.reviewed_by) == (
        ExporterStatus.PENDING_VERIFICATION, None)
    assert not mail.outbox


def test_an_approved_registration_cannot_be_approved_again(client, officer, food_export,
                                                          categories):
    approved = ExporterProfileFactory(status=ExporterStatus.APPROVED)
    client.force_login(officer)
    response = client.post(change_url(approved),
                           {"decision": "approve", "reason": "", "_save": "1"})
    assert response.status_code == 200
    assert "decision" in response.context["adminform"].form.errors
    assert ExporterProfile.objects.get(pk=approved.pk).reviewed_by is None


def test_an_officer_outside_the_food_export_programme_gets_403_on_post(
        client, other_officer, others_initiative, food_export, applicant,
        django_capture_on_commit_callbacks):
    client.force_login(other_officer)
    assert client.get(change_url(applicant)).status_code == 403  # not even to read
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(applicant),
                               {"decision": "approve", "reason": "", "_save": "1"})
    assert response.status_code == 403
    applicant.refresh_from_db()
    assert (applicant.status, applicant.reviewed_by) == (ExporterStatus.PENDING_APPROVAL, None)
    assert not mail.outbox


def test_a_manager_reads_but_cannot_review(client, manager, food_export, applicant):
    client.force_login(manager)
    assert client.get(change_url(applicant)).status_code == 200
    response = client.post(change_url(applicant),
                           {"decision": "approve", "reason": "", "_save": "1"})
    assert response.status_code == 403
    assert ExporterProfile.objects.get(pk=applicant.pk).status == (
        ExporterStatus.PENDING_APPROVAL)


def test_registrations_cannot_be_added_in_admin(client, administrator):
    """Registrations come from the companies (register, confirm): the admin's add form has no
    fields to make one, so it must not be offered, not even to administrators."""
    client.force_login(administrator)
    add_url = reverse("admin:exporters_exporterprofile_add")
    assert client.get(add_url).status_code == 403
    client.raise_request_exception = False
    response = client.post(add_url, {"decision": "approve", "reason": "", "_save": "1"})
    assert response.status_code == 403
    assert not ExporterProfile.objects.exists()


def test_an_exporter_is_kept_out_of_the_admin_list(client, demo_exporter):
    client.force_login(demo_exporter.user)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- admin: the list, its filters and the export -------------------------------------------------

@pytest.fixture
def registrations(categories, markets):
    return {
        "minato": ExporterProfileFactory(
            company_name="みなと水産加工株式会社", status=ExporterStatus.PENDING_APPROVAL,
            prefecture="04", product_categories=[categories["seafood"]],
            target_markets=[markets["SG"]]),
        "sakura": ExporterProfileFactory(
            company_name="さくら酒造株式会社", status=ExporterStatus.APPROVED, prefecture="26",
            product_categories=[categories["sake"]], target_markets=[markets["US"]]),
        "hokkai": ExporterProfileFactory(
            company_name="北海ミルク株式会社", status=ExporterStatus.APPROVED, prefecture="01",
            product_categories=[categories["processed_food"]],
            target_markets=[markets["HK"], markets["SG"]]),
    }


def listed(client, **params):
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200, response.content[:500]
    return {profile.company_name for profile in response.context["cl"].result_list}


def test_a_manager_filters_the_list_by_status_prefecture_category_and_market(
        client, manager, registrations, categories, markets):
    client.force_login(manager)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    filters = {str(spec.title) for spec in response.context["cl"].filter_specs}
    assert len(filters) == 5  # and closure requested (tests/exporters/test_account_closure.py)
    assert listed(client) == {"みなと水産加工株式会社", "さくら酒造株式会社", "北海ミルク株式会社"}
    assert listed(client, status__exact="approved") == {"さくら酒造株式会社", "北海ミルク株式会社"}
    assert listed(client, prefecture__exact="04") == {"みなと水産加工株式会社"}
    assert listed(client, product_categories__id__exact=categories["sake"].pk) == {
        "さくら酒造株式会社"}
    assert listed(client, target_markets__id__exact=markets["SG"].pk) == {
        "みなと水産加工株式会社", "北海ミルク株式会社"}
    assert listed(client, status__exact="approved",
                  target_markets__id__exact=markets["SG"].pk) == {"北海ミルク株式会社"}


def test_a_manager_exports_the_selected_registrations_as_csv(client, manager, registrations):
    client.force_login(manager)
    selected = [registrations["minato"].pk, registrations["hokkai"].pk]
    # Step 1: the action shows the export form (format, columns) for the selected rows.
    step_one = client.post(reverse(CHANGELIST), {
        "action": "export_admin_action", "_selected_action": selected, "index": "0"})
    assert step_one.status_code == 200
    form = step_one.context["form"]
    csv_choice = next(value for value, label in form.fields["format"].choices
                      if str(label).lower() == "csv")
    columns = [name for name, field in form.fields.items()
               if getattr(field, "is_selectable_field", False)]
    assert columns

    # Step 2: the form is posted to the export view, which answers with the file.
    response = client.post(step_one.context["export_url"], {
        "format": csv_choice, "resource": "0", "export_items": selected,
        **{name: "on" for name in columns}})
    assert response.status_code == 200, response.content[:1000]
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["company_name"] for row in rows} == {"みなと水産加工株式会社",
                                                      "北海ミルク株式会社"}
    minato = next(row for row in rows if row["company_name"] == "みなと水産加工株式会社")
    assert minato["corporate_number"] == registrations["minato"].corporate_number
    assert minato["email"] == registrations["minato"].user.email
    assert minato["product_categories"] == "seafood"
    assert minato["target_markets"] == "SG"
    assert "さくら酒造株式会社" not in text
