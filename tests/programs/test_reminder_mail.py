"""The reminder e-mail people get: one a day at their hour, grouped and linked, in their
language, with the headers mail clients act on, and a one-click way to turn a kind off."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from programs.models import (
    Delivery,
    Initiative,
    Notification,
    NotificationPreference,
    ReportStatus,
    WorkStatus,
)
from programs.services.deliveries import delivery_send
from programs.services.progress_reports import (
    progress_report_approve,
    progress_report_create,
    progress_report_return,
    progress_report_submit,
    progress_report_update,
)
from programs.services.reminders import manager_digest_sweep, outbox_flush, reminders_sweep
from tests.factories import (
    MilestoneFactory,
    NotificationPreferenceFactory,
    ProgressReportFactory,
    ReminderTimeFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db
DUE = date(2027, 3, 10)


def local(day, hour, minute=0):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def send_all(report):
    for delivery_id in report.to_send:
        delivery_send(delivery_id)


@pytest.fixture
def busy_officer(officer, own_initiative):
    """On DUE: one milestone a week overdue... and one due in a week, one 60 days overdue."""
    MilestoneFactory(initiative=own_initiative, title_ja="一週間後", title_en="In a week",
                     planned_due_on=DUE + timedelta(days=7))
    MilestoneFactory(initiative=own_initiative, title_ja="昨日まで", title_en="Yesterday",
                     planned_due_on=DUE - timedelta(days=1))
    MilestoneFactory(initiative=own_initiative, title_ja="ずっと前", title_en="Long ago",
                     planned_due_on=DUE - timedelta(days=22))
    return officer


def test_a_persons_reminders_of_the_day_come_in_one_mail_most_urgent_first(busy_officer,
                                                                           mailoutbox):
    send_all(reminders_sweep(on=DUE))
    [message] = mailoutbox
    body = message.body
    assert message.to == [busy_officer.email]
    assert "3" in message.subject
    assert body.index("ずっと前") < body.index("昨日まで") < body.index("一週間後")
    for milestone in busy_officer.milestones.all():
        assert f"/milestone/{milestone.pk}/change/" in body
    assert busy_officer.notifications.count() == 3


def test_the_daily_mail_waits_for_the_persons_hour(busy_officer, mailoutbox):
    ReminderTimeFactory(user=busy_officer, hour=10)
    send_all(reminders_sweep(on=DUE, now=local(DUE, 0, 5)))
    assert mailoutbox == []
    outbox_flush(now=local(DUE, 9, 59))
    assert mailoutbox == []
    outbox_flush(now=local(DUE, 10, 0))
    assert len(mailoutbox) == 1
    outbox_flush(now=local(DUE, 11, 0))
    assert len(mailoutbox) == 1


def test_single_mails_are_an_opt_in_per_kind(busy_officer, mailoutbox):
    NotificationPreferenceFactory(user=busy_officer, kind="overdue", frequency="immediate")
    send_all(reminders_sweep(on=DUE))
    subjects = sorted(message.subject for message in mailoutbox)
    assert len(subjects) == 3, "two single overdue mails and one daily mail"


def test_an_english_reader_gets_english_titles_and_japanese_only_where_none_exists(
        busy_officer, own_initiative, mailoutbox):
    busy_officer.language = "en"
    busy_officer.save()
    MilestoneFactory(initiative=own_initiative, title_ja="英訳なし", title_en="",
                     planned_due_on=DUE + timedelta(days=7))
    send_all(reminders_sweep(on=DUE))
    [message] = mailoutbox
    for japanese in ("一週間後", "昨日まで", "ずっと前", own_initiative.name_ja):
        assert japanese not in message.body and japanese not in message.alternatives[0][0]
    assert "In a week" in message.body and own_initiative.name_en in message.body
    assert "英訳なし" in message.body


def test_the_mail_has_the_headers_mail_clients_act_on(busy_officer, client, mailoutbox):
    send_all(reminders_sweep(on=DUE))
    [message] = mailoutbox
    headers = message.extra_headers
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Message-ID"].startswith("<tracker-delivery-")
    link = headers["List-Unsubscribe"].strip("<>")
    assert link in message.body

    # A mail client's one-click POST: no session, no CSRF token.
    response = client.post(link.removeprefix("http://127.0.0.1:8000"),
                           {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert set(NotificationPreference.objects.filter(
        user=busy_officer, enabled=False).values_list("kind", flat=True)) == {
        "overdue", "due_soon"}


def test_a_company_that_turns_notices_off_is_told_whom_to_ask_not_preferences_it_lacks(
        client, exporter, settings):
    from programs.services.notifications import unsubscribe_link

    exporter.language = "ja"
    exporter.save()
    link = unsubscribe_link(exporter, "new_support_measure")
    assert link, "a company's notices can be turned off"
    page = client.post(link.removeprefix("http://127.0.0.1:8000"),
                       {"List-Unsubscribe": "One-Click"}).content.decode()
    assert settings.EXPORTER_CONTACT_EMAIL in page and "プログラム事務局" in page
    assert "通知設定" not in page and "notification preferences" not in page


def test_a_forged_unsubscribe_link_changes_nothing(client, officer):
    assert client.post("/reminders/unsubscribe/forged/").status_code == 404
    assert not NotificationPreference.objects.exists()


def test_the_plain_text_part_is_plain_text(officer, own_initiative, mailoutbox):
    NotificationPreferenceFactory(user=officer, kind="due_soon", frequency="immediate")
    MilestoneFactory(initiative=own_initiative, title_ja="A&B <商談会>",
                     planned_due_on=DUE + timedelta(days=7), status=WorkStatus.IN_PROGRESS)
    send_all(reminders_sweep(on=DUE))
    [message] = mailoutbox
    assert "A&B <商談会>" in message.body and "&amp;" not in message.body
    assert "A&amp;B &lt;商談会&gt;" in message.alternatives[0][0]
    assert "A&B <商談会>" in message.subject


def test_a_stale_reminder_in_the_digest_says_what_to_do(officer, own_initiative, mailoutbox):
    officer.language = "en"
    officer.save()
    milestone = MilestoneFactory(initiative=own_initiative, status=WorkStatus.IN_PROGRESS,
                                 planned_due_on=DUE + timedelta(days=100))
    StatusUpdateFactory(milestone=milestone, author=officer, reported_on=DUE - timedelta(days=30))
    send_all(reminders_sweep(on=DUE))
    assert "Add a status update." in mailoutbox[0].body


@pytest.fixture
def submitted(officer, own_initiative, django_capture_on_commit_callbacks):
    officer.language = "en"
    officer.save()
    report = progress_report_create(initiative=own_initiative, period="2026-Q3", by=officer)
    report = progress_report_update(report=report, by=officer, data={"narrative": "所見"})
    return progress_report_submit(report=report, by=officer)


@pytest.mark.parametrize("decision", ["returned", "approved"])
def test_the_officer_is_told_when_their_report_is_returned_or_approved(
        submitted, officer, manager, decision, django_capture_on_commit_callbacks):
    NotificationPreferenceFactory(user=officer, kind="report_reviewed", frequency="immediate")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if decision == "returned":
            progress_report_return(report=submitted, by=manager, reason="リスクを具体的に")
        else:
            progress_report_approve(report=submitted, by=manager)
    [notification] = officer.notifications.filter(kind="report_reviewed")
    [message] = mail.outbox
    assert message.to == [officer.email] and decision in message.subject
    if decision == "returned":
        assert "リスクを具体的に" in message.body and "リスクを具体的に" in notification.body
    # Sentences, read as paragraphs (they came as bullet points).
    html = message.alternatives[0][0]
    assert "<li>" not in html and html.count("<p>") >= 2
    # The bell shows the message, not the mail around it: no greeting, signature or the
    # link that turns the e-mails off.
    assert "様" not in notification.body.splitlines()[0]
    assert "-- " not in notification.body and "/reminders/" not in notification.body
    assert "unsubscribe" not in notification.body


def test_a_report_decision_waits_for_the_daily_mail_by_default(submitted, officer, manager,
                                                              django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        progress_report_return(report=submitted, by=manager, reason="数字を更新")
    assert mail.outbox == []
    delivery = Delivery.objects.get(kind="report_reviewed")
    outbox_flush(now=delivery.not_before)
    [message] = mail.outbox
    assert "数字を更新" in message.body


CODES = re.compile(r"\d{4}-Q\d|\d{4}-\d{2}-\d{2}")  # 2026-Q3, 2026-10-15


@pytest.mark.parametrize("language, period, due_day, planned_day", [
    ("ja", "2026年度 第2四半期 (7–9月)", "2026年10月15日", "2026年10月22日"),
    ("en", "FY2026 Q2 (Jul–Sep)", "15 October 2026", "22 October 2026"),
])
def test_notifications_name_periods_and_dates_as_their_reader_does(
        officer, manager, own_initiative, language, period, due_day, planned_day):
    """What the homes list under unread notifications, and the notification list shows: the
    report due, a milestone due soon, the manager's digest; never a code or an ISO date."""
    for person in (officer, manager):
        person.language = language
        person.save()
    # Q3 (July to September) ends on 30 September; its report is due on 15 October.
    Initiative.objects.filter(pk=own_initiative.pk).update(
        created_at=timezone.make_aware(datetime(2026, 1, 5)))
    MilestoneFactory(initiative=own_initiative, title_ja="来週の会合", title_en="Next week",
                     planned_due_on=date(2026, 10, 22))
    reminders_sweep(on=date(2026, 10, 15))
    ProgressReportFactory(initiative=own_initiative, period="2026-Q3",
                          status=ReportStatus.SUBMITTED, submitted_at=timezone.now(),
                          figures={}, figures_as_of=date(2026, 9, 30), prepared_by=officer)
    manager_digest_sweep(on=timezone.localdate() + timedelta(days=1))

    by_kind = {note.kind: note for note in Notification.objects.all()}
    assert {"report_due", "due_soon", "manager_digest"} <= set(by_kind)
    for note in by_kind.values():
        assert not CODES.search(note.title), note.title
        assert not CODES.search(note.body), note.body
    assert period in by_kind["report_due"].title and due_day in by_kind["report_due"].title
    assert planned_day in by_kind["due_soon"].body
    assert period in by_kind["manager_digest"].body
