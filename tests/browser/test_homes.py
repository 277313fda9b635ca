"""Each role's home in chromium: an officer lands on it, opens an overdue milestone from it,
updates it and sees it leave the list; a manager finds the dashboard from it; the bell's count
drops when a notification is read. Every page passes axe-core with no serious or critical
violation and runs under the strict Content-Security-Policy."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from accounts.models import User
from exporters.models import ExporterStatus
from programs.models import DeliveryStatus, Initiative, Milestone, ReportStatus, WorkStatus
from tests.factories import (
    DeliveryFactory,
    ExporterProfileFactory,
    InitiativeFactory,
    MilestoneFactory,
    NotificationFactory,
    ProgressReportFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
SERIOUS = {"serious", "critical"}


def assert_fine(page):
    """The page works under the policy and has no serious accessibility fault."""
    assert page.violations() == []
    assert page.accessibility_violations(impacts=SERIOUS) == []


def section_text(driver, key):
    return driver.find_element(By.ID, f"home-{key}").text


def test_an_officer_lands_on_the_home_and_clears_an_overdue_milestone_from_it(page):
    officer = UserFactory(role="officer")
    initiative = InitiativeFactory(owner=officer)
    late = MilestoneFactory(initiative=initiative, title_ja="NEXI金融支援の条件合意",
                            status=WorkStatus.IN_PROGRESS,
                            planned_due_on=timezone.localdate() - timedelta(days=4))
    driver = page.staff_sign_in(officer.username)
    # Signing in lands on the home, in Japanese.
    assert driver.current_url.endswith("/admin/")
    assert "NEXI金融支援の条件合意" in section_text(driver, "overdue")
    assert_fine(page)
    # One click from the home to the milestone; mark it done today and save.
    driver.find_element(By.LINK_TEXT, "NEXI金融支援の条件合意").click()
    WebDriverWait(driver, 10).until(lambda driver: "/change/" in driver.current_url)
    Select(driver.find_element(By.NAME, "status")).select_by_value(WorkStatus.DONE)
    driver.find_element(By.NAME, "completed_on").send_keys(timezone.localdate().isoformat())
    driver.find_element(By.NAME, "_save").click()
    WebDriverWait(driver, 10).until(lambda driver: "/change/" not in driver.current_url)
    late.refresh_from_db()
    assert late.status == WorkStatus.DONE
    page.open("/admin/")
    overdue = section_text(driver, "overdue")
    assert "NEXI金融支援の条件合意" not in overdue
    assert "期限を過ぎたものはありません。" in overdue


def test_a_manager_finds_the_dashboard_from_the_admin_home(page):
    manager = UserFactory(role="manager")
    driver = page.staff_sign_in(manager.username)
    assert driver.current_url.endswith("/admin/")
    assert_fine(page)
    driver.find_element(By.PARTIAL_LINK_TEXT, "ダッシュボード").click()
    WebDriverWait(driver, 10).until(lambda driver: driver.current_url.endswith("/admin/reports/"))
    assert page.violations() == []


def bell_count(driver):
    """The bell's number, or None while the page is being replaced."""
    try:
        counts = driver.find_elements(By.CSS_SELECTOR, ".notification-bell .notification-count")
        return int(counts[0].text) if counts else 0
    except StaleElementReferenceException:
        return None


MARK_READ = ".notification-item.unread .notification-mark-read button"


def test_the_bells_count_drops_when_a_notification_is_read(page):
    officer = UserFactory(role="officer")
    NotificationFactory(recipient=officer, title="期限が近づいています：AZEC官民フォーラム")
    NotificationFactory(recipient=officer, title="進捗報告の提出期限")
    driver = page.staff_sign_in(officer.username)
    assert bell_count(driver) == 2
    driver.find_element(By.CSS_SELECTOR, ".notification-bell").click()
    WebDriverWait(driver, 10).until(lambda driver: "/notifications/" in driver.current_url)
    assert_fine(page)
    driver.find_element(By.CSS_SELECTOR, MARK_READ).click()
    WebDriverWait(driver, 10).until(lambda driver: bell_count(driver) == 1)
    # Opening the other goes to what it is about, and reads it.
    driver.find_element(By.CSS_SELECTOR, ".notification-open button").click()
    WebDriverWait(driver, 10).until(lambda driver: "/notifications/" not in driver.current_url)
    assert bell_count(driver) == 0
    page.open("/admin/notifications/")
    assert driver.find_elements(By.CSS_SELECTOR, ".notification-read-all button") == []
    WebDriverWait(driver, 10).until(lambda driver: bell_count(driver) == 0)
    assert page.violations() == []


