"""A company's pages around signing in and out: Back after signing out shows nothing, the
sign-out address asks, the confirmation link tells the registration's state as it is now, the
sign-in's messages say what is true and whom to ask, an expired form is refused on the
company's own page, and the company is named and written to as it asked."""

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from exporters.models import ExporterStatus
from exporters.services.registrations import (
    exporter_approve,
    exporter_reject,
    verification_token,
)
from tests.factories import ExporterProfileFactory, InitiativeFactory

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-2026"  # every factory user's password


def signed_in(profile):
    client = Client()
    client.force_login(profile.user)
    return client


@pytest.mark.parametrize("page", ["/exporters/", "/exporters/profile/", "/exporters/password/",
                                  "/exporters/profile/close/"])
def test_no_signed_in_page_is_kept_by_the_browser_for_back_after_sign_out(page):
    response = signed_in(ExporterProfileFactory()).get(page)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_sign_out_address_opened_asks_and_signing_out_is_a_post():
    client = signed_in(ExporterProfileFactory())
    asked = client.get("/exporters/logout/")
    assert asked.status_code == 200
    assert 'method="post" action="/exporters/logout/"' in asked.content.decode()
    assert "_auth_user_id" in client.session  # asking signs nobody out
    assert client.post("/exporters/logout/").status_code == 302
    assert "_auth_user_id" not in client.session
    assert Client().get("/exporters/logout/").url == "/exporters/login/"


@pytest.fixture
def reviewer(officer):
    InitiativeFactory(code="FOOD-EXPORT", owner=officer, reviews_exporter_registrations=True)
    return officer


def test_the_confirmation_link_opened_after_approval_says_approved(client, reviewer):
    profile = ExporterProfileFactory(status=ExporterStatus.PENDING_APPROVAL)
    exporter_approve(profile=profile, by=reviewer)
    page = client.get(f"/exporters/verify/{verification_token(profile)}/").content.decode()
    assert "ご登録は承認されています" in page
    assert "審査いたします" not in page
    assert 'href="/exporters/login/"' in page


def test_the_confirmation_link_opened_after_rejection_gives_the_reason(client, reviewer):
    profile = ExporterProfileFactory(status=ExporterStatus.PENDING_APPROVAL)
    exporter_reject(profile=profile, by=reviewer, reason="所在地を確認できません")
    page = client.get(f"/exporters/verify/{verification_token(profile)}/").content.decode()
    assert "ご登録は承認されませんでした" in page
    assert "所在地を確認できません" in page
    assert "food-export@example.go.jp" in page
    profile.refresh_from_db()
    assert profile.status == ExporterStatus.REJECTED


def test_a_broken_confirmation_link_shows_the_way_on(client):
    response = client.get("/exporters/verify/not-a-token/")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="/exporters/login/"' in page
    assert "food-export@example.go.jp" in page


def test_a_wrong_password_does_not_claim_the_address_is_case_sensitive(client):
    profile = ExporterProfileFactory()
    page = client.post("/exporters/login/", {"username": profile.user.email.upper(),
                                             "password": "wrong-pass-2026"}).content.decode()
    assert "メールアドレスとパスワードを正しく入力してください" in page
    assert "どちらのフィールドも" not in page
    # The address in capitals is the same address: the right password signs in.
    assert client.post("/exporters/login/", {"username": profile.user.email.upper(),
                                             "password": PASSWORD}).status_code == 302


def test_a_locked_company_is_told_whom_to_ask(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    email = ExporterProfileFactory().user.email
    for _attempt in range(3):
        response = client.post("/exporters/login/", {"username": email,
                                                      "password": "wrong-pass-2026"})
    assert response.status_code == 429
    assert "food-export@example.go.jp" in response.content.decode()


def test_an_english_reader_is_written_to_with_the_english_name(
        reviewer, django_capture_on_commit_callbacks):
    profile = ExporterProfileFactory(status=ExporterStatus.PENDING_APPROVAL,
                                     company_name="みどり製茶株式会社",
                                     company_name_en="Midori Tea Co., Ltd.",
                                     user__language="en")
    with django_capture_on_commit_callbacks(execute=True):
        exporter_approve(profile=profile, by=reviewer)
    [message] = [m for m in mail.outbox if profile.user.email in m.to]
    assert "Midori Tea Co., Ltd. can now sign in" in message.body
    assert "みどり製茶" not in message.body
    with translation.override("ja"):
        assert profile.company_name_for_reader() == "みどり製茶株式会社"


def test_the_data_download_has_headings_in_the_readers_language():
    client = signed_in(ExporterProfileFactory())
    first_line = client.get("/exporters/profile/data.csv").content.decode().splitlines()[0]
    assert first_line.lstrip("\ufeff") == "項目,値"


def test_an_expired_form_is_refused_on_a_page_of_the_site_it_came_from():
    client = Client(enforce_csrf_checks=True)
    company = client.post("/exporters/login/", {"username": "a@example.jp", "password": "x"})
    assert company.status_code == 403
    html = company.content.decode()
    assert "<h1>フォームの有効期限が切れました</h1>" in html
    assert '<a href="/exporters/">食輸出1万者支援プログラム</a>' in html
    staff = client.post("/admin/login/", {"username": "officer", "password": "x"})
    assert staff.status_code == 403
    assert '<a href="/admin/">通商戦略トラッカー</a>' in staff.content.decode()
