"""The quarterly report's review in a real browser: the officer submits with the button, the
manager returns it with a reason (which the officer then reads in a banner on top), and
approves it with the button; the report's page and the history page meet WCAG 2.1 AA (no
serious or critical axe-core finding) and work under the Content-Security-Policy."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from programs.models import ProgressReport, ReportStatus
from programs.services.progress_reports import progress_report_create
from tests.factories import InitiativeFactory, MilestoneFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
PASSWORD = "secret-pass-2026"  # every factory user's password
SERIOUS = {"serious", "critical"}


def sign_in(page, user, path):
    page.driver.delete_all_cookies()
    driver = page.open(f"/admin/login/?next={path}")
    driver.find_element(By.NAME, "username").send_keys(user.username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    WebDriverWait(driver, 10).until(lambda driver: "/login/" not in driver.current_url)
    return driver


def press(driver, move):
    """Press the button of a move and wait for the page it leads to."""
    button = driver.find_element(By.CSS_SELECTOR, f"button[name=move][value={move}]")
    button.click()
    WebDriverWait(driver, 10).until(expected_conditions.staleness_of(button))


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
