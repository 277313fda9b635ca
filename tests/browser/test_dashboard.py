"""The managers' dashboard and an initiative's report in chromium, in the light and the dark
colour scheme: nothing axe-core rates serious or critical (text contrast included, the
charts' text too), nothing blocked by the Content-Security-Policy, and the charts' text drawn
in the scheme's colour."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_pages_under_the_policy import sign_in
from tests.factories import (
    CountryFactory,
    InitiativeFactory,
    KPIFactory,
    KPIMeasurementFactory,
    MilestoneFactory,
    RegionFactory,
    StrategicFieldFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
SERIOUS = {"serious", "critical"}


@pytest.fixture
def portfolio():
    """A small portfolio with something in every part of the page."""
    today = timezone.localdate()
    officer = UserFactory(role="officer", last_name="経産", first_name="一郎")
    asia = RegionFactory(code="ASIA", name_ja="アジア大洋州")
    azec = InitiativeFactory(code="AZEC2", owner=officer, name_ja="アジア・ゼロエミッション共同体")
    powerer = InitiativeFactory(
        code="POWERER-ASIA", parent=azec, owner=officer,
        name_ja="アジア・エネルギー・資源供給力強靱化パートナーシップ（POWERER Asia: Partnership On"
                " Wide Energy and Resources Resilience Asia）")
    powerer.countries.add(CountryFactory(iso2="VN", region=asia, name_ja="ベトナム"))
    powerer.fields.add(StrategicFieldFactory(code="GX", name_ja="資源・エネルギー安全保障・GX"))
    for days, slip, status, health, title in (
            (-40, 0, "done", "green", "ERIA・IEAとのワークショップ"),
            (-12, 0, "in_progress", "red", "ニソン製油所の原油調達に係る条件合意"),
            (-3, 9, "in_progress", "amber", "国家備蓄協力の実施計画"),
            (14, 21, "in_progress", "amber", "AZEC官民フォーラムの開催"),
            (45, 0, "not_started", "green", "需要側スコープの作業計画")):
        planned = today + timedelta(days=days)
        MilestoneFactory(initiative=powerer if days < 0 else azec, title_ja=title, owner=officer,
                         planned_due_on=planned, baseline_due_on=planned - timedelta(days=slip),
                         status=status, health=health,
                         completed_on=planned if status == "done" else None,
                         percent_complete=100 if status == "done" else 40)
    exports = KPIFactory(initiative=azec, name_ja="農林水産物・食品の輸出額", unit="trillion_jpy",
                         baseline_value=Decimal("1.5"), baseline_year=2024,
                         target_value=Decimal("5"), target_year=2030)
    for year, value in ((2024, "1.5"), (2025, "1.7")):
        KPIMeasurementFactory(kpi=exports, period_on=date(year, 12, 31), value=Decimal(value))
    return azec


@pytest.fixture
def signed_in_manager(page):
    driver = page.open("/admin/login/")
    sign_in(driver, UserFactory(role="manager").username)
    WebDriverWait(driver, 10).until(lambda driver: "/login/" not in driver.current_url)
    return page


@pytest.fixture(params=["light", "dark"])
def scheme(request, signed_in_manager):
    """The colour scheme the browser reports, as the system setting would make it."""
    driver = signed_in_manager.driver
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
        {"name": "prefers-color-scheme", "value": request.param}]})
    yield request.param
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def chart_text_colour(driver):
    return driver.execute_script(
        "return getComputedStyle(document.querySelector('.report-chart text')).fill")


@pytest.mark.parametrize("path", ["/admin/reports/", "initiative"])
def test_the_report_pages_are_readable_in_light_and_dark(signed_in_manager, scheme, portfolio,
                                                         path):
    page = signed_in_manager
    driver = page.open(f"/admin/reports/initiatives/{portfolio.pk}/"
                       if path == "initiative" else "/admin/reports/")
    assert driver.find_elements(By.CSS_SELECTOR, ".report-chart")
    assert page.accessibility_violations(impacts=SERIOUS) == []
    assert page.violations() == []
    # The admin's text colour: dark grey on white, near white on near black.
    assert chart_text_colour(driver) == {"light": "rgb(51, 51, 51)",
                                         "dark": "rgb(238, 238, 238)"}[scheme]


def test_dates_are_chosen_on_the_page(signed_in_manager, portfolio):
    page = signed_in_manager
    driver = page.open("/admin/reports/")
    as_of = driver.find_element(By.ID, "id_as_of")
    driver.execute_script("arguments[0].value = '2026-06-30'", as_of)
    driver.find_element(By.CSS_SELECTOR, ".report-dates button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda driver: "as_of=2026-06-30" in driver.current_url)
    assert "2026年6月30日" in driver.find_element(By.CSS_SELECTOR, ".report-downloads").text


HEADER_LINES = """
return [...document.querySelectorAll(".report-breakdown thead th")].map(th => {
    const text = document.createRange();
    text.selectNodeContents(th);
    return [th.textContent, text.getBoundingClientRect().height,
            parseFloat(getComputedStyle(th).fontSize)];
});
"""


def test_the_breakdown_headers_stay_on_one_line_at_1366_pixels(signed_in_manager, portfolio):
    """マイルストーン, 期限超過, 完了 … are not broken into two lines by a long initiative name
    beside them, and the page does not scroll sideways for it."""
    driver = signed_in_manager.open("/admin/reports/")
    headers = driver.execute_script(HEADER_LINES)
    assert {"マイルストーン", "期限超過", "完了", "遅延あり"} <= {text for text, *_ in headers}
    # One line of text is about 1.2 to 1.5 times the font size high; two are at least 2.4.
    assert [text for text, height, size in headers if height >= 2 * size] == []
    assert driver.execute_script("return document.documentElement.scrollWidth"
                                 " <= document.documentElement.clientWidth")


NARROWEST_WORDS = """
return [...document.querySelectorAll("#content td, #content th, .report-figures dt")]
    .filter(cell => cell.textContent.trim().length > 3)
    .map(cell => [cell.textContent.trim(),
                  cell.getBoundingClientRect().width
                  / parseFloat(getComputedStyle(cell).fontSize)]);
