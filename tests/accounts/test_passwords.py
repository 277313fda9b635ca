"""Passwords: Django's validators (at least 12 characters, not like the person or the company,
not common, not only digits, not one character repeated) wherever a password is set; a new
password, or a deactivated account, ends every token and session the person had."""

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.services import user_deactivate, user_set_password
from exporters.models import ExporterProfile
from tests.exporters.test_exporter_registration import application
from tests.factories import (
    CountryFactory,
    ExporterProfileFactory,
    ProductCategoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-2026"  # the password of every factory user
NEW_PASSWORD = "Umi-no-Sachi-2027!"
TOKEN_URL = "/api/v1/auth/token/"


def token_for(username, password=PASSWORD):
    response = Client().post(TOKEN_URL, {"username": username, "password": password},
                             content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def me_status(token):
    return Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code


def signed_in_client(user):
    client = Client()
    client.force_login(user)
    return client


def still_signed_in(client):
    """Whether the browser's session still opens a page for its person."""
    return client.get("/api/v1/me/").status_code == 200


def password_codes(response):
    assert response.status_code == 400, response.content
    return {error["code"] for error in response.json()["fields"]["password"]}


# --- registration ------------------------------------------------------------------------------

@pytest.fixture
def catalogue(db):
    ProductCategoryFactory(code="seafood", order=1, name_ja="水産物", name_en="seafood")
    CountryFactory(iso2="SG")


def register(client, password, **headers):
    data = application(password=password, product_categories=["seafood"],
                       target_markets=["SG"])
    return client.post("/api/v1/exporters/register/", data, content_type="application/json",
                       **headers)


@pytest.mark.parametrize("password, code", [
    (" " * 8, "password_too_short"),
    (" " * 12, "password_too_repetitive"),
    ("ab" * 8, "password_too_repetitive"),
    ("Kx9#mq2!Lp4", "password_too_short"),  # 11 characters
    ("みなと水産加工株式会社2026", "password_too_similar"),  # the company name
    ("MinatoSeafood", "password_too_similar"),  # the company's English name
    ("export@minato.example.jp", "password_too_similar"),  # the e-mail address
    ("password1234", "password_too_common"),
    ("202620262027", "password_entirely_numeric"),
])
def test_registration_refuses_a_weak_password_with_its_code(client, catalogue, password,
                                                            code):
    assert code in password_codes(register(client, password))
    assert not ExporterProfile.objects.exists()


def test_a_password_like_the_company_is_refused_in_japanese_and_english(client, catalogue):
    japanese = register(client, "みなと水産加工株式会社2026")
    assert japanese.json()["fields"]["password"][0]["message"] == (
        "このパスワードは 企業名 と似すぎています。")
    english = register(client, "みなと水産加工株式会社2026", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["fields"]["password"][0]["message"] == (
        "The password is too similar to the company name.")


def test_a_password_like_the_contact_or_the_address_names_them_as_the_company_wrote_them(
        client, catalogue):
    """The contact's name is kept as the account's last name too: the message named a
    "last name" the company never filled in."""
    contact = register(client, "輸出太郎のパスワード-9x", HTTP_ACCEPT_LANGUAGE="en")
    [said] = contact.json()["fields"]["password"]
    assert said["message"] == "The password is too similar to the contact person."
    address = register(client, "export@minato.example.jp", HTTP_ACCEPT_LANGUAGE="en")
    assert address.json()["fields"]["password"][0]["message"] == (
        "The password is too similar to the email address.")


def test_a_strong_password_registers(client, catalogue):
    assert register(client, NEW_PASSWORD).status_code == 201


# --- a new password ends every token and every other session -----------------------------------

def test_a_token_issued_before_a_password_change_stops_working(officer):
    token = token_for(officer.username)
    browser = signed_in_client(officer)
    user_set_password(user=officer, password=NEW_PASSWORD)
    assert not any(session.get_decoded().get("_auth_user_id") == str(officer.pk)
                   for session in Session.objects.all())
    assert me_status(token) == 401
    assert not still_signed_in(browser)
    assert me_status(token_for(officer.username, NEW_PASSWORD)) == 200


def test_the_service_refuses_a_weak_password_and_changes_nothing(officer):
    token = token_for(officer.username)
    with pytest.raises(ValidationError) as refused:
        user_set_password(user=officer, password="officer_a")
    assert "password" in refused.value.message_dict
    assert me_status(token) == 200
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


def test_an_administrator_setting_a_password_in_admin_signs_the_person_out(administrator,
                                                                           officer):
    token = token_for(officer.username)
    browser = signed_in_client(officer)
    admin = signed_in_client(administrator)
    url = f"/admin/accounts/user/{officer.pk}/password/"
    weak = admin.post(url, {"password1": "short-pw", "password2": "short-pw",
                            "usable_password": "true"})
    assert weak.status_code == 200 and weak.context["form"].errors
    assert me_status(token) == 200
    done = admin.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                            "usable_password": "true"})
    assert done.status_code == 302
    assert me_status(token) == 401
    assert not still_signed_in(browser)
    assert still_signed_in(admin)


def test_changing_ones_own_password_in_admin_keeps_this_session_only(officer):
    token = token_for(officer.username)
    elsewhere = signed_in_client(officer)
    here = signed_in_client(officer)
    assert here.get("/admin/password_change/").status_code == 200
    short = here.post("/admin/password_change/", {
        "old_password": PASSWORD, "new_password1": "Umi-2027!", "new_password2": "Umi-2027!"})
    assert short.status_code == 200 and "new_password2" in short.context["form"].errors
    changed = here.post("/admin/password_change/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD})
    assert changed.status_code == 302
    assert me_status(token) == 401
    assert not still_signed_in(elsewhere)
    assert still_signed_in(here)


def test_an_exporter_changes_the_password_on_the_exporter_page(client):
    profile = ExporterProfileFactory(company_name="みなと水産加工株式会社",
                                     company_name_en="Minato Seafood Processing")
    token = token_for(profile.user.username)
    client.force_login(profile.user)
    page = client.get("/exporters/password/")
    assert page.status_code == 200
    like_company = client.post("/exporters/password/", {
        "old_password": PASSWORD, "new_password1": "MinatoSeafoodProcessing",
        "new_password2": "MinatoSeafoodProcessing"})
    assert like_company.status_code == 200
    assert me_status(token) == 200
    changed = client.post("/exporters/password/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD})
    assert changed.status_code == 302
    assert me_status(token) == 401
    assert me_status(token_for(profile.user.email, NEW_PASSWORD)) == 200


def test_the_exporter_password_page_is_not_for_staff(officer):
    assert signed_in_client(officer).get("/exporters/password/").status_code == 403


def test_an_administrator_cannot_set_a_password_like_the_company_in_admin(administrator):
    profile = ExporterProfileFactory(company_name_en="Minato Seafood Processing")
    admin = signed_in_client(administrator)
    response = admin.post(f"/admin/accounts/user/{profile.user.pk}/password/", {
        "password1": "minato-seafood-processing", "password2": "minato-seafood-processing",
        "usable_password": "true"})
    assert response.status_code == 200
    assert response.context["form"].errors["password2"][0] == (
        "このパスワードは 企業名（英語） と似すぎています。")


def test_an_administrator_cannot_add_a_user_with_a_short_password(administrator):
    admin = signed_in_client(administrator)
    response = admin.post("/admin/accounts/user/add/", {
        "username": "newcomer", "usable_password": "true", "password1": "Kx9#mq2!Lp4",
        "password2": "Kx9#mq2!Lp4", "role": "officer", "language": "ja",
        "email": "newcomer@example.jp", "notification_preferences-TOTAL_FORMS": "0",
        "notification_preferences-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert "password2" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="newcomer").exists()


# --- deactivation --------------------------------------------------------------------------------

def test_a_deactivated_person_loses_every_token_and_session(administrator, officer):
    token = token_for(officer.username)
    browser = signed_in_client(officer)
    user_deactivate(user=officer, by=administrator)
    assert me_status(token) == 401
    assert not still_signed_in(browser)
    officer.is_active = True  # reactivated later: the old token and session stay dead
    officer.save()
    assert me_status(token) == 401
    assert not still_signed_in(browser)
    assert officer.history.first().history_user is not None


def test_deactivating_in_admin_revokes_the_persons_tokens(administrator):
    person = UserFactory(username="leaving", email="leaving@example.jp")
    token = token_for(person.username)
    browser = signed_in_client(person)
    admin = signed_in_client(administrator)
    url = f"/admin/accounts/user/{person.pk}/change/"
    form = admin.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if name != "password"}
    data = {key: value for key, value in data.items() if value not in (None, "", False)}
    data.pop("is_active")
    data["date_joined_0"], data["date_joined_1"] = "2026-01-01", "09:00:00"
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.update({"notification_preferences-TOTAL_FORMS": "0",
                 "notification_preferences-INITIAL_FORMS": "0"})
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert not person.is_active
    assert me_status(token) == 401
    assert not still_signed_in(browser)
    assert Client().post(TOKEN_URL, {"username": "leaving", "password": PASSWORD},
                         content_type="application/json").status_code == 400
    person.is_active = True  # back from leave: a new sign-in, not the old token
    person.save()
    assert me_status(token) == 401


# --- passwords as a person reads them --------------------------------------------------------

@pytest.mark.parametrize("changes, password", [
    ({"company_name": "Sakura Shuzo Co., Ltd."}, "SakuraShuzo2026!"),
    ({"company_name": "Sakura Shuzo Co., Ltd."}, "Sakura-Shuzo-2026"),
    ({"company_name_en": "Minato Seafood Processing"}, "Minato Seafood 2026"),
    ({"contact_name": "桜井 花子"}, "桜井花子桜井花子1234"),
    ({"corporate_number": "7000012050002"}, "7000012050002!"),
])
def test_a_password_made_of_the_companys_names_or_number_is_refused(client, catalogue, changes,
                                                                     password):
    data = application(password=password, product_categories=["seafood"],
                       target_markets=["SG"], **changes)
    response = client.post("/api/v1/exporters/register/", data, content_type="application/json")
    assert "password_too_similar" in password_codes(response)
    assert not ExporterProfile.objects.exists()


@pytest.mark.parametrize("password, code", [
    ("ｐａｓｓｗｏｒｄ１２３４", "password_too_common"),
    ("tracker-demo-2026", "password_too_common"),
    ("Tracker Demo 2026", "password_too_common"),
    ("ab\u200bc\u200bd\u200be\u200bf\u200b", "password_too_short"),
])
def test_a_password_is_judged_as_a_person_reads_it(client, catalogue, password, code):
    assert code in password_codes(register(client, password=password))


def test_the_admin_refuses_a_password_made_of_the_user_name(client, administrator):
    client.force_login(administrator)
    client.post(reverse("admin:accounts_user_add"), {
        "username": "newguy", "password1": "newguy123456", "password2": "newguy123456",
        "usable_password": "true"})
    assert not User.objects.filter(username="newguy").exists()
