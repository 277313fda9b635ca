"""Two-factor sign-in: staff give a code from an authenticator app after their password (the
admin and the token endpoint) when STAFF_OTP_REQUIRED is on, and set one up by QR code if they
have none; backup codes sign in once each; wrong codes count toward the lockout. Exporters may
turn it on, and are then asked too. Off (the test and development default), signing in is as
before."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor.services import backup_codes_issue
from tests.factories import ExporterProfileFactory

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-2026"  # the password of every factory user
TOKEN_URL = "/api/v1/auth/token/"
ADMIN_LOGIN = reverse("admin:login")
ADMIN_CODE = reverse("admin:two_factor_code")
ADMIN_SETUP = reverse("admin:two_factor_setup")
ADMIN_INDEX = reverse("admin:index")
EXPORTER_LOGIN = reverse("exporter-login")
EXPORTER_CODE = reverse("exporter-two-factor")
EXPORTER_SETUP = reverse("exporter-two-factor-setup")


@pytest.fixture
def required(settings):
    settings.STAFF_OTP_REQUIRED = True


def authenticator_for(user):
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code_of(device, steps_ahead=0):
    """The code the app shows now (or that many steps later: a code is accepted once, and the
    next step's is accepted too)."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                 drift=device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def signed_in(client):
    return "_auth_user_id" in client.session


def admin_password(client, user):
    return client.post(ADMIN_LOGIN, {"username": user.username, "password": PASSWORD,
                                     "next": ADMIN_INDEX})


def get_token(client, username, **extra):
    return client.post(TOKEN_URL, {"username": username, "password": PASSWORD, **extra},
                       content_type="application/json")


# --- the admin ------------------------------------------------------------------------------

def test_with_two_factor_required_a_staff_password_alone_does_not_reach_the_admin(
        client, officer, required):
    authenticator_for(officer)
    response = admin_password(client, officer)
    assert response.status_code == 302 and response["Location"] == ADMIN_CODE
    assert not signed_in(client)
    assert client.get(ADMIN_INDEX)["Location"].startswith(ADMIN_LOGIN)


def test_the_password_and_the_right_code_reach_the_admin(client, manager, required):
    device = authenticator_for(manager)
    admin_password(client, manager)
    response = client.post(ADMIN_CODE, {"code": code_of(device)})
    assert response.status_code == 302 and response["Location"] == ADMIN_INDEX
    assert client.get(ADMIN_INDEX).status_code == 200


def test_a_code_typed_with_spaces_or_full_width_digits_is_accepted(client, officer, required):
    device = authenticator_for(officer)
    admin_password(client, officer)
    typed = code_of(device).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    client.post(ADMIN_CODE, {"code": f"{typed[:3]} {typed[3:]}"})
    assert client.get(ADMIN_INDEX).status_code == 200


def test_a_wrong_code_is_refused_with_a_message_in_japanese(client, officer, required):
    device = authenticator_for(officer)
    admin_password(client, officer)
    wrong = f"{(int(code_of(device)) + 1) % 1000000:06d}"
    response = client.post(ADMIN_CODE, {"code": wrong})
    assert response.status_code == 200
    assert "コードが正しくないか" in response.content.decode()
    assert not signed_in(client)
    assert client.get(ADMIN_INDEX).status_code == 302


def test_wrong_codes_count_toward_the_lockout(client, officer, required):
    authenticator_for(officer)
    admin_password(client, officer)
    statuses = [client.post(ADMIN_CODE, {"code": "000000"}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    # Locked: the password is refused too, and the code step stays closed.
    assert admin_password(client, officer).status_code == 429
    assert not signed_in(client)


def test_a_backup_code_signs_in_once(client, administrator, required):
    authenticator_for(administrator)
    backup = backup_codes_issue(user=administrator)[0]
    admin_password(client, administrator)
    client.post(ADMIN_CODE, {"code": backup.upper()})
    assert client.get(ADMIN_INDEX).status_code == 200
    client.post(reverse("admin:logout"))

    admin_password(client, administrator)
    response = client.post(ADMIN_CODE, {"code": backup})
    assert response.status_code == 200 and not signed_in(client)
    assert StaticToken.objects.filter(device__user=administrator).count() == 9


def test_staff_without_an_authenticator_are_taken_to_set_one_up_and_kept_out_until_then(
        client, officer, required):
    response = admin_password(client, officer)
    assert response["Location"] == ADMIN_SETUP
    assert client.get(ADMIN_INDEX)["Location"].startswith(ADMIN_LOGIN)
    assert client.get(ADMIN_CODE)["Location"] == ADMIN_SETUP

    page = client.get(ADMIN_SETUP)
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "二要素認証" in html
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert re.sub(r"\s", "", page.context["secret"]) in re.sub(r"\s", "", html)
    assert client.get(ADMIN_INDEX).status_code == 302

    done = client.post(ADMIN_SETUP, {"code": code_of(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert len(done.context["backup_codes"]) == 10
    assert all(code in done.content.decode() for code in done.context["backup_codes"])
    assert client.get(ADMIN_INDEX).status_code == 200


def test_reloading_the_set_up_page_keeps_the_same_qr_code(client, officer, required):
    admin_password(client, officer)
    first = client.get(ADMIN_SETUP).context["secret"]
    assert client.get(ADMIN_SETUP).context["secret"] == first


def test_a_wrong_set_up_code_confirms_nothing(client, officer, required):
    admin_password(client, officer)
    client.get(ADMIN_SETUP)
    response = client.post(ADMIN_SETUP, {"code": "12345x"})
    assert response.status_code == 200 and "backup_codes" not in response.context
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
    assert not signed_in(client)


def test_a_session_signed_in_before_two_factor_was_required_must_sign_in_again(
        client, officer, required):
    client.force_login(officer)
    assert client.get(ADMIN_INDEX)["Location"].startswith(ADMIN_LOGIN)
    assert client.get("/api/v1/me/").status_code == 401


def test_without_the_requirement_staff_sign_in_with_the_password_only(client, officer):
    response = admin_password(client, officer)
    assert response["Location"] == ADMIN_INDEX
    assert client.get(ADMIN_INDEX).status_code == 200


def test_signed_in_staff_may_set_it_up_for_themselves_and_are_then_asked(client, officer):
    client.force_login(officer)
    page = client.get(ADMIN_SETUP)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=officer)
    client.post(ADMIN_SETUP, {"code": code_of(device)})
    assert client.get(ADMIN_INDEX).status_code == 200  # this session gave the code
    client.post(reverse("admin:logout"))

    assert admin_password(client, officer)["Location"] == ADMIN_CODE
    client.post(ADMIN_CODE, {"code": code_of(device, steps_ahead=1)})
    assert client.get(ADMIN_INDEX).status_code == 200


def test_the_code_step_without_a_password_first_goes_back_to_the_login(client):
    assert client.get(ADMIN_CODE)["Location"] == ADMIN_LOGIN
    assert client.post(ADMIN_CODE, {"code": "123456"})["Location"] == ADMIN_LOGIN
    assert client.get(ADMIN_SETUP)["Location"] == ADMIN_LOGIN


def test_a_pending_sign_in_expires(client, officer, required, settings):
    device = authenticator_for(officer)
    admin_password(client, officer)
    settings.OTP_PENDING_SIGN_IN_SECONDS = -1
    response = client.post(ADMIN_CODE, {"code": code_of(device)})
    assert response["Location"] == ADMIN_LOGIN and not signed_in(client)


# --- the token endpoint ---------------------------------------------------------------------

def test_the_token_endpoint_needs_the_code_for_staff(client, officer, required):
    device = authenticator_for(officer)
    missing = get_token(client, officer.username)
    assert (missing.status_code, missing.json()["code"]) == (401, "otp_required")
    assert missing["WWW-Authenticate"] == "Token"
    assert "otp_token" in missing.json()["detail"]

    wrong = get_token(client, officer.username, otp_token="000000")
    assert (wrong.status_code, wrong.json()["code"]) == (401, "otp_invalid")

    device.throttle_reset()  # django-otp makes the next try after a wrong code wait a second
    right = get_token(client, officer.username, otp_token=code_of(device))
    assert right.status_code == 200
    key = right.json()["token"]
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_the_token_endpoint_speaks_japanese_and_english(client, officer, required):
    authenticator_for(officer)
    japanese = get_token(client, officer.username).json()["detail"]
    english = client.post(TOKEN_URL, {"username": officer.username, "password": PASSWORD},
                          content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert "二要素" in japanese
    assert "second factor" in english.json()["detail"]


def test_the_token_endpoint_takes_a_backup_code_once(client, manager, required):
    authenticator_for(manager)
    backup = backup_codes_issue(user=manager)[0]
    assert get_token(client, manager.username, otp_token=backup).status_code == 200
    again = get_token(client, manager.username, otp_token=backup)
    assert (again.status_code, again.json()["code"]) == (401, "otp_invalid")


def test_staff_without_an_authenticator_get_no_token_until_they_set_one_up(
        client, officer, required):
    response = get_token(client, officer.username, otp_token="123456")
    assert (response.status_code, response.json()["code"]) == (401, "otp_setup_required")


def test_wrong_codes_at_the_token_endpoint_lock_the_account(client, officer, required):
    device = authenticator_for(officer)
    codes = [get_token(client, officer.username, otp_token="000000").json()["code"]
             for _ in range(5)]
    assert codes == ["otp_invalid"] * 4 + ["account_locked"]
    locked = get_token(client, officer.username, otp_token=code_of(device))
    assert (locked.status_code, locked.json()["code"]) == (429, "account_locked")


@pytest.mark.parametrize("otp_token", [123456, ["123456"], {"code": "123456"}, True, "",
                                       "1" * 33])
def test_a_code_that_is_not_a_short_string_is_refused_as_input(client, officer, required,
                                                                otp_token):
    authenticator_for(officer)
    response = get_token(client, officer.username, otp_token=otp_token)
    assert response.status_code == 400
    assert set(response.json()) == {"code", "detail", "fields"}
    assert "otp_token" in response.json()["fields"]


def test_without_the_requirement_staff_get_a_token_with_the_password_only(client, officer):
    assert get_token(client, officer.username).status_code == 200


# --- exporters ------------------------------------------------------------------------------

@pytest.fixture
def company(db):
    return ExporterProfileFactory()


def exporter_password(client, company):
    return client.post(EXPORTER_LOGIN, {"username": company.user.username,
                                        "password": PASSWORD})


def test_an_exporter_without_an_authenticator_signs_in_as_before(client, company, required):
    response = exporter_password(client, company)
    assert response["Location"] == reverse("exporter-home") and signed_in(client)
    assert get_token(client, company.user.username).status_code == 200


def test_an_exporter_turns_it_on_on_the_profile_and_is_then_asked_for_the_code(client,
                                                                               company):
    client.force_login(company.user)
    assert "二要素認証" in client.get(reverse("exporter-profile")).content.decode()
    page = client.get(EXPORTER_SETUP)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=company.user)
    done = client.post(EXPORTER_SETUP, {"code": code_of(device)})
    assert len(done.context["backup_codes"]) == 10
    client.post(reverse("exporter-logout"))

    response = exporter_password(client, company)
    assert response["Location"] == EXPORTER_CODE and not signed_in(client)
    # Not signed in yet: the front door, not the measures; the profile sends to sign in.
    assert "fits" not in client.get(reverse("exporter-home")).context
    assert client.get(reverse("exporter-profile"))["Location"].startswith(EXPORTER_LOGIN)
    response = client.post(EXPORTER_CODE, {"code": code_of(device, steps_ahead=1)})
    assert response["Location"] == reverse("exporter-home")
    assert client.get(reverse("exporter-home")).status_code == 200

    token = get_token(client, company.user.username)
    assert (token.status_code, token.json()["code"]) == (401, "otp_required")


def test_an_exporter_turns_it_off_with_a_code(client, company):
    device = authenticator_for(company.user)
    client.force_login(company.user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert client.post(EXPORTER_SETUP, {"code": "000000"}).status_code == 200
    assert TOTPDevice.objects.filter(user=company.user).exists()
    device.throttle_reset()
    response = client.post(EXPORTER_SETUP, {"code": code_of(device)})
    assert response["Location"] == reverse("exporter-profile")
    assert not TOTPDevice.objects.filter(user=company.user).exists()


def test_an_exporter_session_from_before_it_was_turned_on_must_sign_in_again(client,
                                                                             company):
    client.force_login(company.user)
    authenticator_for(company.user)
    response = client.get(reverse("exporter-home"))
    assert response["Location"].startswith(EXPORTER_LOGIN) and not signed_in(client)


# --- tokens issued on the password alone ---------------------------------------------------

def test_a_token_from_before_two_factor_was_required_stops_working(client, officer, settings):
    key = get_token(client, officer.username).json()["token"]
    settings.STAFF_OTP_REQUIRED = True
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert response.json()["code"] == "otp_setup_required"


def test_setting_up_an_authenticator_revokes_the_tokens_issued_on_the_password_alone(
        client, company):
    key = get_token(client, company.user.username).json()["token"]
    client.force_login(company.user)
    client.get(EXPORTER_SETUP)
    device = TOTPDevice.objects.get(user=company.user)
    client.post(EXPORTER_SETUP, {"code": code_of(device)})
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
