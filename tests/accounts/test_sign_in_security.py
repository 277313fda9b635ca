"""Brute force is locked out; tokens expire and can be revoked."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "secret-pass-2026"


def get_token(client, username, password):
    return client.post(TOKEN_URL, {"username": username, "password": password},
                       content_type="application/json")


def test_five_wrong_passwords_lock_the_token_endpoint_even_for_the_right_one(client, officer):
    for _ in range(5):
        assert get_token(client, officer.username, "wrong").status_code in (400, 429)
    locked = get_token(client, officer.username, PASSWORD)
    assert (locked.status_code, locked.json()["code"]) == (429, "account_locked")


def test_the_admin_login_is_locked_out_too(client, officer):
    for _ in range(5):
        client.post("/admin/login/", {"username": officer.username, "password": "wrong"})
    response = client.post("/admin/login/", {"username": officer.username,
                                             "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_admins_lockout_is_a_page_with_its_header_and_the_way_back(client, officer):
    for _ in range(5):
        client.post("/admin/login/", {"username": officer.username, "password": "wrong"})
    response = client.post("/admin/login/", {"username": officer.username,
                                             "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 429 and 3500 < int(response["Retry-After"]) <= 3600
    assert response["Content-Type"].startswith("text/html")
    assert 'id="site-name"' in html and "通商戦略トラッカー" in html  # the admin's header
    assert "<title>アカウントがロックされています" in html
    assert "<h2>アカウントがロックされています</h2>" in html
    assert "60分間" in html and "管理者" in html  # when it ends, and whom to ask
    assert '<a href="/admin/login/">ログイン画面に戻る</a>' in html


def test_a_slowed_down_admin_sign_in_is_a_page_saying_how_long_to_wait(client, officer,
                                                                        settings):
    settings.TRUSTED_PROXY_COUNT = 1
    fail_from_many_clients(client, officer, 12)
    response = client.post("/admin/login/", {"username": officer.username,
                                             "password": PASSWORD},
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.99, 198.51.100.7")
    html = response.content.decode()
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 8
    assert "<h2>しばらくお待ちください</h2>" in html and "秒後" in html
    assert '<a href="/admin/login/">ログイン画面に戻る</a>' in html


def test_a_success_before_the_limit_resets_the_count(client, officer):
    for _ in range(4):
        get_token(client, officer.username, "wrong")
    assert get_token(client, officer.username, PASSWORD).status_code == 200
    for _ in range(4):
        get_token(client, officer.username, "wrong")
    assert get_token(client, officer.username, PASSWORD).status_code == 200


def test_an_expired_token_is_refused_and_signing_in_issues_a_new_one(client, officer, settings):
    key = get_token(client, officer.username, PASSWORD).json()["token"]
    Token.objects.filter(key=key).update(
        created=timezone.now() - timedelta(hours=settings.API_TOKEN_MAX_AGE_HOURS + 1))
    expired = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert (expired.status_code, expired.json()["code"]) == (401, "token_expired")
    fresh = get_token(client, officer.username, PASSWORD).json()["token"]
    assert fresh != key
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {fresh}").status_code == 200


def test_a_revoked_token_stops_working(client, officer):
    key = get_token(client, officer.username, PASSWORD).json()["token"]
    assert client.delete(TOKEN_URL, HTTP_AUTHORIZATION=f"Token {key}").status_code == 204
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert client.delete(TOKEN_URL).status_code == 401


# One identity per account, however it is typed -------------------------------------------

ADMIN_LOGIN = "/admin/login/"
EXPORTER_LOGIN = "/exporters/login/"


def spellings_of(address):
    """Twelve ways of typing one e-mail address: cases, spaces, full-width letters."""
    name, domain = address.split("@")
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in address)
    return [address, address.upper(), address.title(), f" {address}", f"{address} ",
            f"{name.upper()}@{domain}", f"{name}@{domain.upper()}", full_width,
            full_width.upper(), f"\t{address.upper()}\t",
            "".join(c.upper() if i % 2 else c for i, c in enumerate(address)),
            f"{name.capitalize()}@{domain.capitalize()}"]


def test_case_variants_of_an_email_share_one_lockout(client, officer):
    variants = spellings_of(officer.email)
    assert len(set(variants)) == 12
    statuses = [get_token(client, variant, "wrong").status_code for variant in variants]

    assert statuses[:4] == [400] * 4
    assert set(statuses[4:]) == {429}
    for spelling in (officer.email, officer.username, officer.username.upper()):
        locked = get_token(client, spelling, PASSWORD)
        assert (locked.status_code, locked.json()["code"]) == (429, "account_locked")


def test_a_locked_account_cannot_sign_in_by_its_email_in_capitals(client, administrator):
    for _ in range(5):
        client.post(ADMIN_LOGIN, {"username": administrator.username, "password": "wrong"})

    for spelling in (administrator.email.upper(), administrator.username.upper()):
        response = client.post(ADMIN_LOGIN, {"username": spelling, "password": PASSWORD})
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session
        assert get_token(client, spelling, PASSWORD).status_code == 429


def test_the_exporter_page_counts_every_spelling_of_an_account_as_one(client):
    from tests.factories import ExporterProfileFactory

    exporter = ExporterProfileFactory().user
    statuses = [client.post(EXPORTER_LOGIN, {"username": variant, "password": "wrong"}
                            ).status_code for variant in spellings_of(exporter.email)[:5]]
    assert statuses == [200] * 4 + [429]  # the form again with its error, then locked
    response = client.post(EXPORTER_LOGIN, {"username": exporter.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_any_spelling_of_a_user_name_or_email_signs_in(client, officer):
    for spelling in ("OFFICER_A", " Officer_A ", "ｏｆｆｉｃｅｒ＿ａ", officer.email.upper(),
                     f" {officer.email.title()} "):
        response = get_token(client, spelling, PASSWORD)
        assert response.status_code == 200, spelling
    response = client.post(ADMIN_LOGIN, {"username": "OFFICER_A", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_a_wrong_password_for_an_unknown_name_is_the_same_answer_as_for_a_known_one(client):
    response = get_token(client, "nobody@example.jp", "wrong")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_credentials")


def lock(client, user):
    for _ in range(5):
        get_token(client, user.username, "wrong")


def test_a_locked_account_says_so_in_japanese_first_and_in_english_on_request(client, officer):
    lock(client, officer)

    japanese = get_token(client, officer.username, PASSWORD)
    english = client.post(TOKEN_URL, {"username": officer.username, "password": PASSWORD},
                          content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    page = client.post(ADMIN_LOGIN, {"username": officer.username, "password": PASSWORD},
                       HTTP_ACCEPT_LANGUAGE="en")

    assert "ログイン" in japanese.json()["detail"] and "60分" in japanese.json()["detail"]
    assert "locked for 60 more minutes" in english.json()["detail"]
    assert "administrator" in english.json()["detail"]
    assert "locked for 60 more minutes" in page.content.decode()
    assert 3500 < int(japanese["Retry-After"]) <= 3600


def test_a_locked_account_unlocks_after_the_cool_off(client, officer):
    from axes.models import AccessAttempt

    lock(client, officer)
    assert get_token(client, officer.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1, minutes=1))

    assert get_token(client, officer.username, PASSWORD).status_code == 200


def test_trying_again_while_locked_does_not_extend_the_lock(client, officer):
    from axes.models import AccessAttempt

    lock(client, officer)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=59))
    assert get_token(client, officer.username, "wrong").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=61))

    assert get_token(client, officer.username, PASSWORD).status_code == 200


def test_an_administrator_unlocks_an_account_from_the_user_list(client, officer, administrator):
    lock(client, officer)
    assert get_token(client, officer.email.upper(), PASSWORD).status_code == 429

    admin = type(client)()
    admin.force_login(administrator)
    response = admin.post("/admin/accounts/user/", {
        "action": "unlock_sign_in", "_selected_action": [officer.pk]})

    assert response.status_code == 302
    assert get_token(client, officer.email.upper(), PASSWORD).status_code == 200


def test_a_manager_cannot_unlock_an_account(client, officer, manager):
    from django.core.exceptions import PermissionDenied

    from accounts.sign_in import account_unlock_sign_in

    lock(client, officer)
    with pytest.raises(PermissionDenied):
        account_unlock_sign_in(user=officer, by=manager)
    assert get_token(client, officer.username, PASSWORD).status_code == 429


# Behind a proxy: the lockout is per account and client; the account slows down for all ----

PROXY = "10.0.0.2"


def get_token_from(client, address, username, password):
    return client.post(TOKEN_URL, {"username": username, "password": password},
                       content_type="application/json", REMOTE_ADDR=PROXY,
                       HTTP_X_FORWARDED_FOR=f"192.0.2.99, {address}")


def test_behind_a_proxy_one_clients_failures_do_not_lock_the_account_for_others(
        client, officer, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        get_token_from(client, "203.0.113.5", officer.username, "wrong")

    locked = get_token_from(client, "203.0.113.5", officer.username, PASSWORD)
    colleague = get_token_from(client, "203.0.113.6", officer.username, PASSWORD)

    assert (locked.status_code, locked.json()["code"]) == (429, "account_locked")
    assert colleague.status_code == 200


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(
        client, officer):
    for n in range(5):
        client.post(TOKEN_URL, {"username": officer.username, "password": "wrong"},
                    content_type="application/json", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = client.post(TOKEN_URL, {"username": officer.username, "password": PASSWORD},
                           content_type="application/json",
                           HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert response.status_code == 429


def fail_from_many_clients(client, user, failures):
    for n in range(failures):
        get_token_from(client, f"203.0.113.{n // 4}", user.username, "wrong")


def age_failures(seconds):
    from axes.models import AccessFailureLog

    for failure in AccessFailureLog.objects.all():
        failure.attempt_time -= timedelta(seconds=seconds)
        failure.save(update_fields=["attempt_time"])


def test_failures_from_many_clients_slow_the_account_down_for_everyone(
        client, officer, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    fail_from_many_clients(client, officer, 12)

    slowed = get_token_from(client, "198.51.100.7", officer.username, PASSWORD)

    assert (slowed.status_code, slowed.json()["code"]) == (429, "sign_in_slowed_down")
    assert 1 <= int(slowed["Retry-After"]) <= 8
    assert "秒後" in slowed.json()["detail"]
    age_failures(8)
    assert get_token_from(client, "198.51.100.7", officer.username, PASSWORD).status_code == 200


def fail_patiently(client, user, failures, first=0):
    """Each failure after the wait the previous one caused, from a new client every four."""
    for n in range(first, first + failures):
        age_failures(61)
        response = get_token_from(client, f"203.0.113.{n // 4}", user.username, "wrong")
        assert response.status_code == 400


def test_the_wait_doubles_with_each_failure_up_to_a_minute(client, officer, settings):
    from accounts.sign_in import account_retry_after, canonical_identity

    settings.TRUSTED_PROXY_COUNT = 1
    settings.SIGN_IN_WINDOW_MINUTES = 60
    waits = []
    for n in range(16):
        fail_patiently(client, officer, 1, first=n)
        waits.append(account_retry_after(canonical_identity(officer.username)))
    assert waits == [0] * 9 + [2, 4, 8, 16, 32, 60, 60]


def test_a_stranger_cannot_keep_a_colleague_out_for_an_hour(client, officer, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    fail_patiently(client, officer, 30)
    for _ in range(5):  # and one client goes on to its own lockout
        get_token_from(client, "192.0.2.50", officer.username, "wrong")

    # The colleague keeps trying while slowed down: those tries are not counted against them.
    for _ in range(6):
        waiting = get_token_from(client, "198.51.100.7", officer.email, PASSWORD)
        assert waiting.status_code == 429 and 0 < int(waiting["Retry-After"]) <= 60
    age_failures(61)

    assert get_token_from(client, "198.51.100.7", officer.email, PASSWORD).status_code == 200
