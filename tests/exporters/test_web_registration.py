"""A company registers on the web page (/exporters/register/): the same service and rules as
the API — 法人番号 with its check digit, full-width digits accepted, duplicates told with the
same codes, the password rules, consent — then a page says what happens next, and the link
in the e-mail confirms the address. Registering is throttled with the API, in one bucket."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from kombu import pools

from exporters.models import ExporterProfile, ExporterStatus
from tests.factories import CountryFactory, ExporterProfileFactory, ProductCategoryFactory

pytestmark = pytest.mark.django_db
REGISTER = "/exporters/register/"


@pytest.fixture
def catalogue(db):
    return ({code: ProductCategoryFactory(code=code, order=order, name_ja=name, name_en=code)
             for order, (code, name) in enumerate([("seafood", "水産物"),
                                                   ("processed_food", "加工食品")])},
            {iso2: CountryFactory(iso2=iso2) for iso2 in ("SG", "HK")})


def application(catalogue, **changes):
    categories, markets = catalogue
    data = {
        "company_name": "みなと水産加工株式会社", "company_name_en": "Minato Seafood",
        "corporate_number": "７０００－０１２０－５０００２", "prefecture": "04",
        "contact_name": "輸出 太郎", "email": "Export@Minato.example.jp",
        "password1": "Kaisen-Export-2026!", "password2": "Kaisen-Export-2026!",
        "product_categories": [categories["seafood"].pk],
        "target_markets": [markets["SG"].pk, markets["HK"].pk], "consent": "on",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def error_codes(response, field):
    return {error.code for error in response.context["form"].errors.as_data().get(field, [])}


def test_a_company_registers_confirms_and_waits_for_the_review(
        client, catalogue, django_capture_on_commit_callbacks):
    assert client.get(REGISTER).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, application(catalogue))
    assert response.status_code == 302 and response["Location"] == "/exporters/register/next/"
    profile = ExporterProfile.objects.get()
    # The full-width, hyphenated 法人番号 and the address are stored as the API stores them.
    assert profile.corporate_number == "7000012050002"
    assert profile.user.email == "export@minato.example.jp"
    assert profile.status == ExporterStatus.PENDING_VERIFICATION
    assert profile.consented_at is not None
    assert {c.iso2 for c in profile.target_markets.all()} == {"SG", "HK"}
    assert profile.user.check_password("Kaisen-Export-2026!")

    next_page = client.get(response["Location"])
    assert "export@minato.example.jp" in next_page.content.decode()
    assert next_page.context["days"] == 3

    [message] = mail.outbox
    assert message.to == ["export@minato.example.jp"]
    link = re.search(r"https?://[^/\s]+(/exporters/verify/[^/\s]+/)", message.body).group(1)
    assert client.get(link).status_code == 200
    assert ExporterProfile.objects.get().status == ExporterStatus.PENDING_APPROVAL


def test_the_registration_page_links_to_how_the_data_are_used(client, catalogue):
    html = client.get(REGISTER).content.decode()
    assert 'href="/exporters/data-use/"' in html
    assert client.get("/exporters/data-use/").status_code == 200


@pytest.mark.parametrize("changes, field, code", [
    ({"corporate_number": "1000012050002"}, "corporate_number", "corporate_number_check_digit"),
    ({"corporate_number": "12345"}, "corporate_number", "corporate_number_length"),
    ({"consent": None}, "consent", "consent_required"),
    ({"password1": "1234", "password2": "1234"}, "password1", "password_too_short"),
    ({"password1": "Minato-Seafood-1!", "password2": "Minato-Seafood-1!"}, "password1",
     "password_too_similar"),
    ({"password2": "Kaisen-Export-2027!"}, "password2", "password_mismatch"),
    ({"email": "not-an-address"}, "email", "invalid"),
    ({"contact_name": "輸出 太郎\r\nBcc: victim@example.jp"}, "contact_name",
     "control_characters"),
])
def test_a_bad_application_is_told_on_the_form_and_nothing_is_saved(
        client, catalogue, changes, field, code, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, application(catalogue, **changes))
    assert response.status_code == 200
    assert code in error_codes(response, field)
    assert not ExporterProfile.objects.exists()
    assert not mail.outbox


def test_duplicates_are_told_with_the_same_codes_as_the_api(client, catalogue):
    ExporterProfileFactory(corporate_number="7000012050002",
                           user__username="export@minato.example.jp")
    response = client.post(REGISTER, application(catalogue, email="EXPORT@Minato.example.jp"))
    assert error_codes(response, "corporate_number") == {"corporate_number_taken"}
    assert error_codes(response, "email") == {"email_taken"}
    assert ExporterProfile.objects.count() == 1


def test_a_taken_number_and_a_weak_password_are_told_in_one_answer(client, catalogue):
    """Told one at a time, a company corrected one reason only to be refused for the next."""
    ExporterProfileFactory(corporate_number="7000012050002")
    response = client.post(REGISTER, application(catalogue, password1="abc", password2="abc"),
                           HTTP_ACCEPT_LANGUAGE="ja")
    assert error_codes(response, "corporate_number") == {"corporate_number_taken"}
    assert {"password_too_short", "password_too_repetitive"} <= error_codes(
        response, "password1")
    html = response.content.decode()
    assert "文字の種類が少なすぎます" in html and "繰り返し" not in html
    assert ExporterProfile.objects.count() == 1


def test_the_form_and_the_api_share_one_registration_throttle(client, catalogue, settings,
                                                             fresh_cache, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"register": "2/hour"})
    api = client.post("/api/v1/exporters/register/", {}, content_type="application/json")
    assert api.status_code == 400  # counted, though refused
    first = client.post(REGISTER, application(catalogue))
    assert first.status_code == 302
    second = client.post(REGISTER, application(
        catalogue, corporate_number="4010001234567", email="other@minato.example.jp"))
    assert second.status_code == 429
    assert int(second["Retry-After"]) > 0
    assert second.context["wait_minutes"] >= 1
    assert ExporterProfile.objects.count() == 1
    cache.clear()


def test_the_account_speaks_the_language_the_form_was_read_in(client, catalogue):
    response = client.post(REGISTER, application(catalogue), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert ExporterProfile.objects.get().user.language == "en"


def test_a_signed_in_company_is_not_asked_to_register_again(client, catalogue):
    client.force_login(ExporterProfileFactory().user)
    response = client.get(REGISTER)
    assert response.status_code == 302 and response["Location"] == "/exporters/"


@pytest.fixture
def file_broker(tmp_path):
    """Tasks queued, not run, on the development setup's file broker in a folder not made yet
    (CELERY_BROKER_FOLDER): as under plain `runserver`, without `make run`."""
    from tracker.celery import app

    folder = tmp_path / "celery"
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url",
                                             "broker_transport", "broker_transport_options")}

    def use(folder):
        app.conf.update(task_always_eager=False, broker_url="filesystem://",
                        broker_transport="tracker.celery:FolderTransport",
                        broker_transport_options={"data_folder_in": str(folder / "queue"),
                                                  "data_folder_out": str(folder / "queue"),
                                                  "control_folder": str(folder / "control")})
        # Connections are pooled by their options: the next publish opens one on `folder`.
        app._pool = None
        app.amqp._producer_pool = None

    use(folder)
    yield folder, use
    app.conf.update(saved)
    pools.reset()  # closes this test's connections
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_registering_queues_the_e_mail_on_a_broker_folder_not_made_yet(client, catalogue,
                                                                      file_broker):
    folder, _use = file_broker
    assert not folder.exists()
    response = client.post(REGISTER, application(catalogue))
    assert response.status_code == 302 and response["Location"] == "/exporters/register/next/"
    assert ExporterProfile.objects.get().status == ExporterStatus.PENDING_VERIFICATION
    [queued] = list((folder / "queue").iterdir())
    assert "send_delivery" in queued.read_text()


@pytest.mark.django_db(transaction=True)
def test_a_queue_that_cannot_be_written_neither_fails_registering_nor_loses_the_e_mail(
        client, catalogue, file_broker, tmp_path, caplog):
    from programs.models import Delivery, DeliveryStatus

    _folder, use = file_broker
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    use(not_a_folder)  # its folders cannot be made
    response = client.post(REGISTER, application(catalogue))
    assert response.status_code == 302 and response["Location"] == "/exporters/register/next/"
    profile = ExporterProfile.objects.get()
    # The confirmation waits in the outbox, which the one-minute flush sends; the log says so.
    [delivery] = Delivery.objects.filter(recipient=profile.user)
    assert delivery.status == DeliveryStatus.PENDING
    assert f"could not queue delivery {delivery.pk}: left for the outbox flush" in caplog.text
