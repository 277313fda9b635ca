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
