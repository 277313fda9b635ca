"""The milestone list and its bulk edit in chromium, as an officer uses them: the list fits
1366 px with the strategy's long names, the bulk edit changes what is theirs and says why the
rest was refused, and both pages pass axe-core's serious and critical WCAG checks."""

from datetime import date

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from programs.models import Health, Initiative, Milestone
from tests.factories import (
    InitiativeFactory,
    MilestoneFactory,
    StatusUpdateFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
LIST = "/admin/programs/milestone/"
SERIOUS = {"serious", "critical"}
# Sideways scrolling of the page, and of the table inside its own box.
SCROLLS_SIDEWAYS = """
const page = document.documentElement, box = document.querySelector('#changelist .results');
return page.scrollWidth > page.clientWidth || (box && box.scrollWidth > box.clientWidth);
"""


@pytest.mark.screenshots
def test_bulk_edit_of_three_milestones_with_one_refused(page):
    officer = UserFactory(username="tanaka", last_name="田中", first_name="一郎")
    mine = InitiativeFactory(owner=officer, code="AZEC2")
    theirs = InitiativeFactory(owner=UserFactory(username="sato"), code="FOOD-EXPORT")
    for title, initiative in (("会合A", mine), ("会合B", mine), ("他人の会合", theirs)):
        MilestoneFactory(initiative=initiative, title_ja=title, health=Health.GREEN)
    driver = page.staff_sign_in("tanaka")

    page.open(LIST)
    assert page.accessibility_violations(impacts=SERIOUS) == []
    driver.find_element(By.ID, "action-toggle").click()  # all three
    Select(driver.find_element(By.NAME, "action")).select_by_value("bulk_edit")
    driver.find_element(By.CSS_SELECTOR, "#changelist-form button[name=index]").click()

    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "id_health"))
    assert page.accessibility_violations(impacts=SERIOUS) == []
    Select(driver.find_element(By.ID, "id_health")).select_by_value(Health.RED)
    page.screenshot("milestone-bulk-edit")
    driver.find_element(By.CSS_SELECTOR, ".submit-row [type=submit]").click()

    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".bulk-result"))
    rows = {row.find_element(By.CSS_SELECTOR, "td").text: row.get_attribute("class")
            for row in driver.find_elements(By.CSS_SELECTOR, ".bulk-result tbody tr")}
    assert rows == {"会合A": "changed", "会合B": "changed", "他人の会合": "refused"}
    messages = driver.find_element(By.CSS_SELECTOR, ".messagelist").text
    assert "2 件のマイルストーンを変更しました" in messages
    assert "1 件は変更できませんでした" in messages
    assert page.accessibility_violations(impacts=SERIOUS) == []
    assert page.violations() == []
    page.screenshot("milestone-bulk-edit-result")
    assert dict(Milestone.objects.values_list("title_ja", "health")) == {
        "会合A": Health.RED, "会合B": Health.RED, "他人の会合": Health.GREEN}


@pytest.mark.screenshots
def test_the_milestone_list_fits_1366_px_with_the_strategys_long_names(page):
    call_command("seed", "--with-demo-users", verbosity=0)
    driver = page.staff_sign_in("officer", settings.DEMO_PASSWORD)
    page.open(LIST)
    assert not driver.execute_script(SCROLLS_SIDEWAYS)
    # Every key column is on screen: the bar of the last one ends inside the window.
    right_edges = driver.execute_script(
        "return [...document.querySelectorAll('#result_list tbody .field-progress')]"
        ".map(cell => cell.getBoundingClientRect().right)")
    assert right_edges and max(right_edges) <= driver.execute_script(
        "return document.documentElement.clientWidth")
    assert page.accessibility_violations(impacts=SERIOUS) == []
    page.screenshot("milestone-list-1366")
    # The officer's overdue milestones: two clicks at the top, no scrolling down the sidebar.
    driver.find_element(By.LINK_TEXT, "自分の担当").click()
    driver.find_element(By.PARTIAL_LINK_TEXT, "期限超過").click()
    assert "overdue=yes" in driver.current_url and "owner__id__exact=" in driver.current_url
    assert not driver.execute_script(SCROLLS_SIDEWAYS)
    page.screenshot("milestone-list-mine-overdue")
    assert page.violations() == []