def test_an_opened_notification_body_does_not_push_the_page_sideways(page):
    officer = UserFactory(role="officer")
    NotificationFactory(recipient=officer, title="進捗報告の提出期限", body=(
        "2026年度 第3四半期の進捗報告の提出期限が近づいています。\n配信停止: "
        "https://tracker.example.go.jp/accounts/notifications/unsubscribe/"
        + "Zm9vYmFyYmF6cXV4" * 12 + "/"))
    driver = page.staff_sign_in(officer.username)
    page.open("/admin/notifications/")
    driver.find_element(By.CSS_SELECTOR, ".notification-body summary").click()
    assert driver.find_element(By.CSS_SELECTOR, ".notification-body p").is_displayed()
    width, scroll_width = driver.execute_script(
        "const root = document.documentElement; return [root.clientWidth, root.scrollWidth]")
    assert scroll_width <= width
    button = driver.find_element(By.CSS_SELECTOR, MARK_READ)
    assert button.rect["x"] + button.rect["width"] <= width
    assert button.rect["width"] > 2 * button.rect["height"]  # one line, not a letter a line
    assert_fine(page)


def test_the_error_pages_pass_the_checks(page):
    page.open("/no-such-page/")
    assert "ページが見つかりません" in page.driver.find_element(By.TAG_NAME, "h1").text
    assert_fine(page)


def demo_work():
    """The seed with its demo accounts, and what a quarter brings them: reports in review
    and returned, notifications, a failed reminder, a registration to review, a locked
    account."""
    call_command("seed", with_demo_users=True, verbosity=0)
    officer, officer2 = User.objects.get(username="officer"), User.objects.get(username="officer2")
    owned = list(Initiative.objects.filter(owner=officer)[:2])
    others = list(Initiative.objects.filter(owner=officer2)[:1]) or owned[:1]
    now = timezone.now()
    ProgressReportFactory(initiative=owned[0], period="2026-Q3", status=ReportStatus.RETURNED,
                          submitted_at=now, submitted_by=officer,
                          return_reason="KPIの最新値（2026年9月）を追記してください。")
    ProgressReportFactory(initiative=others[0], period="2026-Q2", status=ReportStatus.SUBMITTED,
                          submitted_at=now, submitted_by=officer2)
    for milestone in Milestone.objects.filter(owner=officer).order_by("planned_due_on")[:3]:
        NotificationFactory(recipient=officer, subject=milestone,
                            title=f"期限が近づいています：{milestone.title_ja}")
    DeliveryFactory(recipient=officer2, status=DeliveryStatus.FAILED,
                    email_subject="期限超過：ASEAN共同備蓄に関するERIA調査",
                    last_error="SMTP 550: mailbox unavailable")
    ExporterProfileFactory(status=ExporterStatus.PENDING_APPROVAL,
                           company_name="みなと水産加工株式会社")
    AccessAttempt.objects.create(username="officer2", ip_address="192.0.2.10", user_agent="",
                                 get_data="", post_data="", http_accept="",
                                 path_info="/admin/login/",
                                 failures_since_start=settings.AXES_FAILURE_LIMIT)


@pytest.mark.screenshots
def test_each_home_at_1366_by_900_with_the_demo_accounts(page):
    demo_work()
    for username, name in (("officer", "home-officer"), ("manager", "home-manager"),
                           ("admin", "home-administrator")):
        page.driver.delete_all_cookies()
        driver = page.staff_sign_in(username, settings.DEMO_PASSWORD)
        assert driver.current_url.endswith("/admin/")
        assert_fine(page)
        page.screenshot(name)
    page.driver.delete_all_cookies()
    page.staff_sign_in("officer", settings.DEMO_PASSWORD)
    page.open("/admin/notifications/")
    assert_fine(page)
    page.screenshot("notifications-officer")