"""


def test_a_phone_reads_the_report_without_the_page_scrolling_sideways(signed_in_manager,
                                                                     portfolio):
    """At 390 px the summary wraps pair by pair and each table scrolls in its own box: the
    page is no wider than the screen and no name or title is squeezed to a character a line
    (マ/イ/ル/ス/ト/ー/ン, seen on a phone)."""
    page = signed_in_manager
    page.resize(390, 844)
    for path in ("/admin/reports/", f"/admin/reports/initiatives/{portfolio.pk}/"):
        driver = page.open(path)
        assert driver.execute_script("return document.documentElement.scrollWidth"
                                     " <= document.documentElement.clientWidth"), path
        # Narrower than two characters: a word a character a line.
        squeezed = [(text, width) for text, width in driver.execute_script(NARROWEST_WORDS)
                    if width < 2]
        assert squeezed == [], (path, squeezed)


@pytest.mark.screenshots
def test_screenshots_of_the_dashboard_and_an_initiative_report(signed_in_manager, portfolio):
    page = signed_in_manager
    driver = page.driver
    for scheme, suffix in (("light", ""), ("dark", "-dark")):
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
            {"name": "prefers-color-scheme", "value": scheme}]})
        for name, path in (("dashboard", "/admin/reports/"),
                           ("initiative-report", f"/admin/reports/initiatives/{portfolio.pk}/")):
            page.open(path)
            assert page.screenshot(name + suffix).stat().st_size > 10_000
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_the_printed_report_keeps_the_date_its_figures_stand_at(signed_in_manager, portfolio):
    """Printed, a report without its as-of date cannot be filed or compared."""
    page = signed_in_manager
    driver = page.open("/admin/reports/?as_of=2026-06-30")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = driver.find_element(By.CSS_SELECTOR, ".report-downloads").text
        assert "2026年6月30日" in shown
        assert "PDF" not in shown  # the links and the print button stay off the paper
        assert not driver.find_element(By.CSS_SELECTOR, ".report-dates").is_displayed()
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
