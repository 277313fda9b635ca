"""A company registers, confirms its address, is approved by the programme, and then sees
(and is told about) the support measures that fit it."""

import itertools
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from exporters.api.views import FitSerializer
from exporters.models import ExporterProfile, ExporterStatus
from exporters.selectors import measures_fitting
from exporters.services.notices import support_measure_notify_exporters
from exporters.services.registrations import (
    exporter_approve,
    exporter_verify_email,
    verification_token,
)
from programs.models import Country, Delivery, ProductCategory
from programs.selectors.support import fit_of, published_measures
from programs.services.reminders import outbox_flush
from tests.factories import (
    CountryFactory,
    InitiativeFactory,
    OrganisationFactory,
    ProductCategoryFactory,
    SupportMeasureFactory,
)

pytestmark = pytest.mark.django_db
REGISTER = "/api/v1/exporters/register/"


@pytest.fixture
def catalogue(db):
    for order, (code, name) in enumerate([("seafood", "水産物"), ("processed_food", "加工食品"),
                                          ("alcoholic_beverages", "酒類")]):
        ProductCategoryFactory(code=code, order=order, name_ja=name, name_en=code)
    for iso2 in ("SG", "HK", "US", "TH", "JP"):
        CountryFactory(iso2=iso2)


@pytest.fixture
def reviewer(officer):
    InitiativeFactory(code="FOOD-EXPORT", owner=officer, reviews_exporter_registrations=True)
    return officer


def application(**changes):
    data = {
        "company_name": "みなと水産加工株式会社", "company_name_en": "Minato Seafood",
        "corporate_number": "7000012050002", "prefecture": "04", "contact_name": "輸出 太郎",
        "email": "export@minato.example.jp", "password": "Kaisen-Export-2026!",
        "product_categories": ["seafood", "processed_food"], "target_markets": ["SG", "HK"],
        "language": "ja", "consent": True,
    }
    data.update(changes)
    return data


def register(client, **changes):
    return client.post(REGISTER, application(**changes), content_type="application/json")


def token_from_mail():
    body = mail.outbox[-1].body
    return re.search(r"/exporters/verify/([^/\s]+)/", body).group(1)


