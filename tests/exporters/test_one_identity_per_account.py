"""An address or user name names one account, however it is spelt: nobody can register, or be
given, another account's address in capitals or full-width letters and so take over its
sign-in."""

import pytest
from django.urls import reverse

from exporters.models import ExporterProfile
from tests.exporters.test_exporter_registration import catalogue, register  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-2026"  # every factory user's password


@pytest.fixture
def administrator_by_email(db):
    return UserFactory(role="administrator", username="admin", email="admin@example.jp",
                       is_superuser=True)


@pytest.mark.parametrize("spelling", ["admin@ｅｘａｍｐｌｅ.jp", "ADMIN@example.jp",
                                      " Admin@Example.JP "])
def test_another_spelling_of_an_accounts_address_cannot_be_registered(
        client, catalogue, administrator_by_email, spelling):  # noqa: F811
    response = register(client, email=spelling)
    assert response.status_code == 400
    assert response.json()["code"] == "email_taken"
    assert not ExporterProfile.objects.exists()
    token = client.post("/api/v1/auth/token/", {"username": "admin@example.jp",
                                                "password": PASSWORD},
                        content_type="application/json")
    assert token.status_code == 200


def test_an_address_is_stored_as_it_is_matched(client, catalogue):  # noqa: F811
    assert register(client, email="Export@ＭＩＮＡＴＯ.example.jp").status_code == 201
    assert ExporterProfile.objects.get().user.email == "export@minato.example.jp"


def test_the_admin_cannot_give_a_new_account_another_accounts_address_as_its_name(
        client, administrator_by_email):
    client.force_login(administrator_by_email)
    response = client.post(reverse("admin:accounts_user_add"), {
        "username": "ADMIN@example.jp", "password1": "Long-enough-pass-2026!",
        "password2": "Long-enough-pass-2026!", "usable_password": "true"})
    assert response.status_code == 200
    assert "identity_taken" in {error.code for error in
                                response.context["adminform"].form.errors.as_data()["username"]}


def test_the_admin_cannot_give_an_account_another_accounts_address(client, administrator_by_email,
                                                                    officer):
    client.force_login(administrator_by_email)
    response = client.get(reverse("admin:accounts_user_change", args=[officer.pk]))
    form = response.context["adminform"].form
    data = {name: value for name, value in form.initial.items()
            if value is not None and name != "password"}
    data.update({"email": "ADMIN@ｅｘａｍｐｌｅ.jp", "username": officer.username,
                 "date_joined_0": officer.date_joined.strftime("%Y-%m-%d"),
                 "date_joined_1": officer.date_joined.strftime("%H:%M:%S")})
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data["groups"] = []
    data["user_permissions"] = []
    response = client.post(reverse("admin:accounts_user_change", args=[officer.pk]), data)
    assert response.status_code == 200
    assert "identity_taken" in {error.code for error in
                                response.context["adminform"].form.errors.as_data()["email"]}


def test_an_address_that_cannot_be_a_user_name_is_refused_on_the_address(client, catalogue):  # noqa: F811
    response = register(client, email="a=b@example.jp")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["email"]
    assert not ExporterProfile.objects.exists()
