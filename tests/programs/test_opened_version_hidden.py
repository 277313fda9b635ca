"""The version a page was opened at travels hidden with the form, so that saving on top of
someone else's change is refused; it is never a row of the page. A person who may only read a
page (a manager; an officer on another officer's work) never sees "Opened version: None",
on the page or in its inline tables, and a person who may change it still sends the version."""

import re

import pytest
from django.urls import reverse

from programs.models import ReportStatus
from tests.factories import (
    CountryActionFactory,
    CountryPlanFactory,
    KPIMeasurementFactory,
    MilestoneFactory,
    ProgressReportFactory,
    ProjectFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db


def pages_of(initiative):
    """Each admin page whose form, or an inline's, carries the opened version."""
    milestone = MilestoneFactory(initiative=initiative)
    StatusUpdateFactory(milestone=milestone)
    plan = CountryPlanFactory(initiative=initiative)
    measurement = KPIMeasurementFactory()
    return {
        "initiative": ("programs_initiative_change", initiative),
        "milestone": ("programs_milestone_change", milestone),
        "status update": ("programs_statusupdate_change", milestone.status_updates.get()),
        "project": ("programs_project_change", ProjectFactory(initiative=initiative)),
        "country plan": ("programs_countryplan_change", plan),
        "country action": ("programs_countryaction_change", CountryActionFactory(plan=plan)),
        "kpi": ("programs_kpi_change", measurement.kpi),
        "progress report": ("programs_progressreport_change", ProgressReportFactory(
            initiative=initiative, status=ReportStatus.DRAFT)),
    }


def page(client, user, name, obj):
    client.force_login(user)
    response = client.get(reverse(f"admin:{name}", args=[obj.pk]))
    assert response.status_code == 200, name
    return response.content.decode()


def assert_no_version_row(html, page_name):
    assert "Opened version" not in html, page_name
    assert "opened version" not in html.lower(), page_name
    assert not re.search(r">\s*None\s*<", html), page_name


PAGES = ("initiative", "milestone", "status update", "project", "country plan",
         "country action", "kpi", "progress report")


# Another officer's progress report is not found at all, let alone read: not a case here.
READ_ONLY_CASES = [(reader, page_name) for reader in ("manager", "other_officer")
                   for page_name in PAGES
                   if (reader, page_name) != ("other_officer", "progress report")]


@pytest.mark.parametrize(("reader", "page_name"), READ_ONLY_CASES)
def test_a_page_only_read_shows_no_opened_version(client, request, reader, page_name,
                                                  own_initiative):
    name, obj = pages_of(own_initiative)[page_name]
    html = page(client, request.getfixturevalue(reader), name, obj)
    assert_no_version_row(html, page_name)
    assert 'opened_version"' not in html, page_name  # nothing to send: nothing is saved


def test_the_owner_sends_the_opened_version_hidden_without_a_row(client, officer, own_initiative):
    pages = pages_of(own_initiative)
    for page_name in ("initiative", "milestone", "status update", "country action",
                      "progress report"):
        name, obj = pages[page_name]
        html = page(client, officer, name, obj)
        # Django keeps a hidden field's label in a row (or an inline's column heading) it
        # hides with the field.
        hidden = (html.count('class="form-row hidden field-opened_version"')
                  + html.count('class="column-opened_version hidden"'))
        assert html.count("Opened version") == hidden, page_name
        assert not re.search(r">\s*None\s*<", html), page_name
        assert re.search(r'<input type="hidden" name="[\w-]*opened_version"', html), page_name
