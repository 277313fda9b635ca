"""The progress report's review page in the admin: a button for each move this person may
make now, the figures as tables, a returned report's reason on top, the period as staff name
it; a move that is refused is a message on the page, never a bare 403."""

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from programs.models import ProgressReport, ReportStatus
from programs.models.progress_report import recent_periods
from programs.reporting import labels
from programs.services.progress_reports import (
    progress_report_approve,
    progress_report_create,
    progress_report_return,
    progress_report_submit,
    progress_report_update,
)
from programs.workflow import report_moves_for
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db
PERIOD = "2026-Q4"  # October to December 2026: the third quarter of fiscal 2026


@pytest.fixture
def report(officer, own_initiative):
    MilestoneFactory(initiative=own_initiative, status="in_progress", health="red")
    return progress_report_create(initiative=own_initiative, period=PERIOD, by=officer)


@pytest.fixture
def submitted(report, officer):
    progress_report_update(report=report, by=officer, data={"narrative": "順調に進捗。"})
    return progress_report_submit(report=report, by=officer)


def url(report):
    return reverse("admin:programs_progressreport_change", args=[report.pk])


def move_buttons(page):
    html = page.content.decode()
    return [move for move in ("submit", "approve", "return")
            if f'name="move" value="{move}"' in html]


def test_an_officer_sees_only_the_submit_button_on_their_draft(client, officer, report):
    client.force_login(officer)
    page = client.get(url(report))
    assert move_buttons(page) == ["submit"]
    assert "提出" in page.content.decode()


def test_a_manager_sees_approve_and_return_on_a_submitted_report(client, manager, submitted):
    client.force_login(manager)
    page = client.get(url(submitted))
    html = page.content.decode()
    assert move_buttons(page) == ["approve", "return"]
    assert "承認" in html and "差戻し" in html and 'name="reason"' in html


@pytest.mark.parametrize("who", ["officer", "manager"])
def test_nobody_gets_a_button_on_an_approved_report(client, request, who, submitted, manager):
    progress_report_approve(report=submitted, by=manager)
    client.force_login(request.getfixturevalue(who))
    page = client.get(url(submitted))
    assert page.status_code == 200
    assert move_buttons(page) == []
    assert "Move: None" not in page.content.decode()


def test_the_officer_submits_with_the_button_and_the_narrative_is_kept(client, officer, report):
    client.force_login(officer)
    response = client.post(url(report), {"narrative": "第3四半期は順調。", "move": "submit",
                                         "opened_version": report.version})
    assert response.status_code == 302 and response["Location"] == url(report)
    report.refresh_from_db()
    assert (report.status, report.narrative) == (ReportStatus.SUBMITTED, "第3四半期は順調。")


def test_the_manager_approves_with_the_button(client, manager, submitted):
    client.force_login(manager)
    response = client.post(url(submitted), {"move": "approve",
                                            "opened_version": submitted.version}, follow=True)
    assert ProgressReport.objects.get(pk=submitted.pk).status == ReportStatus.APPROVED
    assert "承認済み" in response.content.decode()


def test_returning_needs_a_reason_next_to_the_box(client, manager, submitted):
    client.force_login(manager)
    response = client.post(url(submitted), {"move": "return", "reason": " ",
                                            "opened_version": submitted.version})
    assert response.status_code == 200
    assert "担当官に修正を求める内容を記入してください" in response.content.decode()
    assert ProgressReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED


def test_a_move_made_meanwhile_by_someone_else_is_a_japanese_message_not_a_403(
        client, manager, submitted):
    client.force_login(manager)
    opened = submitted.version
    progress_report_approve(report=submitted, by=manager)  # another tab, another manager
    response = client.post(url(submitted), {"move": "return", "reason": "再考を",
                                            "opened_version": opened}, follow=True)
    assert response.status_code == 200
    assert "承認済み" in response.content.decode()
    assert "何も変更されていません" in response.content.decode()
    assert ProgressReport.objects.get(pk=submitted.pk).status == ReportStatus.APPROVED


def test_an_officer_cannot_approve_by_posting_the_move(client, officer, submitted):
    client.force_login(officer)
    response = client.post(url(submitted), {"move": "approve",
                                            "opened_version": submitted.version}, follow=True)
    assert response.status_code == 200
    assert "何も変更されていません" in response.content.decode()
    assert ProgressReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED


def test_a_manager_cannot_submit_a_draft_by_posting_the_move(client, manager, report):
    client.force_login(manager)
    response = client.post(url(report), {"move": "submit", "opened_version": report.version},
                           follow=True)
    assert response.status_code == 200
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_the_page_reads_like_a_report(client, officer, manager, submitted):
    progress_report_return(report=submitted, by=manager, reason="リスクを具体的に記載してください")
    client.force_login(officer)
    html = client.get(url(submitted)).content.decode()
    # The period as staff name it; the reason on top, above the fields; figures as tables.
    assert "2026年度 第3四半期 (10–12月)" in html
    assert html.index("リスクを具体的に記載してください") < html.index('class="form-row')
    assert "<pre>" not in html and '"total"' not in html
    assert "マイルストーン数" in html or "マイルストーン" in html
    assert "赤" in html
    assert "上位の施策の件数は下位の施策を含みます。" in html  # under the figures by initiative
    assert f"/api/v1/progress-reports/{submitted.pk}/pdf/" in html


