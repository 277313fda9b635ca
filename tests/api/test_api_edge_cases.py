"""The API's edges: odd input is a 400 in the error shape, never a 500; corrections honour
If-Match; a colleague's work is not deleted along with one's own."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from programs.models import (
    CountryAction,
    Initiative,
    KPIMeasurement,
    Milestone,
    StatusUpdate,
    WorkStatus,
)
from tests.factories import (
    CountryActionFactory,
    ExporterProfileFactory,
    KPIFactory,
    MilestoneFactory,
    StatusUpdateFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.overwrites]
TODAY = timezone.localdate
HUGE = "99999999999999999999"


def assert_error_shape(response, status_code, code):
    assert response.status_code == status_code, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "detail", "fields"}
    assert body["code"] == code, body
    return body


# --- 7. one notification preference ---------------------------------------------------------

def test_one_reminder_preference_can_be_read_on_its_own(api, officer):
    response = api.as_user(officer).get("/api/v1/notification-preferences/due_soon/")
    assert response.status_code == 200
    assert response.json() == {"kind": "due_soon", "enabled": True, "frequency": "daily_digest"}


def test_one_reminder_preference_reads_back_what_was_chosen(api, officer):
    client = api.as_user(officer)
    client.patch("/api/v1/notification-preferences/overdue/",
                 {"enabled": False, "frequency": "daily_digest"}, format="json",
                 HTTP_IF_MATCH="*")
    response = client.get("/api/v1/notification-preferences/overdue/")
    assert response.json() == {"kind": "overdue", "enabled": False,
                               "frequency": "daily_digest"}


def test_an_unknown_reminder_kind_is_a_json_404(api, officer):
    response = api.as_user(officer).get("/api/v1/notification-preferences/daily_digest/")
    assert_error_shape(response, 404, "not_found")


# --- 8. ids that do not fit are a 400 -------------------------------------------------------

@pytest.mark.parametrize("url", [
    f"/api/v1/milestones/?owner={HUGE}",
    f"/api/v1/milestones/?project={HUGE}",
    f"/api/v1/initiatives/?parent={HUGE}",
    f"/api/v1/initiatives/?owner={HUGE}",
    f"/api/v1/country-actions/?owner={HUGE}",
    f"/api/v1/milestones/?initiative={HUGE}",
    f"/api/v1/initiatives/?descendants_of={HUGE}",
    f"/api/v1/kpis/?initiative={HUGE}",
    f"/api/v1/status-updates/?milestone={HUGE}",
    "/api/v1/milestones/?project=-1",
    "/api/v1/milestones/?owner=0",
])
def test_an_id_filter_that_cannot_be_an_id_is_a_400_not_a_500(api, manager, url):
    response = api.as_user(manager).get(url)
    assert response.status_code == 400, response.content
    body = assert_error_shape(response, 400, response.json()["code"])
    assert set(body["fields"]) == {url.split("?")[1].split("=")[0]}


@pytest.mark.parametrize("url", [f"/api/v1/milestones/{HUGE}/", f"/api/v1/kpis/{HUGE}/"])
def test_a_record_id_too_big_to_exist_is_a_404(api, manager, url):
    assert_error_shape(api.as_user(manager).get(url), 404, "not_found")


def test_the_largest_possible_id_is_a_valid_filter_that_matches_nothing(api, manager):
    response = api.as_user(manager).get(f"/api/v1/milestones/?owner={2**63 - 1}")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_sane_id_filter_still_filters(api, manager, officer, own_initiative,
                                        others_initiative):
    mine = MilestoneFactory(initiative=own_initiative)
    MilestoneFactory(initiative=others_initiative)
    response = api.as_user(manager).get(f"/api/v1/milestones/?owner={officer.pk}")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


# --- 9. a done item's completion date is never in the future --------------------------------

def test_a_done_milestone_cannot_get_a_completion_date_in_the_future(api, officer,
                                                                     own_initiative):
    done_on = TODAY() - timedelta(days=3)
    milestone = MilestoneFactory(initiative=own_initiative, status=WorkStatus.DONE,
                                 completed_on=done_on, percent_complete=100)
    response = api.as_user(officer).patch(
        f"/api/v1/milestones/{milestone.pk}/",
        {"completed_on": (TODAY() + timedelta(days=5)).isoformat()}, format="json")
    assert_error_shape(response, 400, "completion_date_in_future")
    assert Milestone.objects.get(pk=milestone.pk).completed_on == done_on


def test_a_completion_date_for_unfinished_work_is_refused_not_dropped(api, officer,
                                                                     own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, status=WorkStatus.IN_PROGRESS)
    response = api.as_user(officer).patch(
        f"/api/v1/milestones/{milestone.pk}/",
        {"completed_on": (TODAY() - timedelta(days=2)).isoformat(), "percent_complete": 90},
        format="json")
    assert_error_shape(response, 400, "completion_date_not_done")
    unchanged = Milestone.objects.get(pk=milestone.pk)
    assert (unchanged.completed_on, unchanged.percent_complete) == (
        None, milestone.percent_complete)


def test_a_done_milestone_can_have_its_completion_date_corrected_to_the_past(
        api, officer, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, status=WorkStatus.DONE,
                                 completed_on=TODAY() - timedelta(days=3), percent_complete=100)
    earlier = TODAY() - timedelta(days=10)
    response = api.as_user(officer).patch(f"/api/v1/milestones/{milestone.pk}/",
                                          {"completed_on": earlier.isoformat()}, format="json")
    assert response.status_code == 200, response.json()
    assert Milestone.objects.get(pk=milestone.pk).completed_on == earlier


def test_a_done_country_action_cannot_get_a_completion_date_in_the_future(api, officer,
                                                                          own_initiative):
    done_on = TODAY() - timedelta(days=3)
    action = CountryActionFactory(plan__initiative=own_initiative, status=WorkStatus.DONE,
                                  completed_on=done_on)
    response = api.as_user(officer).patch(
        f"/api/v1/country-actions/{action.pk}/",
        {"completed_on": (TODAY() + timedelta(days=5)).isoformat()}, format="json")
    assert_error_shape(response, 400, "completion_date_in_future")
    assert CountryAction.objects.get(pk=action.pk).completed_on == done_on


# --- 10. KPI corrections honour If-Match ----------------------------------------------------

def test_a_kpi_result_for_a_period_ending_over_a_year_ahead_is_refused(api, officer,
                                                                      own_initiative):
    kpi = KPIFactory(initiative=own_initiative)
    url = f"/api/v1/kpis/{kpi.pk}/measurements/"
    client = api.as_user(officer)
    far = client.post(url, {"period_on": (TODAY() + timedelta(days=400)).isoformat(),
                            "value": "3"}, format="json")
    assert_error_shape(far, 400, "period_too_far_ahead")
    assert not kpi.measurements.exists()
    # A year to date, recorded before the year's end, is a result.
    year_to_date = client.post(url, {"period_on": (TODAY() + timedelta(days=120)).isoformat(),
                                     "value": "3"}, format="json")
    assert year_to_date.status_code == 201


def test_a_kpi_value_is_recorded_then_corrected_and_a_stale_correction_is_refused(
        api, officer, own_initiative):
    kpi = KPIFactory(initiative=own_initiative)
    url = f"/api/v1/kpis/{kpi.pk}/measurements/"
    client = api.as_user(officer)
    period = "2026-03-31"

    recorded = client.post(url, {"period_on": period, "value": "1.5"}, format="json")
    assert recorded.status_code == 201, recorded.json()
    first_etag = recorded["ETag"]
    assert first_etag

    corrected = client.post(url, {"period_on": period, "value": "1.7"}, format="json",
                            HTTP_IF_MATCH=first_etag)
    assert corrected.status_code == 200, corrected.json()
    assert corrected["ETag"] != first_etag
    assert Decimal(corrected.json()["value"]) == Decimal("1.7")

    stale = client.post(url, {"period_on": period, "value": "9.9"}, format="json",
                        HTTP_IF_MATCH=first_etag)
    assert_error_shape(stale, 412, "stale_version")
    measurement = KPIMeasurement.objects.get(kpi=kpi)
    assert measurement.value == Decimal("1.7")
    assert KPIMeasurement.objects.filter(kpi=kpi).count() == 1


def test_a_kpi_of_someone_elses_initiative_cannot_be_recorded(api, officer, others_initiative):
    kpi = KPIFactory(initiative=others_initiative)
    response = api.as_user(officer).post(f"/api/v1/kpis/{kpi.pk}/measurements/",
                                         {"period_on": "2026-03-31", "value": "1"},
                                         format="json")
    assert response.status_code == 403
    assert not KPIMeasurement.objects.filter(kpi=kpi).exists()


# --- 11. initiatives are owned by officers or administrators --------------------------------

@pytest.mark.parametrize("new_owner", ["exporter", "manager"])
def test_an_initiative_cannot_be_given_to_an_exporter_or_a_manager(
        api, administrator, officer, own_initiative, request, new_owner):
    person = request.getfixturevalue(new_owner)
    response = api.as_user(administrator).patch(f"/api/v1/initiatives/{own_initiative.pk}/",
                                                {"owner": person.pk}, format="json")
    body = assert_error_shape(response, 400, "invalid_owner")
    assert [e["code"] for e in body["fields"]["owner"]] == ["invalid_owner"]
    assert Initiative.objects.get(pk=own_initiative.pk).owner_id == officer.pk


def test_an_initiative_can_be_handed_to_another_officer(api, administrator, other_officer,
                                                        own_initiative):
    response = api.as_user(administrator).patch(f"/api/v1/initiatives/{own_initiative.pk}/",
                                                {"owner": other_officer.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert Initiative.objects.get(pk=own_initiative.pk).owner_id == other_officer.pk


# --- 12. deleting a milestone does not delete a colleague's narrative ----------------------

@pytest.fixture
def team_initiative(officer, others_initiative):
    others_initiative.members.add(officer)
    return others_initiative


def test_a_member_cannot_delete_a_milestone_carrying_a_colleagues_update(
        api, officer, other_officer, team_initiative):
    milestone = MilestoneFactory(initiative=team_initiative, owner=officer)
    StatusUpdateFactory(milestone=milestone, author=officer)
    colleagues = StatusUpdateFactory(milestone=milestone, author=other_officer)
    response = api.as_user(officer).delete(f"/api/v1/milestones/{milestone.pk}/")
    assert_error_shape(response, 400, "has_colleagues_updates")
    assert Milestone.objects.filter(pk=milestone.pk).exists()
    assert StatusUpdate.objects.filter(pk=colleagues.pk).exists()
    assert StatusUpdate.objects.filter(milestone=milestone).count() == 2


def test_a_member_deletes_a_milestone_carrying_only_their_own_updates(api, officer,
                                                                     team_initiative):
    milestone = MilestoneFactory(initiative=team_initiative, owner=officer)
    StatusUpdateFactory(milestone=milestone, author=officer)
    response = api.as_user(officer).delete(f"/api/v1/milestones/{milestone.pk}/")
    assert response.status_code == 204
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


# --- 13. per-initiative reminder thresholds -------------------------------------------------

def test_an_owner_sets_the_initiatives_due_soon_reminders(api, officer, own_initiative):
    response = api.as_user(officer).patch(f"/api/v1/initiatives/{own_initiative.pk}/",
                                          {"reminder_due_soon_days": [3]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["reminder_due_soon_days"] == [3]
    assert Initiative.objects.get(pk=own_initiative.pk).reminder_due_soon_days == [3]


@pytest.mark.parametrize("days", [[0], [], ["7"], [400], [3.5], [True], "7"],
                         ids=["zero", "empty", "string-in-list", "400-days", "fraction", "boolean",
                              "not-a-list"])
def test_due_soon_reminders_must_be_whole_days_between_1_and_365(api, officer, own_initiative,
                                                                  days):
    own_initiative.reminder_due_soon_days = [14]
    own_initiative.save()
    api.raise_request_exception = False  # a server error is an answer to assert on here
    response = api.as_user(officer).patch(f"/api/v1/initiatives/{own_initiative.pk}/",
                                          {"reminder_due_soon_days": days}, format="json")
    assert response.status_code == 400, response.content[:300]
    assert "reminder_due_soon_days" in response.json()["fields"]
    assert Initiative.objects.get(pk=own_initiative.pk).reminder_due_soon_days == [14]


# --- 14. unknown API paths are JSON 404s ----------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("get", "/api/v1/nonexistent/"),
    ("post", "/api/v1/milestones"),
    ("get", "/api/v1/milestones"),
    ("patch", "/api/v1/nonexistent/1/"),
    ("get", "/api/"),
    ("get", "/api"),
    ("get", "/api/v2/milestones/"),
    ("post", "/api/v0/auth/token/"),
])
@pytest.mark.parametrize("who", ["anonymous", "officer"])
def test_an_unknown_api_path_is_a_json_404_in_the_error_shape(api, officer, method, path, who):
    client = api.as_user(officer if who == "officer" else None)
    response = getattr(client, method)(path, {"title_ja": "x"} if method != "get" else None,
                                       format="json")
    body = assert_error_shape(response, 404, "not_found")
    assert body["detail"] and body["fields"] == {}


def test_an_unknown_record_is_still_a_json_404(api, officer):
    response = api.as_user(officer).get("/api/v1/milestones/987654/")
    assert_error_shape(response, 404, "not_found")


# --- 15. exporters sign in by e-mail address ------------------------------------------------

@pytest.mark.parametrize("spell", [str.upper, str.title, lambda email: f"  {email.upper()} "],
                         ids=["upper", "title", "upper-padded"])
def test_an_exporter_gets_a_token_with_the_e_mail_address_in_any_letter_case(api, spell):
    profile = ExporterProfileFactory()
    email = profile.user.email
    response = api.post("/api/v1/auth/token/",
                        {"username": spell(email), "password": "secret-pass-2026"},
                        format="json")
    assert response.status_code == 200, response.json()
    me = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert me.json()["username"] == profile.user.username


def test_an_exporter_whose_user_name_is_not_the_address_signs_in_by_address(api):
    profile = ExporterProfileFactory(user__username="minato-suisan",
                                     user__email="Info@Minato-Suisan.example.jp")
    response = api.post("/api/v1/auth/token/",
                        {"username": "info@minato-suisan.example.jp",
                         "password": "secret-pass-2026"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["token"]
    assert profile.user.username == "minato-suisan"


def test_an_address_with_the_wrong_password_gets_no_token(api):
    profile = ExporterProfileFactory()
    response = api.post("/api/v1/auth/token/",
                        {"username": profile.user.email.upper(), "password": "wrong"},
                        format="json")
    assert_error_shape(response, 400, "invalid_credentials")


def test_an_exporter_not_yet_approved_gets_no_token_by_address(api):
    profile = ExporterProfileFactory(status="pending_approval")
    response = api.post("/api/v1/auth/token/",
                        {"username": profile.user.email.upper(),
                         "password": "secret-pass-2026"}, format="json")
    assert_error_shape(response, 400, "invalid_credentials")


# --- filters that name nothing are a 400, not every record ----------------------------------

@pytest.mark.parametrize(("url", "code"), [
    ("/api/v1/support-measures/?market=ZZ", "invalid_choice"),
    ("/api/v1/support-measures/?product_category=bogus", "invalid_choice"),
    ("/api/v1/support-measures/?category=bogus", "invalid_choice"),
    ("/api/v1/support-measures/?provider=bogus", "invalid_choice"),
    ("/api/v1/support-measures/?open_now=maybe", "invalid"),
    ("/api/v1/milestones/?overdue=maybe", "invalid"),
    ("/api/v1/milestones/?slipped=yes", "invalid"),
    ("/api/v1/initiatives/?root=2", "invalid"),
    ("/api/v1/notifications/?unread=unread", "invalid"),
])
def test_a_filter_value_that_names_nothing_is_refused_on_its_parameter(api, manager, url, code):
    """A misspelt filter listed everything (or nothing) as if the caller had not asked."""
    response = api.as_user(manager).get(url, HTTP_ACCEPT_LANGUAGE="ja")
    body = assert_error_shape(response, 400, code)
    name = url.split("?")[1].split("=")[0]
    assert set(body["fields"]) == {name}
    assert [error["code"] for error in body["fields"][name]] == [code]


@pytest.mark.parametrize(("query", "codes"), [
    ("market=sg", {"SG-FISH", "SG-CLOSED"}), ("market=SG", {"SG-FISH", "SG-CLOSED"}),
    ("open_now=true", {"SG-FISH", "HK-TEA"}), ("open_now=1", {"SG-FISH", "HK-TEA"}),
    ("open_now=0", {"SG-CLOSED"}), ("product_category=seafood", {"SG-FISH", "SG-CLOSED"}),
])
def test_filter_values_written_as_clients_write_them_still_filter(api, manager, query, codes):
    """Refusing what names nothing must not refuse, or ignore, what clients write."""
    from datetime import date, timedelta

    from tests.factories import CountryFactory, ProductCategoryFactory, SupportMeasureFactory

    singapore, hong_kong = CountryFactory(iso2="SG"), CountryFactory(iso2="HK")
    seafood, tea = ProductCategoryFactory(code="seafood"), ProductCategoryFactory(code="tea")
    SupportMeasureFactory(code="SG-FISH", target_markets=[singapore],
                          product_categories=[seafood])
    SupportMeasureFactory(code="HK-TEA", target_markets=[hong_kong], product_categories=[tea])
    SupportMeasureFactory(code="SG-CLOSED", target_markets=[singapore],
                          closes_on=date.today() - timedelta(days=10))
    response = api.as_user(manager).get(f"/api/v1/support-measures/?{query}")
    assert response.status_code == 200, response.content
    assert {row["code"] for row in response.json()["results"]} == codes


def test_a_boolean_milestone_filter_written_in_capitals_still_filters(api, manager):
    from datetime import date, timedelta

    from tests.factories import MilestoneFactory

    late = MilestoneFactory(planned_due_on=date.today() - timedelta(days=3),
                            baseline_due_on=date.today() - timedelta(days=3),
                            status="in_progress")
    MilestoneFactory(planned_due_on=date.today() + timedelta(days=30),
                     baseline_due_on=date.today() + timedelta(days=30))
    rows = api.as_user(manager).get("/api/v1/milestones/?overdue=True").json()["results"]
    assert [row["id"] for row in rows] == [late.pk]
