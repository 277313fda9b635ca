"""The quarterly report: drafted and submitted by officers, approved or returned by managers,
frozen once approved."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from programs.models import ProgressReport, ReportStatus
from programs.services.milestones import milestone_update
from programs.services.progress_reports import (
    period_bounds,
    progress_report_approve,
    progress_report_create,
    progress_report_return,
    progress_report_submit,
    progress_report_update,
)
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/progress-reports/"


def last_quarter():
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    year, quarter = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    return f"{year}-Q{quarter}"


@pytest.fixture
def draft(officer, own_initiative):
    start, end = period_bounds(last_quarter())
    MilestoneFactory(initiative=own_initiative, planned_due_on=end - timedelta(days=5),
                     baseline_due_on=end - timedelta(days=5), status="in_progress")
    return progress_report_create(initiative=own_initiative, period=last_quarter(), by=officer)


def codes(excinfo):
    error = excinfo.value
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def test_period_bounds():
    assert period_bounds("2026-Q3") == (date(2026, 7, 1), date(2026, 9, 30))
    assert period_bounds("2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    with pytest.raises(ValidationError):
        period_bounds("2026-Q5")


def test_a_draft_is_prefilled_with_the_figures_of_the_day_it_is_started(draft):
    assert draft.status == ReportStatus.DRAFT
    assert draft.figures_as_of == timezone.localdate()
    assert draft.figures["milestones"]["total"] == 1
    assert draft.figures["milestones"]["overdue"] == 1


def test_figures_taken_after_the_quarter_are_dated_the_day_they_describe(officer,
                                                                         own_initiative):
    """The figures are the milestones as they stand when taken, so a milestone completed
    after the quarter ended counts as done: the date beside the figures says so, not the
    quarter's last day."""
    _start, end = period_bounds(last_quarter())
    MilestoneFactory(initiative=own_initiative, planned_due_on=end, baseline_due_on=end,
                     status="done", percent_complete=100,
                     completed_on=timezone.localdate())
    report = progress_report_create(initiative=own_initiative, period=last_quarter(),
                                    by=officer)
    assert report.figures["milestones"]["by_status"]["done"] == 1
    assert report.figures_as_of == timezone.localdate() > end
    assert report.figures["as_of"] == report.figures_as_of.isoformat()


def test_the_whole_cycle_and_an_approved_report_is_frozen(draft, officer, manager):
    progress_report_update(report=draft, by=officer, data={"narrative": "順調に進捗。"})
    progress_report_submit(report=draft, by=officer)
    progress_report_return(report=draft, by=manager, reason="リスクを具体的に記載してください")
    draft.refresh_from_db()
    assert (draft.status, draft.return_reason) == (ReportStatus.RETURNED,
                                                   "リスクを具体的に記載してください")
    progress_report_update(report=draft, by=officer, data={"narrative": "リスク: 調整遅延。"})
    progress_report_submit(report=draft, by=officer)
    progress_report_approve(report=draft, by=manager)
    approved = ProgressReport.objects.get(pk=draft.pk)
    frozen_figures = approved.figures
    milestone = approved.initiative.milestones.get()
    milestone_update(milestone=milestone, by=officer, data={"health": "red"})
    assert ProgressReport.objects.get(pk=draft.pk).figures == frozen_figures
    with pytest.raises(ValidationError) as excinfo:
        progress_report_update(report=approved, by=officer, data={"narrative": "書き換え"})
    assert codes(excinfo) == {"invalid_transition"}
    history = [h.history_change_reason for h in approved.history.order_by("history_date")]
    assert history.count("submitted") == 2 and "returned" in history and "approved" in history


@pytest.mark.parametrize("move, who, status, expected", [
    ("approve", "officer", ReportStatus.SUBMITTED, PermissionDenied),
    ("return", "officer", ReportStatus.SUBMITTED, PermissionDenied),
    ("submit", "manager", ReportStatus.DRAFT, PermissionDenied),
    ("submit", "other_officer", ReportStatus.DRAFT, PermissionDenied),
    ("approve", "manager", ReportStatus.DRAFT, "invalid_transition"),
    ("return", "manager", ReportStatus.RETURNED, "invalid_transition"),
    ("submit", "officer", ReportStatus.SUBMITTED, "invalid_transition"),
    ("approve", "manager", ReportStatus.APPROVED, "invalid_transition"),
])
def test_refused_moves(draft, officer, other_officer, manager, move, who, status, expected):
    people = {"officer": officer, "other_officer": other_officer, "manager": manager}
    ProgressReport.objects.filter(pk=draft.pk).update(
        status=status, narrative="報告", submitted_at=timezone.now(),
        return_reason="理由" if status == ReportStatus.RETURNED else "")
    action = {"approve": lambda r, by: progress_report_approve(report=r, by=by),
              "return": lambda r, by: progress_report_return(report=r, by=by, reason="x"),
              "submit": lambda r, by: progress_report_submit(report=r, by=by)}[move]
    if expected is PermissionDenied:
        with pytest.raises(PermissionDenied):
            action(draft, people[who])
    else:
        with pytest.raises(ValidationError) as excinfo:
            action(draft, people[who])
        assert codes(excinfo) == {expected}
    assert ProgressReport.objects.get(pk=draft.pk).status == status


def test_submitting_needs_a_narrative_and_returning_a_reason(draft, officer, manager):
    with pytest.raises(ValidationError) as excinfo:
        progress_report_submit(report=draft, by=officer)
    assert codes(excinfo) == {"narrative_required"}
    progress_report_update(report=draft, by=officer, data={"narrative": "報告"})
    progress_report_submit(report=draft, by=officer)
    with pytest.raises(ValidationError) as excinfo:
        progress_report_return(report=draft, by=manager, reason=" ")
    assert codes(excinfo) == {"reason_required"}


def test_the_api_workflow_with_if_match(api, officer, manager, own_initiative, draft):
    client = api.as_user(officer)
    url = f"{URL}{draft.pk}/"
    etag = client.get(url)["ETag"]
    written = client.patch(url, {"narrative": "報告本文"}, format="json", HTTP_IF_MATCH=etag)
    assert written.status_code == 200
    stale = client.post(f"{url}submit/", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert client.post(f"{url}submit/").status_code == 428  # no If-Match: refused
    submitted = client.post(f"{url}submit/", HTTP_IF_MATCH=written["ETag"])
    assert submitted.json()["status"] == "submitted"
    etag = submitted["ETag"]
    assert client.post(f"{url}approve/", HTTP_IF_MATCH=etag).status_code == 403
    manager_client = api.as_user(manager)
    returned = manager_client.post(f"{url}return/", {"reason": ""}, format="json",
                                   HTTP_IF_MATCH=etag)
    assert returned.status_code == 400
    approved = manager_client.post(f"{url}approve/", HTTP_IF_MATCH=etag)
    assert approved.json()["status"] == "approved"
    again = manager_client.post(f"{url}approve/", HTTP_IF_MATCH=approved["ETag"])
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")
    client = api.as_user(officer)  # the one client signs in as the officer again
    duplicate = client.post(URL, {"initiative": own_initiative.pk, "period": draft.period},
                            format="json")
    assert (duplicate.status_code, duplicate.json()["code"]) == (400, "report_exists")
    future = client.post(URL, {"initiative": own_initiative.pk, "period": "2099-Q1"},
                         format="json")
    assert (future.status_code, future.json()["code"]) == (400, "period_in_future")
    assert "figures" not in client.get(URL).json()["results"][0]
