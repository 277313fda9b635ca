"""The quarterly report's review in a real browser: the officer submits with the button, the
manager returns it with a reason (which the officer then reads in a banner on top), and
approves it with the button; the report's page and the history page meet WCAG 2.1 AA (no
serious or critical axe-core finding) and work under the Content-Security-Policy; the
figures' tables fit 1366 px with the strategy's long names and codes."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from programs.models import ProgressReport, ReportStatus
from programs.services.progress_reports import progress_report_create
from tests.browser.waits import left_the_page
from tests.factories import (
    InitiativeFactory,
    KPIFactory,
    KPIMeasurementFactory,
    MilestoneFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
SERIOUS = {"serious", "critical"}
SCROLLS_SIDEWAYS = """const page = document.documentElement;
return [page.scrollWidth, page.clientWidth];"""


def sign_in(page, user, path):
    page.driver.delete_all_cookies()
    return page.staff_sign_in(user.username, path=path)


def press(driver, move):
    """Press the button of a move and wait for the page it leads to."""
    button = driver.find_element(By.CSS_SELECTOR, f"button[name=move][value={move}]")
    button.click()
    left_the_page(driver, button)


def buttons(driver):
    return [button.text for button in driver.find_elements(By.CSS_SELECTOR,
                                                           "button[name=move]")]


def status_of(report):
    return ProgressReport.objects.get(pk=report.pk).status


@pytest.fixture
def report():
    officer = UserFactory(role="officer", last_name="山田", first_name="花子")
    initiative = InitiativeFactory(owner=officer, name_ja="農林水産物・食品の輸出拡大")
    MilestoneFactory(initiative=initiative, title_ja="輸出商談会の開催", status="in_progress",
                     health="amber")
    return progress_report_create(initiative=initiative, period="2026-Q4", by=officer)


@pytest.mark.screenshots
def test_an_officer_submits_and_a_manager_returns_then_approves_with_the_buttons(page, report):
    officer, manager = report.prepared_by, UserFactory(role="manager", last_name="佐藤",
                                                       first_name="健")
    path = f"/admin/programs/progressreport/{report.pk}/change/"

    driver = sign_in(page, officer, path)
    assert "2026年度 第3四半期 (10–12月)" in driver.find_element(By.ID, "content").text
    assert buttons(driver) == ["提出"]
    driver.find_element(By.NAME, "narrative").send_keys("商談会を開催し、成約が増えた。")
    page.screenshot("progress-report-officer-draft")
    press(driver, "submit")
    assert status_of(report) == ReportStatus.SUBMITTED
    assert buttons(driver) == []  # submitted: the officer has nothing more to do

    driver = sign_in(page, manager, path)
    assert buttons(driver) == ["承認", "差戻し"]
    page.screenshot("progress-report-manager-review")
    press(driver, "return")  # without a reason: refused next to the box
    assert "担当官に修正を求める内容を記入してください" in driver.find_element(
        By.CSS_SELECTOR, ".report-return-reason").text
    driver.find_element(By.NAME, "reason").send_keys("物流費のリスクを具体的に記載してください。")
    press(driver, "return")
    assert status_of(report) == ReportStatus.RETURNED

    driver = sign_in(page, officer, path)
    banner = driver.find_element(By.CSS_SELECTOR, ".report-returned")
    assert "物流費のリスクを具体的に記載してください。" in banner.text and "佐藤 健" in banner.text
    # The banner comes before the report's fields.
    assert banner.location["y"] < driver.find_element(By.NAME, "narrative").location["y"]
    assert page.accessibility_violations(impacts=SERIOUS) == []
    page.screenshot("progress-report-officer-returned")
    press(driver, "submit")

    driver = sign_in(page, manager, path)
    press(driver, "approve")
    assert status_of(report) == ReportStatus.APPROVED
    assert buttons(driver) == []
    content = driver.find_element(By.ID, "content").text
    assert "承認済み" in content and "Move" not in content
    assert driver.find_element(By.PARTIAL_LINK_TEXT, "PDF").get_attribute("href").endswith(
        f"/api/v1/progress-reports/{report.pk}/pdf/")
    assert page.violations() == []  # (before axe-core, which adds a style of its own)
    assert page.accessibility_violations(impacts=SERIOUS) == []
    page.screenshot("progress-report-manager-approved")


@pytest.mark.screenshots
def test_the_history_page_reads_well_and_passes_axe(page, report):
    manager = UserFactory(role="manager")
    milestone = report.initiative.milestones.get()
    from programs.services.milestones import milestone_update
    from programs.services.work_items import status_update_create

    milestone_update(milestone=milestone, by=report.prepared_by, data={"health": "red"})
    status_update_create(by=report.prepared_by, milestone=milestone, data={
        "reported_on": "2026-11-30", "summary": "物流費が高騰している。", "health": "red"})
    driver = sign_in(page, manager, f"/admin/programs/milestone/{milestone.pk}/history/")
    text = driver.find_element(By.ID, "content").text
    assert "物流費が高騰している。" in text and "赤（遅延・問題あり）" in text
    assert "None" not in text and "amber" not in text
    assert page.violations() == []  # (before axe-core, which adds a style of its own)
    assert page.accessibility_violations(impacts=SERIOUS) == []
    page.screenshot("milestone-history")


@pytest.mark.screenshots
def test_the_figures_of_a_report_with_long_names_fit_1366_pixels(page):
    officer = UserFactory(role="officer", last_name="山田", first_name="花子")
    initiative = InitiativeFactory(
        owner=officer, code="POWERER-ASIA",
        name_ja="アジア・エネルギー・資源供給力強靱化パートナーシップ（POWERER Asia: Partnership "
                "On Wide Energy and Resources Resilience Asia）")
    MilestoneFactory(initiative=initiative, status="in_progress",
                     title_ja="アジア各国の需要側（産業高度化・サプライチェーン強靱化・イノベーション）"
                              "へのスコープ拡大に向けた官民フォーラムの開催",
                     planned_due_on=timezone.localdate() - timedelta(days=10))
    for code, name in (("POWERER-ASIA-IMPORT-CAPACITY", "POWERER Asiaにより輸入可能となる原油量"),
                       ("POWERER-ASIA-SUPPORT", "POWERER Asiaの金融支援等の協力額")):
        kpi = KPIFactory(initiative=initiative, code=code, name_ja=name,
                         unit="hundred_million_barrels_per_year", target_value=Decimal(12),
                         target_year=2030)
        for year, value in ((2024, 1), (2025, 2)):
            KPIMeasurementFactory(kpi=kpi, period_on=date(year, 12, 31), value=Decimal(value))
    report = progress_report_create(initiative=initiative, period="2026-Q4", by=officer)

    driver = sign_in(page, officer, f"/admin/programs/progressreport/{report.pk}/change/")
    tables = driver.find_elements(By.CSS_SELECTOR, ".report-figure-table")
    assert "POWERER-ASIA-IMPORT-CAPACITY" in tables[-1].text  # the KPIs' table is there
    scroll_width, client_width = driver.execute_script(SCROLLS_SIDEWAYS)
    assert scroll_width <= client_width
    page.screenshot("progress-report-long-names")
    # On a phone each table scrolls in its own box and a title keeps a readable width (the
    # overdue table showed one three characters a line).
    page.resize(390, 844)
    driver.refresh()
    scroll_width, client_width = driver.execute_script(SCROLLS_SIDEWAYS)
    assert scroll_width <= client_width
    widths = driver.execute_script(
        "return [...document.querySelectorAll('.report-figure-table td, .report-figure-table th')]"
        ".filter(cell => cell.textContent.trim().length > 3)"
        ".map(cell => cell.getBoundingClientRect().width"
        " / parseFloat(getComputedStyle(cell).fontSize))")
    assert min(widths) >= 4
