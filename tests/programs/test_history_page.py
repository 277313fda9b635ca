"""The history page of a record reads as people read it: in the interface language, fields by
their labels and choices by theirs, a blank as "—", who and when; a milestone's status updates
in the same timeline, newest first."""

import re
from datetime import date

import pytest
from django.urls import reverse

from programs.models import ProgressReport
from programs.services.milestones import milestone_transition, milestone_update
from programs.services.progress_reports import (
    progress_report_approve,
    progress_report_create,
    progress_report_submit,
    progress_report_update,
)
from programs.services.work_items import status_update_create
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone(officer, own_initiative):
    officer.last_name, officer.first_name = "山田", "花子"
    officer.save()
    milestone = MilestoneFactory(initiative=own_initiative, owner=officer,
                                 status="in_progress", health="green")
    milestone_update(milestone=milestone, by=officer,
                     data={"health": "red", "description": "輸送費が高騰"})
    status_update_create(by=officer, milestone=milestone, data={
        "reported_on": date(2026, 11, 30), "summary": "商談会を開催した。", "health": "red"})
    milestone_transition(milestone=milestone, to="done", by=officer,
                         completed_on=date(2026, 11, 30))
    return milestone


def history(client, obj, **headers):
    meta = obj._meta
    response = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_history",
                                  args=[obj.pk]), **headers)
    assert response.status_code == 200
    return response.content.decode()


def visible_text(html):
    return re.sub(r"<[^>]+>", " ", html)


def test_the_history_page_speaks_japanese_with_labels_not_codes(client, manager, milestone):
    client.force_login(manager)
    text = visible_text(history(client, milestone))
    assert "変更履歴" in text
    for english in ("View history", "Changed by", "OBJECT", "Object", "Changed", "None",
                    "in_progress", "green", "null", "[]"):
        assert english not in text, english
    assert "進行中" in text and "完了" in text  # the status, by its labels
    assert "緑（順調）" in text and "赤（遅延・問題あり）" in text
    assert "健全性" in text and "ステータス" in text  # fields by their labels
    assert "—" in text  # the blank description before it was written
    assert "山田 花子" in text  # who


def test_a_status_update_shows_in_the_milestones_timeline_newest_first(client, manager,
                                                                       milestone):
    client.force_login(manager)
    text = visible_text(history(client, milestone))
    assert "商談会を開催した。" in text and "2026年11月30日" in text
    # The timeline runs newest first: done, then the update, then the health change.
    assert text.index("完了") < text.index("商談会を開催した。") < text.index("輸送費が高騰")


def test_the_history_page_in_english(client, manager, milestone):
    client.force_login(manager)
    text = visible_text(history(client, milestone, HTTP_ACCEPT_LANGUAGE="en"))
    assert "In progress" in text and "Red (off track)" in text and "in_progress" not in text


def approved_report(initiative, officer, manager):
    """A report the officer wrote and submitted and the manager approved."""
    report = progress_report_create(initiative=initiative, period="2026-Q4", by=officer)
    progress_report_update(report=report, by=officer, data={"narrative": "順調。"})
    progress_report_submit(report=report, by=officer)
    progress_report_approve(report=report, by=manager)
    return report


def test_a_progress_reports_history_is_its_review_trail(client, officer, manager,
                                                         own_initiative):
    report = approved_report(own_initiative, officer, manager)
    client.force_login(officer)
    text = visible_text(history(client, ProgressReport.objects.get(pk=report.pk)))
    assert "提出済み" in text and "承認済み" in text
    assert "approved" not in text and "submitted" not in text and "figures" not in text


def test_a_users_history_never_shows_the_password_hash(client, administrator, officer):
    officer.set_password("another-pass-2026")
    officer.save()
    client.force_login(administrator)
    assert "pbkdf2" not in history(client, officer)


def test_a_reviewer_set_where_there_was_none_reads_blank_then_by_name(client, officer, manager,
                                                                      own_initiative):
    manager.last_name, manager.first_name = "通商", "課長"
    manager.save()
    report = approved_report(own_initiative, officer, manager)
    client.force_login(manager)
    html = history(client, ProgressReport.objects.get(pk=report.pk))
    assert '<th scope="row">審査者</th><td>—</td><td>通商 課長</td>' in html
    assert '<th scope="row">提出者</th><td>—</td>' in html
    text = visible_text(html)
    for english in ("Deleted", "pk=", "None"):
        assert english not in text, english


def test_a_reviewer_no_longer_on_record_reads_as_deleted_in_japanese(client, officer, manager,
                                                                     own_initiative):
    report = approved_report(own_initiative, officer, manager)
    # The history keeps the key of a person whose account has since gone.
    ProgressReport.history.filter(id=report.pk, reviewed_by=manager).update(
        reviewed_by_id=987654)
    client.force_login(manager)
    text = visible_text(history(client, ProgressReport.objects.get(pk=report.pk)))
    assert "削除済みのユーザー" in text
    for english in ("Deleted", "pk=", "None"):
        assert english not in text, english
