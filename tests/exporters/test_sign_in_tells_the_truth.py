"""The exporter sign-in says why it failed, and a forgotten password can be reset by e-mail.

A wrong password gets the one generic message, for a registered address and for a stranger's
alike; the state of a registration (not confirmed, under review, not approved) is told only to
whoever gives its right password; a lockout is told as one, with when to try again."""

import re

import pytest
from django.core import mail

from exporters.models import ExporterStatus
from tests.factories import ExporterProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/exporters/login/"
PASSWORD = "secret-pass-2026"  # every factory user's password
RESET = "/exporters/password-reset/"


def sign_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def error_codes(response):
    return [error.code for error in response.context["form"].non_field_errors().as_data()]


@pytest.mark.parametrize("status", [ExporterStatus.PENDING_VERIFICATION,
                                    ExporterStatus.PENDING_APPROVAL, ExporterStatus.REJECTED])
def test_a_wrong_password_reads_the_same_for_a_registration_and_for_a_stranger(client, status):
    profile = ExporterProfileFactory(status=status)
    registered = sign_in(client, profile.user.email, "not-the-password-1")
    stranger = sign_in(client, "nobody@example.jp", "not-the-password-1")
    assert error_codes(registered) == error_codes(stranger) == ["invalid_login"]
    assert (registered.context["form"].non_field_errors()
            == stranger.context["form"].non_field_errors())
    assert not mail.outbox


def test_an_unconfirmed_company_is_told_so_and_sent_the_link_again(
        client, django_capture_on_commit_callbacks):
    profile = ExporterProfileFactory(status=ExporterStatus.PENDING_VERIFICATION)
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(client, profile.user.email)
    assert error_codes(response) == ["pending_verification"]
    assert profile.user.email in response.content.decode()
    [message] = mail.outbox
    assert message.to == [profile.user.email]
    assert "/exporters/verify/" in message.body


def test_a_company_under_review_is_told_so(client):
    profile = ExporterProfileFactory(status=ExporterStatus.PENDING_APPROVAL)
    response = sign_in(client, profile.user.email)
    assert error_codes(response) == ["pending_approval"]
    assert "審査中" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_rejected_company_is_told_why_and_whom_to_ask(client, settings):
    settings.EXPORTER_CONTACT_EMAIL = "food-export@meti.example.go.jp"
    profile = ExporterProfileFactory(status=ExporterStatus.REJECTED,
                                     rejection_reason="法人番号と会社名が一致しません")
    response = sign_in(client, profile.user.email)
    assert error_codes(response) == ["rejected"]
    html = response.content.decode()
    assert "法人番号と会社名が一致しません" in html
    assert "food-export@meti.example.go.jp" in html


def test_a_member_of_staff_is_sent_to_the_staff_site_not_signed_in(client):
    officer = UserFactory(role="officer", is_staff=True)
    response = sign_in(client, officer.username)
    assert error_codes(response) == ["not_an_exporter"]
    assert "職員用サイト" in response.content.decode() and "/admin/login/" in (
        response.content.decode())
    assert "_auth_user_id" not in client.session
    assert error_codes(sign_in(client, officer.username, "not-the-password-1")) == [
        "invalid_login"]  # a stranger learns nothing of the account


@pytest.mark.parametrize("registered", [True, False])
def test_a_lockout_is_told_on_the_sign_in_page_with_when_to_retry(client, settings, registered):
    settings.AXES_FAILURE_LIMIT = 3
    name = ExporterProfileFactory().user.email if registered else "nobody@example.jp"
    for _attempt in range(3):
        sign_in(client, name, "not-the-password-1")
    # Now even the right password is refused: told as a lockout, on the page with its form.
    response = sign_in(client, name)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("text/html")
    assert error_codes(response) == ["account_locked"]
    assert 'name="password"' in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(("status", "code"), [
    (ExporterStatus.PENDING_APPROVAL, "pending_approval"), (ExporterStatus.REJECTED, "rejected")])
def test_the_right_password_never_locks_out_a_company_that_may_not_sign_in_yet(
        client, settings, status, code):
    settings.AXES_FAILURE_LIMIT = 5
    profile = ExporterProfileFactory(status=status, rejection_reason="書類不備")
    for _attempt in range(10):
        response = sign_in(client, profile.user.email)
        assert response.status_code == 200
        assert error_codes(response) == [code]
    if status == ExporterStatus.PENDING_APPROVAL:
        assert "審査中" in response.content.decode()
    # Wrong passwords still count, from zero: locked at the limit, not before.
    for _attempt in range(4):
        assert error_codes(sign_in(client, profile.user.email, "not-the-password-1")) == [
            "invalid_login"]
    locked = sign_in(client, profile.user.email, "not-the-password-1")
    assert locked.status_code == 429
    assert error_codes(locked) == ["account_locked"]
    assert error_codes(sign_in(client, profile.user.email)) == ["account_locked"]


