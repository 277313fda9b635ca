"""One read rule for report figures, on every path: managers and administrators read every
initiative's; an officer those of the initiatives they own or are a member of. Another
officer reads them nowhere: not in the report or its files, not as a quarterly progress
report through the API or the admin, not on the report pages."""

import pytest
from django.urls import reverse

from programs.models import ProgressReport, ReportStatus
from programs.services.common import today
from programs.services.deliveries import delivery_send
from programs.services.reminders import manager_digest_sweep
from tests.factories import ProgressReportFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def member(own_initiative):
    person = UserFactory(role="officer", username="officer_member")
    own_initiative.members.add(person)
    return person


@pytest.fixture
def report(own_initiative, officer):
    return ProgressReportFactory(
        initiative=own_initiative, period="2026-Q2", prepared_by=officer,
        figures_as_of="2026-06-30", figures={"milestones": {"total": 7, "overdue": 3}})


READERS = ["officer", "member", "manager", "administrator"]


def person(request, who):
    return request.getfixturevalue(who)


@pytest.mark.parametrize("extension", ["json", "csv", "xlsx", "pdf", "pptx"])
@pytest.mark.parametrize("who, reads", [(who, True) for who in READERS]
                         + [("other_officer", False)])
def test_the_initiative_report_and_its_files(api, request, own_initiative, extension, who,
                                             reads):
    response = api.as_user(person(request, who)).get(
        f"{API}/reports/initiatives/{own_initiative.pk}/?format={extension}")
    assert response.status_code == (200 if reads else 403)


@pytest.mark.parametrize("who, reads", [(who, True) for who in READERS]
                         + [("other_officer", False)])
def test_a_quarterly_progress_report_through_the_api(api, request, report, who, reads):
    client = api.as_user(person(request, who))
    detail = client.get(f"{API}/progress-reports/{report.pk}/")
    assert detail.status_code == (200 if reads else 404)
    listed = [row["id"] for row in client.get(f"{API}/progress-reports/").json()["results"]]
    assert listed == ([report.pk] if reads else [])
    if not reads:
        assert "figures" not in detail.json()


@pytest.mark.parametrize("who, reads", [(who, True) for who in READERS]
                         + [("other_officer", False)])
def test_a_quarterly_progress_report_in_the_admin(client, request, report, who, reads):
    client.force_login(person(request, who))
    change = client.get(reverse("admin:programs_progressreport_change", args=[report.pk]))
    assert change.status_code == (200 if reads else 302)  # admin: "does not exist"
    changelist = client.get(reverse("admin:programs_progressreport_changelist"))
    assert list(changelist.context["cl"].result_list) == ([report] if reads else [])


@pytest.mark.parametrize("who, reads", [(who, True) for who in READERS]
                         + [("other_officer", False)])
def test_the_initiative_report_page(client, request, own_initiative, who, reads):
    client.force_login(person(request, who))
    response = client.get(reverse("report-initiative-page", args=[own_initiative.pk]))
    assert response.status_code == (200 if reads else 403)


@pytest.mark.parametrize("who, reads", [("manager", True), ("administrator", True),
                                        ("officer", False), ("other_officer", False)])
def test_the_portfolio_report_and_dashboard_are_for_managers_and_administrators(
        api, client, request, who, reads):
    user = person(request, who)
    assert api.as_user(user).get(f"{API}/reports/portfolio/").status_code == (
        200 if reads else 403)
    client.force_login(user)
    assert client.get(reverse("report-dashboard")).status_code == (200 if reads else 403)


def test_the_managers_digest_tells_each_manager_of_reports_awaiting_review(
        manager, officer, report, mailoutbox):
    ProgressReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.SUBMITTED, submitted_by=officer, submitted_at=report.created_at)
    for delivery_id in manager_digest_sweep(on=today()).to_send:
        delivery_send(delivery_id)
    [message] = mailoutbox
    assert message.to == [manager.email]
    assert report.initiative.name_ja in message.body
