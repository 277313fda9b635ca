"""Dates stay within 2000-01-01..2100-12-31 wherever they are given (report parameters, list
filters, write bodies, the reminder command), and one-line fields stay on one line: outside
that, a 400 in the error shape or a one-line command error, never a 500 or a traceback."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from programs.models import Delivery, DeliveryStatus, Milestone, WorkStatus
from tests.factories import MilestoneFactory

pytestmark = [pytest.mark.django_db, pytest.mark.overwrites]
API = "/api/v1"


@pytest.mark.parametrize("query", [
    "as_of=9999-12-31", "as_of=0001-01-01", "since=0001-01-01", "as_of=2101-01-01",
    "as_of=1999-12-31", "since=9999-12-31", "as_of=2026-06-30&since=0001-01-01",
])
@pytest.mark.parametrize("report", ["portfolio", "initiative"])
def test_a_report_date_outside_the_range_is_a_400_with_its_code(api, manager, own_initiative,
                                                                 query, report):
    path = (f"{API}/reports/portfolio/" if report == "portfolio"
            else f"{API}/reports/initiatives/{own_initiative.pk}/")
    response = api.as_user(manager).get(f"{path}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "date_out_of_range"
    name = "since" if query.split("&")[-1].startswith("since") else "as_of"
    assert body["fields"][name][0]["message"] == (
        "Give a date between 2000-01-01 and 2100-12-31.")


@pytest.mark.parametrize("extension", ["csv", "xlsx", "pdf"])
def test_a_report_file_with_a_date_outside_the_range_is_a_400(api, manager, extension):
    response = api.as_user(manager).get(
        f"{API}/reports/portfolio/?format={extension}&as_of=9999-12-31")
    assert response.status_code == 400


def test_the_range_message_is_japanese_by_default(api, manager):
    response = api.as_user(manager).get(f"{API}/reports/portfolio/?as_of=0001-01-01")
    assert response.status_code == 400
    message = response.json()["fields"]["as_of"][0]["message"]
    assert "2000-01-01" in message and "2100-12-31" in message
    assert "Give a date" not in message


def test_the_edges_of_the_range_are_accepted(api, manager):
    for day in ("2000-01-01", "2100-12-31"):
        response = api.as_user(manager).get(f"{API}/reports/portfolio/?as_of={day}&since={day}")
        assert response.status_code == 200, response.content


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "2101-01-01"])
@pytest.mark.parametrize("name", ["due_before", "due_after"])
def test_a_milestone_list_date_filter_outside_the_range_is_a_400(api, officer, name, value):
    response = api.as_user(officer).get(f"{API}/milestones/?{name}={value}")
    assert response.status_code == 400
    assert response.json()["fields"][name][0]["code"] == "date_out_of_range"


def test_a_milestone_due_date_outside_the_range_is_refused(api, officer, own_initiative):
    response = api.as_user(officer).post(f"{API}/milestones/", {
        "initiative": own_initiative.pk, "title_ja": "商談会", "owner": officer.pk,
        "planned_due_on": "9999-12-31"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "date_out_of_range"


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01",
                                   "2026-02-30", "２０２６-０１-０１"])
def test_send_reminders_refuses_a_date_outside_the_range_in_one_line(value):
    with pytest.raises(CommandError) as refused:
        call_command("send_reminders", "--date", value)
    assert "\n" not in str(refused.value)
    assert not Delivery.objects.exists()


def test_send_reminders_runs_on_the_last_day_of_the_range(officer, own_initiative):
    MilestoneFactory(initiative=own_initiative, owner=officer,
                     planned_due_on=date(2100, 12, 31) - timedelta(days=1))
    call_command("send_reminders", "--date", "2100-12-31")
    assert Delivery.objects.filter(kind="overdue").count() == 1


# --- one-line fields --------------------------------------------------------------------------

@pytest.mark.parametrize("title", ["商談会\r\nBcc: victim@example.jp", "商談会\n追記", "商談\t会",
                                   "商談\u2028会", "商談\x1b[2J会",
                                   # Read otherwise than written: reversed, or with a hidden
                                   # character between the letters.
                                   "承認済み\u202eクロリ", "商\u200b談会", "\ufeff商談会"])
def test_a_milestone_title_with_a_line_break_is_refused(api, officer, own_initiative, title):
    response = api.as_user(officer).post(f"{API}/milestones/", {
        "initiative": own_initiative.pk, "title_ja": title, "owner": officer.pk,
        "planned_due_on": "2026-12-01"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "control_characters"
    assert response.json()["fields"]["title_ja"][0]["code"] == "control_characters"
    assert not Milestone.objects.exists()


def test_a_title_with_an_emoji_sequence_is_accepted(api, officer, own_initiative):
    """Joiners inside an emoji (👩‍💻 is 👩 U+200D 💻) are part of what is seen."""
    response = api.as_user(officer).post(f"{API}/milestones/", {
        "initiative": own_initiative.pk, "title_ja": "商談会 👩\u200d💻", "owner": officer.pk,
        "planned_due_on": "2026-12-01"}, format="json")
    assert response.status_code == 201


def test_an_initiative_name_with_a_line_break_is_refused(api, administrator, own_initiative):
    response = api.as_user(administrator).patch(
        f"{API}/initiatives/{own_initiative.pk}/", {"name_en": "Exports\r\nBcc: x@example.jp"},
        format="json", HTTP_IF_MATCH=f'"v{own_initiative.version}"')
    assert response.status_code == 400
    assert response.json()["fields"]["name_en"][0]["code"] == "control_characters"


def test_the_admin_refuses_a_line_break_in_a_milestone_title(client, officer, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, owner=officer, title_ja="商談会")
    url = reverse("admin:programs_milestone_change", args=[milestone.pk])
    client.force_login(officer)
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["title_ja"] = "商談会\r\nBcc: victim@example.jp"
    response = client.post(url, data)
    assert response.status_code == 200
    assert [error.code for error in response.context["adminform"].form.errors.as_data()[
        "title_ja"]] == ["control_characters"]
    assert Milestone.objects.get(pk=milestone.pk).title_ja == "商談会"


def test_a_reminder_about_a_title_stored_with_a_line_break_has_a_one_line_subject(
        officer, own_initiative):
    # Stored before titles were checked (or written past the API): the reminder still goes.
    MilestoneFactory(initiative=own_initiative, owner=officer, status=WorkStatus.IN_PROGRESS,
                     title_ja="商談会\r\nBcc: victim@example.jp", planned_due_on=date(2026, 12, 8))
    call_command("send_reminders", "--date", "2026-12-01")
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert "Bcc: victim@example.jp" in message.subject  # as text, in the subject
    assert message.bcc == [] and message.recipients() == [officer.email]
    assert "\nBcc:" not in message.message().as_string().split("\n\n")[0]
    assert Delivery.objects.get(kind="daily_digest").status == DeliveryStatus.SENT
