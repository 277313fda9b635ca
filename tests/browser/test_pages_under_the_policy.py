"""Each kind of page, opened in chromium as its user would, does its job under the strict
Content-Security-Policy: its styles and scripts load from files, nothing is blocked."""

from datetime import date

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.factories import ExporterProfileFactory, InitiativeFactory, MilestoneFactory, UserFactory

# One chromium for all of them: the tests share a browser process (xdist_group).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
PASSWORD = "secret-pass-2026"  # every factory user's password


def sign_in(driver, username):
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    # The page's own form, not the header's language switch.
    driver.find_element(By.CSS_SELECTOR,
                        "main form [type=submit], #content form [type=submit]").click()


def test_an_exporter_signs_in_and_reads_the_measures_page_styled_and_unblocked(page):
    company = ExporterProfileFactory(company_name="みなと水産加工株式会社")
    driver = page.open("/exporters/login/")
    # The site's style sheet applies (the page has no inline styles to fall back on).
    assert driver.execute_script(
        "return getComputedStyle(document.querySelector('header')).display") != "inline"
    sign_in(driver, company.user.username)
    # Signed in: the browser has left the sign-in page for the measures page.
    WebDriverWait(driver, 10).until(lambda driver: "/login/" not in driver.current_url)
    assert driver.current_url.endswith("/exporters/")
    assert page.violations() == []


def test_a_manager_reads_the_dashboard_with_its_print_button(page):
    officer = UserFactory(role="officer")
    initiative = InitiativeFactory(owner=officer, name_ja="<b>AZEC</b>")
    MilestoneFactory(initiative=initiative, planned_due_on=date(2020, 1, 1),
                     baseline_due_on=date(2020, 1, 1), status="in_progress")
    manager = UserFactory(role="manager")
    driver = page.open("/admin/login/?next=/admin/reports/")
    sign_in(driver, manager.username)
    WebDriverWait(driver, 10).until(lambda driver: "/login/" not in driver.current_url)
    assert driver.current_url.endswith("/admin/reports/")
    # The print button is hidden unless its script file ran and wired it.
    assert WebDriverWait(driver, 10).until(expected_conditions.visibility_of_element_located(
        (By.CSS_SELECTOR, ".report-print")))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja"
    assert page.violations() == []


def test_an_officer_works_in_the_admin_unblocked(page):
    officer = UserFactory(role="officer")
    milestone = MilestoneFactory(initiative=InitiativeFactory(owner=officer), owner=officer)
    driver = page.open("/admin/login/")
    sign_in(driver, officer.username)
    WebDriverWait(driver, 10).until(lambda driver: "/login/" not in driver.current_url)
    for path in ("/admin/programs/milestone/", f"/admin/programs/milestone/{milestone.pk}/change/"):
        page.open(path)
        assert page.violations() == [], path


def test_the_api_docs_page_renders_swagger_ui(page):
    driver = page.open("/api/v1/docs/")
    WebDriverWait(driver, 20).until(expected_conditions.presence_of_element_located(
        (By.CSS_SELECTOR, ".swagger-ui .info .title")))
    assert "Trade Strategy Tracker" in driver.find_element(
        By.CSS_SELECTOR, ".swagger-ui .info .title").text
    assert page.violations() == []


def test_axe_core_runs_and_finds_a_violation_it_should(page):
    """The accessibility check itself works: an image without alternative text is reported."""
    driver = page.open("/exporters/login/")
    driver.execute_script(
        "const image = document.createElement('img'); image.src = '/static/none.png';"
        "document.querySelector('main').appendChild(image);")
    assert any(line.startswith("image-alt") for line in page.accessibility_violations())