def test_the_admin_and_the_token_endpoint_do_not_count_the_right_password_either(
        client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    profile = ExporterProfileFactory(status=ExporterStatus.PENDING_APPROVAL)
    credentials = {"username": profile.user.email, "password": PASSWORD}
    for _attempt in range(5):
        assert client.post("/admin/login/", credentials).status_code == 200
        token = client.post("/api/v1/auth/token/", credentials,
                            content_type="application/json")
        assert (token.status_code, token.json()["code"]) == (400, "invalid_credentials")
    assert "_auth_user_id" not in client.session
    for _attempt in range(5):
        client.post("/admin/login/", {**credentials, "password": "not-the-password-1"})
    locked = client.post("/api/v1/auth/token/", credentials, content_type="application/json")
    assert (locked.status_code, locked.json()["code"]) == (429, "account_locked")


@pytest.mark.parametrize(("username", "password", "field"), [
    ("   ", "not-the-password-1", "username"), ("nobody@example.jp", "", "password")])
def test_a_blank_field_is_told_beside_it_and_tied_to_it(client, username, password, field):
    response = sign_in(client, username, password)
    html = response.content.decode()
    assert re.search(r"<title>エラー: ", html)
    [message] = response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in html and message in html
    # Every aria-describedby on the page names an element that is on it.
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert described
    for ids in described:
        for element_id in ids.split():
            assert f'id="{element_id}"' in html, element_id


def test_the_sign_in_page_links_to_registering_and_to_the_reset(client):
    html = client.get(LOGIN).content.decode()
    assert 'href="/exporters/register/"' in html and f'href="{RESET}"' in html


# --- a forgotten password ------------------------------------------------------------------------

def reset_link(message):
    return re.search(r"https?://[^/\s]+(/exporters/password-reset/[^/\s]+/[^/\s]+/)",
                     message.body).group(1)


def test_a_company_resets_its_password_by_e_mail(client, settings):
    settings.SITE_URL = "https://tracker.example.go.jp"
    profile = ExporterProfileFactory(contact_name="輸出 花子")
    other_device = client.__class__()
    other_device.force_login(profile.user)

    # Any spelling of the address reaches the account, as signing in does.
    response = client.post(RESET, {"email": profile.user.email.upper()})
    assert response.status_code == 302 and response["Location"] == "/exporters/password-reset/sent/"
    [message] = mail.outbox
    assert message.to == [profile.user.email]
    assert "\n" not in message.subject
    assert "輸出 花子" in message.body
    assert "https://tracker.example.go.jp/exporters/password-reset/" in message.body

    form_page = client.get(reset_link(message), follow=True)
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]
    # The same password rules as everywhere.
    weak = client.post(set_password_url, {"new_password1": "1234", "new_password2": "1234"})
    assert "password_too_short" in {
        error.code for error in weak.context["form"].errors.as_data()["new_password2"]}
    done = client.post(set_password_url, {"new_password1": "Umi-no-Sachi-2027!",
                                          "new_password2": "Umi-no-Sachi-2027!"})
    assert done.status_code == 302, done.context["form"].errors.as_data()
    assert done["Location"] == "/exporters/password-reset/done/"
    assert client.get(done["Location"]).status_code == 200

    assert sign_in(client, profile.user.email, "Umi-no-Sachi-2027!").status_code == 302
    # Signed out everywhere else; the link works once.
    assert other_device.get("/exporters/profile/").status_code == 302
    assert not client.get(reset_link(message), follow=True).context["validlink"]


@pytest.mark.parametrize("who", ["stranger", "officer"])
def test_a_reset_for_an_address_that_is_no_exporters_sends_nothing_and_says_the_same(
        client, officer, who):
    email = "nobody@example.jp" if who == "stranger" else officer.email
    response = client.post(RESET, {"email": email})
    assert response.status_code == 302 and response["Location"] == "/exporters/password-reset/sent/"
    assert not mail.outbox


def test_the_profile_links_to_the_password_change(client):
    client.force_login(ExporterProfileFactory().user)
    assert 'href="/exporters/password/"' in client.get("/exporters/profile/").content.decode()


def test_an_inactive_account_gets_the_generic_message(client):
    user = UserFactory(role="exporter", is_active=False, username="gone@example.jp",
                       email="gone@example.jp")
    ExporterProfileFactory(user=user, status=ExporterStatus.PENDING_APPROVAL)
    assert error_codes(sign_in(client, "gone@example.jp")) == ["invalid_login"]
