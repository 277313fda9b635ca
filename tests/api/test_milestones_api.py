from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programs.models import Milestone, WorkStatus
from programs.services.milestones import milestone_update
from tests.factories import (
    CountryFactory,
    InitiativeFactory,
    MilestoneFactory,
    ProjectFactory,
    RegionFactory,
    StrategicFieldFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
URL = "/api/v1/milestones/"


def detail(milestone, suffix=""):
    return f"{URL}{milestone.pk}/{suffix}"


@pytest.fixture
def milestone(own_initiative):
    return MilestoneFactory(initiative=own_initiative)


ANY = {"HTTP_IF_MATCH": "*"}  # overwrite whatever is current: these tests are not about versions


def test_a_milestone_carries_its_version_in_its_etag(api, officer, milestone):
    response = api.as_user(officer).get(detail(milestone))
    assert response.status_code == 200
    assert response["ETag"].startswith('"v1-')
    assert response.json()["title_ja"] == milestone.title_ja


def test_a_change_without_if_match_is_refused_with_428_and_changes_nothing(api, officer,
                                                                           milestone):
    client = api.as_user(officer)
    changed = client.patch(detail(milestone), {"percent_complete": 40}, format="json")
    moved = client.post(detail(milestone, "transition/"), {"to": "in_progress"}, format="json")
    deleted = client.delete(detail(milestone))
    assert [r.status_code for r in (changed, moved, deleted)] == [428, 428, 428]
    assert changed.json()["code"] == "precondition_required"
    saved = Milestone.objects.get(pk=milestone.pk)
    assert (saved.version, saved.percent_complete) == (1, 0)


def test_a_304_is_never_stale_when_a_related_record_is_renamed(api, officer, milestone):
    """The ETag covers the representation, not only the record's version: the initiative's
    new name is in the milestone's body, so the tag held before is no longer current."""
    client = api.as_user(officer)
    held = client.get(detail(milestone))["ETag"]
    assert client.get(detail(milestone), HTTP_IF_NONE_MATCH=held).status_code == 304
    milestone.initiative.name_ja = "新しい名前"
    milestone.initiative.save()
    response = client.get(detail(milestone), HTTP_IF_NONE_MATCH=held)
    assert response.status_code == 200
    assert response.json()["initiative"]["name_ja"] == "新しい名前"
    assert response["ETag"] != held and response["ETag"].startswith('"v1-')


def test_a_read_with_a_stale_if_match_is_a_412_in_the_error_shape(api, officer, milestone):
    response = api.as_user(officer).get(detail(milestone), HTTP_IF_MATCH='"v1-0000"')
    assert response.status_code == 412
    assert response.json()["code"] == "stale_version"


def test_patch_with_current_etag_saves_and_returns_the_new_etag(api, officer, milestone):
    client = api.as_user(officer)
    etag = client.get(detail(milestone))["ETag"]
    response = client.patch(detail(milestone), {"percent_complete": 40}, format="json",
                            HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    assert response["ETag"].startswith('"v2-')
    assert Milestone.objects.get(pk=milestone.pk).percent_complete == 40


def test_patch_with_a_stale_etag_is_refused_with_412_and_changes_nothing(api, officer,
                                                                          milestone):
    client = api.as_user(officer)
    stale = client.get(detail(milestone))["ETag"]
    client.patch(detail(milestone), {"percent_complete": 40}, format="json", HTTP_IF_MATCH=stale)
    response = client.patch(detail(milestone), {"percent_complete": 10}, format="json",
                            HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert response.json()["code"] == "stale_version"
    assert Milestone.objects.get(pk=milestone.pk).percent_complete == 40


def test_a_stale_etag_also_stops_transitions_and_deletes(api, officer, milestone):
    client = api.as_user(officer)
    client.patch(detail(milestone), {"percent_complete": 5}, format="json", **ANY)
    stale = '"v1"'
    moved = client.post(detail(milestone, "transition/"), {"to": "in_progress"}, format="json",
                        HTTP_IF_MATCH=stale)
    deleted = client.delete(detail(milestone), HTTP_IF_MATCH=stale)
    assert (moved.status_code, deleted.status_code) == (412, 412)
    assert Milestone.objects.get(pk=milestone.pk).status == WorkStatus.NOT_STARTED


def test_transition_to_done_records_the_completion(api, officer, milestone):
    client = api.as_user(officer)
    client.post(detail(milestone, "transition/"), {"to": "in_progress"}, format="json", **ANY)
    response = client.post(detail(milestone, "transition/"),
                           {"to": "done", "completed_on": TODAY().isoformat()}, format="json",
                           **ANY)
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    assert response.json()["percent_complete"] == 100


def test_an_invalid_transition_is_a_409_with_a_stable_code(api, officer, milestone):
    response = api.as_user(officer).post(
        detail(milestone, "transition/"), {"to": "done", "completed_on": TODAY().isoformat()},
        format="json", **ANY)
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert Milestone.objects.get(pk=milestone.pk).status == WorkStatus.NOT_STARTED


def test_done_without_a_completion_date_is_a_400(api, officer, milestone):
    client = api.as_user(officer)
    client.post(detail(milestone, "transition/"), {"to": "in_progress"}, format="json", **ANY)
    response = client.post(detail(milestone, "transition/"), {"to": "done"}, format="json", **ANY)
    assert response.status_code == 400
    assert response.json()["code"] == "completion_date_required"


def test_unknown_and_protected_fields_are_refused_and_nothing_is_saved(api, officer,
                                                                       milestone):
    client = api.as_user(officer)
    response = client.patch(detail(milestone), {"percent_complete": 50, "version": 99,
                                                "owner_id": 1}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_field"
    assert set(body["fields"]) == {"version", "owner_id"}
    assert Milestone.objects.get(pk=milestone.pk).percent_complete == 0


def test_malformed_json_is_a_400(api, officer, milestone):
    response = api.as_user(officer).generic(
        "PATCH", detail(milestone), "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("payload, field", [
    ({"percent_complete": "lots"}, "percent_complete"),
    ({"percent_complete": 101}, "percent_complete"),
    ({"planned_due_on": "2026-02-30"}, "planned_due_on"),
    ({"planned_due_on": "3026-01-01"}, "planned_due_on"),
    ({"health": "purple"}, "health"),
    ({"title_ja": ""}, "title_ja"),
    ({"title_ja": "長" * 301}, "title_ja"),
])
def test_bad_input_gets_a_field_level_400(api, officer, milestone, payload, field):
    response = api.as_user(officer).patch(detail(milestone), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert Milestone.objects.get(pk=milestone.pk).version == 1


def test_error_messages_follow_accept_language(api, officer, milestone):
    client = api.as_user(officer)
    english = client.post(detail(milestone, "transition/"), {"to": "done",
                          "completed_on": TODAY().isoformat()}, format="json",
                          HTTP_ACCEPT_LANGUAGE="en", **ANY)
    japanese = client.post(detail(milestone, "transition/"), {"to": "done",
                           "completed_on": TODAY().isoformat()}, format="json",
                           HTTP_ACCEPT_LANGUAGE="ja", **ANY)
    assert english.json()["code"] == japanese.json()["code"] == "invalid_transition"
    assert "cannot change" in english.json()["detail"]
    assert english.json()["detail"] != japanese.json()["detail"]


def test_officer_creates_a_milestone_whose_baseline_defaults_to_the_plan(api, officer,
                                                                         own_initiative):
    due = (TODAY() + timedelta(days=20)).isoformat()
    response = api.as_user(officer).post(URL, {
        "initiative": own_initiative.pk, "title_ja": "報告書提出", "owner": officer.pk,
        "planned_due_on": due}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["baseline_due_on"] == due
    assert response["ETag"].startswith('"v1-')


def test_milestone_filters(api, manager):
    region = RegionFactory(code="asia")
    vietnam = CountryFactory(iso2="VN", region=region)
    parent = InitiativeFactory(code="AZEC2")
    child = InitiativeFactory(code="POWERER", parent=parent)
    child.countries.add(vietnam)
    overdue = MilestoneFactory(initiative=child, status=WorkStatus.IN_PROGRESS,
                               planned_due_on=TODAY() - timedelta(days=2),
                               baseline_due_on=TODAY() - timedelta(days=2))
    slipped = MilestoneFactory(initiative=parent, planned_due_on=TODAY() + timedelta(days=30),
                               baseline_due_on=TODAY() + timedelta(days=10))
    elsewhere = MilestoneFactory(title_ja="食品輸出の特設コーナー")
    client = api.as_user(manager)

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids(overdue="true") == {overdue.pk}
    assert ids(slipped="true") == {slipped.pk}
    assert ids(initiative=parent.pk) == {overdue.pk, slipped.pk}
    assert ids(country="VN") == {overdue.pk}
    assert ids(region="asia") == {overdue.pk}
    assert ids(due_before=TODAY().isoformat()) == {overdue.pk}
    assert ids(search="特設コーナー") == {elsewhere.pk}
    ordered = client.get(URL, {"ordering": "-planned_due_on"}).json()["results"]
    assert [row["id"] for row in ordered][0] == slipped.pk
    assert client.get(URL, {"country": "ZZ"}).status_code == 400


def test_the_overdue_count_is_every_overdue_milestone_of_the_place(api, manager, officer,
                                                                   administrator):
    """Overdue work anywhere or in one place is counted from the open-work tally, any other
    question by counting the rows: the count is the same either way, and the tally's answer
    reads no milestone to count them."""
    asia = RegionFactory(code="asia")
    vietnam, thailand = CountryFactory(iso2="VN", region=asia), CountryFactory(iso2="TH",
                                                                               region=asia)
    field = StrategicFieldFactory(code="gx")
    initiative = InitiativeFactory()
    initiative.countries.set([vietnam])
    initiative.fields.set([field])
    project = ProjectFactory(initiative=initiative)
    project.countries.set([vietnam, thailand])
    late = [MilestoneFactory(initiative=initiative, project=project if n % 2 else None,
                             owner=officer if n < 3 else manager, status=WorkStatus.IN_PROGRESS,
                             planned_due_on=TODAY() - timedelta(days=n + 1)) for n in range(7)]
    MilestoneFactory(initiative=initiative, planned_due_on=TODAY() + timedelta(days=3))
    MilestoneFactory(planned_due_on=TODAY() - timedelta(days=4))  # overdue, in no place
    client = api.as_user(manager)

    def count(**params):
        response = client.get(URL, {"page_size": 2, **params})
        assert response.status_code == 200, response.json()
        return response.json()["count"]

    with CaptureQueriesContext(connection) as region_list:
        assert count(overdue="true", region="asia") == 7
    assert not [q for q in region_list.captured_queries
                if "COUNT(" in q["sql"].upper() and "programs_milestone" in q["sql"]]
    assert count(overdue="true") == 8
    assert count(overdue="true", country="TH") == 3  # through the project only
    assert count(overdue="true", field="gx") == 7
    assert count(overdue="true", region="asia", owner=officer.pk) == 3
    assert count(overdue="true", country="TH", region="asia") == 3
    assert count(overdue="false", region="asia") == 1
    assert count(overdue="true", region="asia", search=late[0].title_ja) == 1

    milestone_update(milestone=late[0], by=administrator, data={
        "status": WorkStatus.DONE, "completed_on": TODAY(), "percent_complete": 100})
    assert count(overdue="true", region="asia") == 6


def test_page_size_is_capped_at_200(api, manager):
    initiative = InitiativeFactory()
    Milestone.objects.bulk_create([
        Milestone(initiative=initiative, title_ja=f"節目{n}", owner=manager,
                  planned_due_on=TODAY(), baseline_due_on=TODAY()) for n in range(205)])
    response = api.as_user(manager).get(URL, {"page_size": 10000})
    assert response.status_code == 200
    assert (response.json()["count"], len(response.json()["results"])) == (205, 200)
