"""GET …/{id}/form/ tells each caller what they may change now, by the rules the writes
apply: what it names writable goes through, what it leaves out is refused."""

import pytest

from programs.services.progress_reports import progress_report_submit
from tests.factories import (
    CountryActionFactory,
    CountryPlanFactory,
    MilestoneFactory,
    ProgressReportFactory,
)

pytestmark = pytest.mark.django_db


def form(client, path):
    response = client.get(f"{path}form/")
    assert response.status_code == 200
    return response.json()


def test_an_officer_sees_the_fields_and_moves_open_on_their_milestone(api, officer,
                                                                      own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, status="in_progress")
    client = api.as_user(officer)
    path = f"/api/v1/milestones/{milestone.pk}/"
    answer = form(client, path)
    assert answer["id"] == milestone.pk and answer["version"] == milestone.version
    assert "planned_due_on" in answer["writable_fields"]
    assert "baseline_due_on" not in answer["writable_fields"]  # administrators re-baseline
    assert answer["transitions"] == ["blocked", "done", "cancelled"]
    etag = client.get(path)["ETag"]
    refused = client.patch(path, {"baseline_due_on": "2027-01-04"}, format="json",
                           HTTP_IF_MATCH=etag)
    assert refused.status_code == 400
    assert refused.json()["code"] == "field_not_writable"
    assert client.patch(path, {"planned_due_on": "2027-01-04"}, format="json",
                        HTTP_IF_MATCH=etag).status_code == 200


def test_an_administrator_may_also_rebaseline(api, administrator, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative)
    answer = form(api.as_user(administrator), f"/api/v1/milestones/{milestone.pk}/")
    assert "baseline_due_on" in answer["writable_fields"]


def test_a_manager_reads_but_may_change_nothing(api, manager, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative)
    client = api.as_user(manager)
    assert form(client, f"/api/v1/milestones/{milestone.pk}/") | {"id": 0, "version": 0} == {
        "id": 0, "version": 0, "writable_fields": [], "transitions": []}
    assert form(client, f"/api/v1/initiatives/{own_initiative.pk}/")["writable_fields"] == []


def test_a_country_action_names_its_fields_and_moves(api, officer, administrator,
                                                     own_initiative):
    action = CountryActionFactory(plan=CountryPlanFactory(initiative=own_initiative),
                                  status="not_started")
    path = f"/api/v1/country-actions/{action.pk}/"
    officers = form(api.as_user(officer), path)
    assert "text_ja" not in officers["writable_fields"]
    assert officers["transitions"] == ["in_progress", "blocked", "cancelled"]
    assert "text_ja" in form(api.as_user(administrator), path)["writable_fields"]


def test_a_progress_report_names_the_moves_of_each_role_at_each_state(api, officer, manager,
                                                                      own_initiative):
    report = ProgressReportFactory(initiative=own_initiative, prepared_by=officer,
                                   narrative="第3四半期は順調。")
    path = f"/api/v1/progress-reports/{report.pk}/"
    draft = form(api.as_user(officer), path)
    assert draft["writable_fields"] == ["narrative", "refresh_figures"]
    assert draft["moves"] == ["submit"]
    assert form(api.as_user(manager), path)["moves"] == []
    progress_report_submit(report=report, by=officer)
    report.refresh_from_db()
    assert form(api.as_user(manager), path)["moves"] == ["approve", "return"]
    submitted = form(api.as_user(officer), path)
    assert submitted == {"id": report.pk, "version": report.version, "writable_fields": [],
                         "moves": []}
