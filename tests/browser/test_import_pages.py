"""An officer imports their edited schedule in a real browser: the button on the list, the
upload page, the preview of each row, the confirmation; under the Content-Security-Policy and
without serious accessibility faults."""

from datetime import date

import pytest
from openpyxl import Workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from programs.models import Milestone, WorkStatus
from tests.factories import InitiativeFactory, MilestoneFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
HEADINGS = ["ID", "バージョン", "施策コード", "マイルストーン", "担当者", "予定期限",
            "ステータス", "健全性", "進捗率"]


def schedule(tmp_path, officer, initiative, milestones, stranger_milestone):
    """The officer's edited 工程表: two rows changed, one unchanged, one added, two refused."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADINGS)

    def row(m, **changes):
        values = {"ID": m.pk, "バージョン": m.version, "施策コード": m.initiative.code,
                  "マイルストーン": m.title_ja, "担当者": m.owner.username,
                  "予定期限": m.planned_due_on, "ステータス": "未着手", "健全性": "緑",
                  "進捗率": 0}
        values.update(changes)
        return [values[heading] for heading in HEADINGS]

    first, second, third, fourth = milestones
    sheet.append(row(first, ステータス="進行中", 進捗率=30))
    sheet.append(row(second, 予定期限=date(2027, 3, 31), 健全性="黄（要注意）"))
    sheet.append(row(third))
    sheet.append(row(fourth, ステータス="完了"))
    sheet.append(row(stranger_milestone, 進捗率=90))
    sheet.append(["", "", initiative.code, "ASEAN各国との共同研究を開始", officer.username,
                  "2027年6月30日", "", "", ""])
    path = tmp_path / "工程表_2026年12月.xlsx"
    book.save(path)
    return path


@pytest.mark.screenshots
def test_an_officer_previews_and_confirms_an_import_in_the_browser(page, tmp_path):
    officer = UserFactory(role="officer", first_name="花子", last_name="佐藤")
    initiative = InitiativeFactory(owner=officer, code="AZEC2", name_ja="AZEC 2.0")
    titles = ("ベトナム・ニソン製油所の原油調達に係るNEXI金融支援の条件合意",
              "インドネシアの地熱発電案件について官民協議会を開催",
              "タイのバイオマス混焼実証の中間報告", "フィリピンの送電網整備の基本設計")
    milestones = [MilestoneFactory(initiative=initiative, owner=officer, title_ja=title,
                                   planned_due_on=date(2027, month, 15),
                                   baseline_due_on=date(2027, month, 15))
                  for month, title in enumerate(titles, start=1)]
    stranger_milestone = MilestoneFactory(title_ja="他の施策のマイルストーン")
    upload = schedule(tmp_path, officer, initiative, milestones, stranger_milestone)

    driver = page.staff_sign_in(officer.username, path="/admin/programs/milestone/")
    button = driver.find_element(By.CSS_SELECTOR, ".object-tools .import-link")
    assert button.text.strip().endswith("マイルストーンのインポート")
    page.screenshot("import-0-milestone-list", full_page=False)
    button.click()
    WebDriverWait(driver, 10).until(lambda driver: "/import/" in driver.current_url)
    page.screenshot("import-1-upload")
    assert page.violations() == []
    assert page.accessibility_violations(impacts=("serious", "critical")) == []

    driver.find_element(By.ID, "import-file").send_keys(str(upload))
    driver.find_element(By.CSS_SELECTOR, ".import-upload [type=submit]").click()
    WebDriverWait(driver, 10).until(
        lambda driver: driver.find_elements(By.CSS_SELECTOR, ".import-preview"))
    outcomes = [cell.text for cell in driver.find_elements(By.CSS_SELECTOR,
                                                           ".import-preview .import-outcome")]
    assert outcomes == ["変更", "変更", "変更なし", "取込不可", "取込不可", "新規"]
    assert "進行中" in driver.find_element(By.CSS_SELECTOR, ".import-preview").text
    page.screenshot("import-2-preview")
    assert page.violations() == []
    assert page.accessibility_violations(impacts=("serious", "critical")) == []
    assert Milestone.objects.count() == 5  # nothing saved yet

    driver.find_element(By.CSS_SELECTOR, "form .submit-row [type=submit]").click()
    WebDriverWait(driver, 10).until(lambda driver: "/import/" not in driver.current_url)
    assert "3 行を取り込みました" in driver.find_element(By.CSS_SELECTOR, ".messagelist").text
    page.screenshot("import-3-done", full_page=False)
    assert Milestone.objects.get(pk=milestones[0].pk).status == WorkStatus.IN_PROGRESS
    assert Milestone.objects.filter(title_ja="ASEAN各国との共同研究を開始").exists()
    # The milestone's history says who (by name) imported which file.
    page.open(f"/admin/programs/milestone/{milestones[0].pk}/history/")
    history = driver.find_element(By.ID, "content").text
    assert "import: 工程表_2026年12月.xlsx" in history and officer.display_name in history
    page.screenshot("import-4-history", full_page=False)