def test_a_return_with_no_reviewer_or_day_on_record_says_only_what_is_known(
        client, officer, manager, submitted):
    progress_report_return(report=submitted, by=manager, reason="数字を更新してください")
    client.force_login(officer)
    when = labels.day(timezone.localdate())
    banner = client.get(url(submitted)).content.decode()
    assert f"{when}、{manager.display_name}が差し戻しました。" in banner
    # A report returned before reviewers were recorded: neither who nor when.
    ProgressReport.objects.filter(pk=submitted.pk).update(reviewed_by=None, reviewed_at=None)
    html = client.get(url(submitted)).content.decode()
    assert "この報告書は差し戻されました" in html and "数字を更新してください" in html
    assert "—、—" not in html and "が差し戻しました" not in html
    ProgressReport.objects.filter(pk=submitted.pk).update(reviewed_by=manager)
    html = client.get(url(submitted)).content.decode()
    assert f"{manager.display_name}が差し戻しました。" in html and "—" not in html.split(
        'class="report-returned-by"')[1].split("</p>")[0]


@pytest.mark.parametrize("period, japanese, english", [
    ("2026-Q2", "2026年度 第1四半期 (4–6月)", "FY2026 Q1 (Apr–Jun)"),
    ("2026-Q4", "2026年度 第3四半期 (10–12月)", "FY2026 Q3 (Oct–Dec)"),
    ("2027-Q1", "2026年度 第4四半期 (1–3月)", "FY2026 Q4 (Jan–Mar)"),
])
def test_a_period_is_named_by_the_fiscal_year_that_starts_in_april(period, japanese, english):
    with translation.override("ja"):
        assert labels.quarter(period) == japanese
    with translation.override("en"):
        assert labels.quarter(period) == english


def test_the_list_names_and_filters_periods_the_way_staff_do(client, manager, submitted):
    client.force_login(manager)
    html = client.get(reverse("admin:programs_progressreport_changelist")).content.decode()
    assert "2026年度 第3四半期 (10–12月)" in html and "?period=2026-Q4" in html
    assert ">2026-Q4<" not in html


def test_nobody_yet_reads_as_a_dash_not_none(client, officer, report):
    client.force_login(officer)
    html = client.get(url(report)).content.decode()
    assert "None" not in re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("status", list(ReportStatus))
def test_the_buttons_offered_are_exactly_the_moves_the_services_accept(
        status, officer, other_officer, manager, report):
    """One rule: a move is offered on the page if and only if its service makes it."""
    moves = {"submit": lambda by: progress_report_submit(report=report, by=by),
             "approve": lambda by: progress_report_approve(report=report, by=by),
             "return": lambda by: progress_report_return(report=report, by=by, reason="理由")}
    for person in (officer, other_officer, manager):
        for move, make in moves.items():
            ProgressReport.objects.filter(pk=report.pk).update(
                status=status, narrative="報告", return_reason="理由",
                submitted_at=timezone.now())
            report.refresh_from_db()
            offered = move in report_moves_for(person, report)
            try:
                make(person)
                accepted = True
            except (PermissionDenied, ValidationError):
                accepted = False
            assert offered == accepted, (person.username, status, move)


# --- starting a report: the quarter chosen as staff name it ----------------------------------

ADD_URL = "/admin/programs/progressreport/add/"


@pytest.fixture
def on_2_december_2026(monkeypatch):
    # the clock the form reads
    monkeypatch.setattr("programs.admin.progress_reports.today", lambda: date(2026, 12, 2))


def period_options(html):
    select = re.search(r'<select name="period"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', select)


def test_recent_periods_are_this_fiscal_years_and_the_last_newest_first():
    assert recent_periods(date(2026, 12, 2)) == [
        "2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2"]
    assert recent_periods(date(2027, 2, 10))[0] == "2027-Q1"  # fiscal 2026 Q4 (Jan–Mar)
    assert recent_periods(date(2027, 2, 10))[-1] == "2025-Q2"  # fiscal 2025 Q1 (Apr–Jun)
    assert recent_periods(date(2026, 4, 1)) == [
        "2026-Q2", "2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2"]


def test_the_add_page_offers_the_quarters_as_staff_name_them(
        client, officer, own_initiative, on_2_december_2026):
    client.force_login(officer)
    html = client.get(ADD_URL).content.decode()
    options = period_options(html)
    assert [label for _value, _attrs, label in options] == [
        "2026年度 第3四半期 (10–12月)", "2026年度 第2四半期 (7–9月)",
        "2026年度 第1四半期 (4–6月)", "2025年度 第4四半期 (1–3月)",
        "2025年度 第3四半期 (10–12月)", "2025年度 第2四半期 (7–9月)",
        "2025年度 第1四半期 (4–6月)"]
    assert [attrs.strip() for _value, attrs, _label in options][0] == "selected"  # this quarter
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"20\d\d-Q\d", text)  # no code in what the officer reads


def test_the_quarter_chosen_is_stored_as_its_code(client, officer, own_initiative,
                                                  on_2_december_2026):
    client.force_login(officer)
    options = period_options(client.get(ADD_URL).content.decode())
    value = next(value for value, _attrs, label in options
                 if label == "2026年度 第2四半期 (7–9月)")
    response = client.post(ADD_URL, {"initiative": own_initiative.pk, "period": value})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.period == "2026-Q3"
    assert labels.quarter(report.period) == "2026年度 第2四半期 (7–9月)"


def test_a_period_not_offered_is_refused_in_japanese(client, officer, own_initiative,
                                                    on_2_december_2026):
    client.force_login(officer)
    response = client.post(ADD_URL, {"initiative": own_initiative.pk, "period": "2026-Q9"})
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()
    assert not ProgressReport.objects.exists()