def test_the_whole_flow_from_registration_to_matched_measures(
        client, catalogue, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client)
    assert response.status_code == 201
    assert response.json() == {"status": "pending_verification"}
    assert mail.outbox[-1].to == ["export@minato.example.jp"]

    login = {"username": "export@minato.example.jp", "password": "Kaisen-Export-2026!"}
    assert client.post("/api/v1/auth/token/", login,
                       content_type="application/json").status_code == 400

    verified = client.post("/api/v1/exporters/verify/", {"token": token_from_mail()},
                           content_type="application/json")
    assert verified.json() == {"status": "pending_approval"}
    assert client.post("/api/v1/auth/token/", login,
                       content_type="application/json").status_code == 400

    profile = ExporterProfile.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        exporter_approve(profile=profile, by=reviewer)
    assert mail.outbox[-1].to == ["export@minato.example.jp"]
    assert ExporterProfile.objects.get().status == ExporterStatus.APPROVED
    token = client.post("/api/v1/auth/token/", login,
                        content_type="application/json").json()["token"]
    me = client.get("/api/v1/exporters/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["status"] == "approved"
    assert me.json()["corporate_number"] == "7000012050002"


@pytest.mark.parametrize("changes, field, code", [
    ({"corporate_number": "1000012050002"}, "corporate_number", "corporate_number_check_digit"),
    ({"corporate_number": "12345"}, "corporate_number", "corporate_number_length"),
    ({"consent": False}, "consent", "consent_required"),
    ({"product_categories": ["caviar"]}, "product_categories", "does_not_exist"),
    ({"target_markets": ["XX"]}, "target_markets", "does_not_exist"),
    # Japan is where the company exports from (the web form does not offer it either).
    ({"target_markets": ["JP"]}, "target_markets", "does_not_exist"),
    ({"prefecture": "48"}, "prefecture", "invalid_choice"),
    ({"prefecture": 4}, "prefecture", "invalid_choice"),  # a code is a string
    ({"email": "not-an-address"}, "email", "invalid"),
    ({"password": "1234"}, "password", "password_too_short"),
    ({"is_staff": True}, "is_staff", "unknown_field"),
    ({"contact_name": "輸出 太郎\r\nBcc: victim@example.jp"}, "contact_name",
     "control_characters"),
    ({"company_name": "みなと水産\n加工株式会社"}, "company_name", "control_characters"),
])
def test_a_bad_application_is_refused_and_nothing_is_saved(
        client, catalogue, changes, field, code, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, **changes)
    assert response.status_code == 400
    codes = {error["code"] for error in response.json()["fields"][field]}
    assert code in codes
    assert not ExporterProfile.objects.exists()
    assert not mail.outbox


def test_a_duplicate_corporate_number_or_email_is_a_400_with_its_code(client, catalogue):
    register(client)
    again = register(client, email="other@example.jp")
    assert again.status_code == 400 and again.json()["code"] == "corporate_number_taken"
    same_mail = register(client, corporate_number="4010001234567")
    assert same_mail.status_code == 400 and same_mail.json()["code"] == "email_taken"
    assert ExporterProfile.objects.count() == 1


def test_full_width_corporate_numbers_are_accepted_and_stored_normalised(client, catalogue):
    assert register(client, corporate_number="７００００１２０５０００２").status_code == 201
    assert ExporterProfile.objects.get().corporate_number == "7000012050002"


def test_an_expired_or_forged_confirmation_link_is_refused(
        client, catalogue, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(client)
    forged = client.post("/api/v1/exporters/verify/", {"token": token_from_mail() + "x"},
                         content_type="application/json")
    assert forged.status_code == 400 and forged.json()["code"] == "token_invalid"
    settings.EXPORTER_VERIFICATION_MAX_AGE = -1
    expired = client.post("/api/v1/exporters/verify/", {"token": token_from_mail()},
                          content_type="application/json")
    assert expired.status_code == 400 and expired.json()["code"] == "token_expired"
    assert ExporterProfile.objects.get().status == ExporterStatus.PENDING_VERIFICATION


def test_the_corporate_number_cannot_be_changed_by_the_exporter(api, catalogue, reviewer):
    profile = _approved(reviewer)
    response = api.as_user(profile.user).patch(
        "/api/v1/exporters/me/", {"corporate_number": "4010001234567"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_field"
    assert ExporterProfile.objects.get().corporate_number == "7000012050002"


def test_a_profile_change_and_a_review_name_the_profile_as_read(api, catalogue, reviewer):
    profile = _approved(reviewer)
    officer_read = api.as_user(reviewer).get(f"/api/v1/exporters/{profile.pk}/")["ETag"]
    company = api.as_user(profile.user)
    read = company.get("/api/v1/exporters/me/")["ETag"]
    missing = company.patch("/api/v1/exporters/me/", {"contact_name": "輸出 花子"},
                            format="json")
    assert (missing.status_code, missing.json()["code"]) == (428, "precondition_required")
    changed = company.patch("/api/v1/exporters/me/", {"contact_name": "輸出 花子"},
                            format="json", HTTP_IF_MATCH=read)
    assert changed.status_code == 200 and changed["ETag"] != read

    stale = company.patch("/api/v1/exporters/me/", {"contact_name": "輸出 次郎"},
                          format="json", HTTP_IF_MATCH=read)
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")
    # The reviewer read the registration before the company changed it.
    rejected = api.as_user(reviewer).post(f"/api/v1/exporters/{profile.pk}/reject/",
                                          {"reason": "連絡先を確認できません"}, format="json",
                                          HTTP_IF_MATCH=officer_read)
    assert (rejected.status_code, rejected.json()["code"]) == (412, "stale_version")
    profile.refresh_from_db()
    assert (profile.contact_name, profile.status) == ("輸出 花子", ExporterStatus.APPROVED)


def _approved(reviewer, **changes):
    register(Client(), **changes)
    profile = ExporterProfile.objects.get(corporate_number=changes.get(
        "corporate_number", "7000012050002"))
    exporter_verify_email(token=verification_token(profile))
    return exporter_approve(profile=profile, by=reviewer)


def _measure(code, categories=(), markets=(), **fields):
    return SupportMeasureFactory(
        code=code, name_ja=code, **fields,
        product_categories=ProductCategory.objects.filter(code__in=categories),
        target_markets=Country.objects.filter(iso2__in=markets))


def test_matching_and_ranking_on_a_fixed_set_of_measures(catalogue, reviewer):
    profile = _approved(reviewer)
    today = date.today()
    _measure("EXACT", ["seafood"], ["SG"])
    _measure("CATEGORY-ONLY", ["processed_food"])
    _measure("ANYONE")
    _measure("UPCOMING", ["seafood"], opens_on=today + timedelta(days=30))
    _measure("WRONG-MARKET", ["seafood"], ["TH"])
    _measure("WRONG-CATEGORY", ["alcoholic_beverages"])
    _measure("CLOSED", closes_on=today - timedelta(days=1))
    _measure("DRAFT", is_published=False)
    fits = measures_fitting(profile, on=today)
    assert [fit.measure.code for fit in fits] == ["EXACT", "CATEGORY-ONLY", "UPCOMING", "ANYONE"]
    exact = fits[0]
    assert (exact.categories, exact.markets, exact.window) == (("seafood",), ("SG",), "always")
    assert (fits[-1].categories, fits[-1].markets) == (None, None)


def _measures_of_every_kind(today):
    """Measures of every score, window and deadline, some that do not fit or are closed, with
    codes out of creation order so that only the code can break a tie."""
    kinds = itertools.product(
        [(), ("seafood",), ("seafood", "processed_food"), ("alcoholic_beverages",)],
        [(), ("SG",), ("SG", "HK", "US")],
        [None, today - timedelta(days=10), today + timedelta(days=10)],
        [None, today + timedelta(days=5), today + timedelta(days=40), today - timedelta(days=1)])
    for n, (categories, markets, opens_on, closes_on) in enumerate(kinds):
        if opens_on and closes_on and opens_on > closes_on:
            continue  # no such window
        _measure(f"M-{(n * 37) % 144:03d}", categories, markets, opens_on=opens_on,
                 closes_on=closes_on)
    _measure("DRAFT", is_published=False)


def test_the_paged_ranking_is_the_python_ranking_it_replaced(api, catalogue, reviewer):
    """Page after page, the measures come in the order the former in-Python sort gave: best
    fit first, then the nearest deadline, measures without one last, then the code."""
    profile = _approved(reviewer)
    today = date.today()
    _measures_of_every_kind(today)
    expected = sorted(
        (fit for measure in published_measures()
         if (fit := fit_of(measure, categories={"seafood", "processed_food"},
                           markets={"SG", "HK"}, on=today))),
        key=lambda fit: (-fit.score, fit.measure.closes_on or date.max, fit.measure.code))

    client = api.as_user(profile.user)
    pages, url = [], "/api/v1/exporters/me/support-measures/?page_size=2"
    while url:
        page = client.get(url).json()
        assert len(page["results"]) <= 2
        pages.append(page)
        url = page["next"]

    rows = [row for page in pages for row in page["results"]]
    assert [(row["measure"]["code"], row["score"]) for row in rows] == [
        (fit.measure.code, fit.score) for fit in expected]
    assert len({fit.score for fit in expected}) >= 6  # a ranking worth checking
    assert {page["count"] for page in pages} == {len(expected)} == {72}


def test_a_page_past_the_end_is_not_found(api, catalogue, reviewer):
    profile = _approved(reviewer)
    _measure("ANYONE")
    response = api.as_user(profile.user).get("/api/v1/exporters/me/support-measures/",
                                             {"page": 2})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_matched_measures_endpoint_says_why(api, catalogue, reviewer):
    profile = _approved(reviewer)
    _measure("EXACT", ["seafood"], ["SG"])
    rows = api.as_user(profile.user).get(
        "/api/v1/exporters/me/support-measures/").json()["results"]
    assert rows[0]["measure"]["code"] == "EXACT"
    assert rows[0]["matched_categories"] == ["seafood"]
    assert rows[0]["matched_markets"] == ["SG"]


def test_a_published_measure_notifies_each_fitting_exporter_once(
        catalogue, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        profile = _approved(reviewer)
    mail.outbox.clear()  # the confirmation and approval mails
    measure = _measure("NEW-CORNER", ["seafood"], ["HK"])
    with django_capture_on_commit_callbacks(execute=True):
        support_measure_notify_exporters(measure)
        support_measure_notify_exporters(measure)
    notices = Delivery.objects.filter(kind="new_support_measure")
    assert [d.recipient for d in notices] == [profile.user]
    assert len(mail.outbox) == 0, "it waits for the exporter's daily e-mail"
    outbox_flush(now=notices[0].not_before)
    assert len(mail.outbox) == 1
    assert profile.user.notifications.filter(kind="new_support_measure").count() == 1


def test_a_measure_that_newly_fits_after_a_profile_change_is_announced_once(
        api, catalogue, reviewer, django_capture_on_commit_callbacks):
    profile = _approved(reviewer)
    measure = _measure("US-PROMOTION", ["seafood"], ["US"])
    with django_capture_on_commit_callbacks(execute=True):
        support_measure_notify_exporters(measure)
    assert not Delivery.objects.filter(kind="new_support_measure").exists()
    client = api.as_user(profile.user)
    with django_capture_on_commit_callbacks(execute=True):
        for markets in (["SG", "US"], ["SG"], ["US"]):
            changed = client.patch("/api/v1/exporters/me/", {"target_markets": markets},
                                   format="json", HTTP_IF_MATCH=client.get(
                                       "/api/v1/exporters/me/")["ETag"])
            assert changed.status_code == 200, changed.content
    assert Delivery.objects.filter(kind="new_support_measure", subject_id=measure.pk).count() == 1


def test_a_rejection_needs_a_reason_and_tells_the_applicant(
        api, client, catalogue, reviewer, django_capture_on_commit_callbacks):
    register(client)
    profile = exporter_verify_email(token=verification_token(ExporterProfile.objects.get()))
    client = api.as_user(reviewer)
    read = client.get(f"/api/v1/exporters/{profile.pk}/")["ETag"]
    refused = client.post(f"/api/v1/exporters/{profile.pk}/reject/", {"reason": ""},
                          format="json", HTTP_IF_MATCH=read)
    assert refused.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        rejected = client.post(f"/api/v1/exporters/{profile.pk}/reject/",
                               {"reason": "法人番号と会社名が一致しません"}, format="json",
                               HTTP_IF_MATCH=read)
    assert rejected.json()["status"] == "rejected"
    assert "法人番号と会社名が一致しません" in mail.outbox[-1].body


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_page_of_fits_is_exactly_what_the_fit_serializer_shows(api, catalogue, reviewer,
                                                                 language):
    """The page is built from the fits (exporters/api/fit_rows.py), not through FitSerializer:
    a client must not tell the two apart, in either language."""
    profile = _approved(reviewer)
    today = date.today()
    _measures_of_every_kind(today)
    SupportMeasureFactory(code="WITH-PROVIDER", provider=OrganisationFactory(abbreviation="JETRO"),
                          summary_en="In English", url="https://example.jp/m")
    client = api.as_user(profile.user)
    shown = client.get("/api/v1/exporters/me/support-measures/?page_size=200",
                       HTTP_ACCEPT_LANGUAGE=language).json()
    with translation.override(language):
        serialized = FitSerializer(list(measures_fitting(profile, on=today)), many=True).data
    assert shown["count"] == len(serialized) > 50
    assert JSONRenderer().render(shown["results"]) == JSONRenderer().render(serialized)
    assert any(row["measure"]["provider"] for row in shown["results"])
    assert any(row["matched_market_names"] for row in shown["results"])


def test_a_page_reads_its_fits_and_their_count_in_one_ranking_query(
        api, catalogue, reviewer, django_assert_max_num_queries):
    profile = _approved(reviewer)
    _measures_of_every_kind(date.today())
    client = api.as_user(profile.user)
    url = "/api/v1/exporters/me/support-measures/?page_size=5&page=3"
    # the exporter's scope, the ids of its categories and markets, the ranked page with its
    # count, the page's categories and markets, and the request's SAVEPOINT and RELEASE
    with django_assert_max_num_queries(6):
        page = client.get(url).json()
    assert page["count"] == 72 and len(page["results"]) == 5


def test_one_change_of_the_profile_is_one_row_of_its_history(api, catalogue, reviewer):
    profile = _approved(reviewer)
    rows_before = profile.history.count()
    company = api.as_user(profile.user)
    changed = company.patch(
        "/api/v1/exporters/me/",
        {"contact_name": "輸出 花子", "product_categories": ["alcoholic_beverages"],
         "target_markets": ["US", "TH"]},
        format="json", HTTP_IF_MATCH=company.get("/api/v1/exporters/me/")["ETag"])
    assert changed.status_code == 200
    assert profile.history.count() == rows_before + 1
    latest = profile.history.latest("history_date")
    assert latest.contact_name == "輸出 花子"
    assert sorted(latest.target_markets.values_list("country__iso2", flat=True)) == ["TH", "US"]


def test_a_registration_is_one_row_of_history_until_it_is_reviewed(client, catalogue):
    assert register(client).status_code == 201
    profile = ExporterProfile.objects.get()
    assert [row.history_type for row in profile.history.all()] == ["+"]
    assert sorted(profile.target_markets.values_list("iso2", flat=True)) == ["HK", "SG"]