@pytest.mark.screenshots
def test_the_officers_initiative_page_and_list_fit_1366_px(page):
    """The page of an initiative the officer owns, its milestones editable in a table: no
    sideways scrolling of the page, and every inline table inside the content's box."""
    call_command("seed", "--with-demo-users", verbosity=0)
    initiative = Initiative.objects.get(code="AZEC2", owner__username="officer")
    assert initiative.milestones.exists()
    driver = page.staff_sign_in("officer", settings.DEMO_PASSWORD)
    page.open(f"/admin/programs/initiative/{initiative.pk}/change/")
    assert driver.find_elements(By.NAME, "milestones-0-title_ja")  # editable, as the owner's
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 1351
    assert not driver.execute_script(SCROLLS_SIDEWAYS)
    content, tables = driver.execute_script(
        "return [document.querySelector('#content-main').getBoundingClientRect().right,"
        " [...document.querySelectorAll('.inline-group table')]"
        ".map(table => table.getBoundingClientRect().right)]")
    assert tables and max(tables) <= content
    page.screenshot("initiative-page-1366")
    assert page.violations() == []
    # The initiative list: the report column's heading and links each on one line.
    page.open("/admin/programs/initiative/")
    assert not driver.execute_script(SCROLLS_SIDEWAYS)
    lines = driver.execute_script(
        "return [...document.querySelectorAll('#result_list th.column-report_link .text > *,"
        " #result_list td.field-report_link a')].map(text => text.getClientRects().length)")
    assert len(lines) > 1 and set(lines) == {1}


def test_the_officers_initiative_and_milestone_pages_pass_axe(page):
    """Every input of the milestone rows is named by its row and column, the team-member
    picker and the project search pass too: no serious or critical axe-core violation; the
    milestone's own page shows its titles whole."""
    call_command("seed", "--with-demo-users", verbosity=0)
    initiative = Initiative.objects.get(code="AZEC2", owner__username="officer")
    driver = page.staff_sign_in("officer", settings.DEMO_PASSWORD)
    page.open(f"/admin/programs/initiative/{initiative.pk}/change/")
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "id_members_input"))
    assert driver.find_element(By.NAME, "milestones-0-owner").get_attribute(
        "aria-label") == "マイルストーン 1: 担当者"
    assert driver.find_element(By.NAME, "milestones-1-planned_due_on").get_attribute(
        "aria-label") == "マイルストーン 2: 予定期限"
    assert page.accessibility_violations(impacts=SERIOUS) == []
    milestone = initiative.milestones.order_by("planned_due_on").first()
    page.open(f"/admin/programs/milestone/{milestone.pk}/change/")
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".select2"))
    assert page.accessibility_violations(impacts=SERIOUS) == []
    # The titles are read whole in their boxes, not their first twenty characters.
    assert driver.execute_script(
        "return ['id_title_ja', 'id_title_en'].map(id => document.getElementById(id))"
        ".every(box => box.scrollWidth <= box.clientWidth)")


def test_a_long_filter_is_searched_and_chosen_by_keyboard_alone(page):
    officer = UserFactory(username="tanaka", last_name="田中", first_name="一郎")
    for code in ("AZEC2", "FOOD-EXPORT", "SAUDI-TASKFORCE"):
        MilestoneFactory(initiative=InitiativeFactory(owner=officer, code=code),
                         title_ja=f"{code}の会合")
    driver = page.staff_sign_in("tanaka")
    page.open(LIST)
    search = driver.find_element(By.ID, "filter-search-initiative")
    search.send_keys("saudi")
    search.send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: "initiative__id__exact=" in d.current_url)
    titles = [cell.text for cell in driver.find_elements(
        By.CSS_SELECTOR, "#result_list tbody .field-title_ja")]
    assert titles == ["SAUDI-TASKFORCEの会合"]
    assert page.violations() == []


def test_a_milestones_status_updates_fit_the_page_with_a_new_row_dated_today(page):
    officer = UserFactory(username="tanaka", last_name="経産", first_name="一郎")
    milestone = MilestoneFactory(initiative=InitiativeFactory(owner=officer, code="AZEC2"),
                                 title_ja="AZEC官民フォーラムの開催", owner=officer)
    StatusUpdateFactory(milestone=milestone, author=officer, reported_on=date(2026, 12, 2),
                        summary="AZEC官民フォーラムの開催: 相手国との調整に時間を要している。",
                        risks="相手国側の承認手続きが遅れている。",
                        next_steps="次回の事務レベル会合で論点を整理する。")
    driver = page.staff_sign_in("tanaka")
    page.open(f"/admin/programs/milestone/{milestone.pk}/change/")
    driver.find_element(By.CSS_SELECTOR, "#status_updates-group .add-row a").click()

    assert driver.execute_script(
        "const page = document.documentElement; return page.scrollWidth <= page.clientWidth")
    author = driver.find_element(By.CSS_SELECTOR, "#status_updates-group td.field-author p")
    assert author.text == "経産 一郎"
    line_height = driver.execute_script(
        "return parseFloat(getComputedStyle(arguments[0]).lineHeight)", author)
    assert author.size["height"] < 1.5 * line_height  # one line, not a character a line
    saved = driver.find_element(By.CSS_SELECTOR, "#status_updates-group td.original p").text
    assert saved.startswith("2026年12月2日 AZEC官民フォーラム")
    new_row = driver.find_element(By.NAME, "status_updates-1-reported_on")
    assert new_row.get_attribute("value") == timezone.localdate().isoformat()
    page.screenshot("milestone-status-updates")
