"""The report files read as a person reads them: the text of every CSV row, XLSX cell and
PDF page carries labels, not codes (`in_progress`, `off_track`, `trillion_jpy`, `green`),
figures carry their units, dates read 2026年12月1日, and the files open in Excel as they
are (a byte-order mark, typed cells, a frozen and filtered header row)."""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from programs.api.report_pdf import TRUETYPE_FONTS
from programs.models import Health, KPIUnit, WorkStatus
from tests.factories import InitiativeFactory, KPIFactory, KPIMeasurementFactory, MilestoneFactory
from tests.support.documents import pdf_fonts
from tests.support.installed import missing

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 12, 1)
VERDICTS = ("on_track", "at_risk", "off_track", "no_trend")
CODES = [*WorkStatus.values, *Health.values, *KPIUnit.values, *VERDICTS]
TRUETYPE_FONT = TRUETYPE_FONTS[0]
RAW_CODES = re.compile(r"\b(" + "|".join(CODES) + r")\b")


@pytest.fixture
def portfolio(officer):
    initiative = InitiativeFactory(owner=officer, code="FOOD-EXPORT", name_ja="食品輸出")
    for n, (status, health) in enumerate(zip(WorkStatus.values, [*Health.values] * 2,
                                             strict=False)):
        MilestoneFactory(initiative=initiative, title_ja=f"マイルストーン{n}", status=status,
                         health=health, planned_due_on=AS_OF - timedelta(days=n - 1),
                         baseline_due_on=AS_OF - timedelta(days=n + 8),
                         percent_complete=100 if status == "done" else 0,
                         completed_on=AS_OF - timedelta(days=1) if status == "done" else None)
    exports = KPIFactory(initiative=initiative, code="AGRIFOOD", name_ja="輸出額",
                         unit=KPIUnit.TRILLION_JPY, baseline_value=Decimal("1.7"),
                         baseline_year=2025, target_value=Decimal("5"), target_year=2030)
    KPIMeasurementFactory(kpi=exports, period_on=date(2024, 12, 31), value=Decimal("1.5044"))
    KPIMeasurementFactory(kpi=exports, period_on=date(2025, 12, 31), value=Decimal("1.7"))
    KPIFactory(initiative=initiative, code="BUSINESSES", name_ja="支援事業者数",
               unit=KPIUnit.BUSINESSES, baseline_value=None, baseline_year=None,
               target_value=Decimal("10000"), target_year=2030)
    KPIFactory(initiative=initiative, code="SUPPORT", name_ja="金融支援額",
               unit=KPIUnit.BILLION_USD, baseline_value=None, baseline_year=None,
               target_value=Decimal("10"), target_year=None)
    return initiative


def download(client, fmt, **params):
    response = client.get("/api/v1/reports/portfolio/",
                          {"format": fmt, "as_of": AS_OF.isoformat(), **params})
    assert response.status_code == 200, response.content[:300]
    return response


def csv_rows(content, encoding="utf-8-sig"):
    return list(csv.reader(io.StringIO(content.decode(encoding))))


def assert_reads_like_a_person(text):
    assert not RAW_CODES.findall(text), RAW_CODES.findall(text)
    assert "1.7兆円" in text and "5兆円" in text  # figures with their unit
    assert "24.1%" in text and "未達見込み" in text  # growth needed, the verdict
    assert "2025年12月31日" in text  # a date as Japanese write it
    assert "10,000者" in text and "100億ドル" in text  # the KPIs not measured yet


def test_the_csv_starts_with_the_byte_order_mark_excel_needs(api, manager, portfolio):
    content = download(api.as_user(manager), "csv").content
    assert content.startswith(b"\xef\xbb\xbf")
    assert csv_rows(content)[0] == ["区分", "項目", "値"]


def test_the_csv_reads_like_a_person_wrote_it(api, manager, portfolio):
    rows = csv_rows(download(api.as_user(manager), "csv").content)
    assert_reads_like_a_person("\n".join(",".join(row) for row in rows))
    assert ["概要", "平均進捗率", "20.0%"] in rows
    assert ["概要", "期限超過", "1件"] in rows  # マイルストーン2, blocked, due yesterday
    due_soon = next(row for row in rows if row[1] == "マイルストーン1")
    assert due_soon[4:10] == ["2026年12月1日", "2026年11月22日", "0", "9", "進行中",
                            "黄（要注意）"]


def test_the_csv_in_shift_jis_for_older_tools(api, manager, portfolio):
    response = download(api.as_user(manager), "csv", encoding="cp932")
    assert response["Content-Type"] == "text/csv; charset=Shift_JIS"
    assert not response.content.startswith(b"\xef\xbb\xbf")
    assert csv_rows(response.content, "cp932")[0] == ["区分", "項目", "値"]


def test_an_unknown_csv_encoding_is_refused(api, manager, portfolio):
    response = api.as_user(manager).get("/api/v1/reports/portfolio/",
                                        {"format": "csv", "encoding": "latin-1"})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_choice")


def test_the_xlsx_has_japanese_sheets_a_frozen_filtered_header_and_fitted_columns(
        api, manager, portfolio):
    book = load_workbook(io.BytesIO(download(api.as_user(manager), "xlsx").content))
    assert book.sheetnames[:3] == ["概要", "期限超過", "30日以内に期限"]
    assert "実績未登録のKPI" in book.sheetnames
    for sheet in book:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref.startswith("A1:"), sheet.title
    overdue = book["期限超過"]
    title_width = overdue.column_dimensions["A"].width
    assert title_width > overdue.column_dimensions["F"].width  # the title gets the room
    assert overdue.column_dimensions["D"].width >= len("2026年12月1日")


def test_the_xlsx_keeps_numbers_dates_and_percentages_as_such(api, manager, portfolio):
    book = load_workbook(io.BytesIO(download(api.as_user(manager), "xlsx").content))
    header, first = list(book["KPI"].iter_rows(max_row=2))
    kpi = {cell.value: row_cell for cell, row_cell in zip(header, first, strict=True)}
    assert (kpi["単位"].value, kpi["最新実績"].value) == ("兆円", 1.7)
    assert kpi["必要な年率"].value == pytest.approx(0.2408, abs=0.0001)
    assert kpi["必要な年率"].number_format == "0.0%"
    assert kpi["実績時点"].is_date and "年" in kpi["実績時点"].number_format
    assert (kpi["目標年"].value, kpi["目標年"].number_format) == (2030, '0"年"')
    assert kpi["判定"].value == "未達見込み"
    summary = {name.value: value for name, value in book["概要"].iter_rows(min_row=2)}
    assert (summary["平均進捗率"].value, summary["平均進捗率"].number_format) == (0.2, "0.0%")
    texts = [str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    assert not RAW_CODES.findall(" ".join(texts))


def test_english_readers_get_english_labels(api, manager, portfolio):
    rows = csv_rows(api.as_user(manager).get(
        "/api/v1/reports/portfolio/", {"format": "csv", "as_of": AS_OF.isoformat()},
        HTTP_ACCEPT_LANGUAGE="en").content)
    text = "\n".join(",".join(row) for row in rows)
    assert "1.7 trillion yen" in text and "31 December 2025" in text and "Off track" in text
    assert "In progress" in text and "Amber (at risk)" in text
    # (English labels are words like "persons": only the codes no English text contains.)
    assert not [code for code in CODES if "_" in code and code in text]


def test_the_json_keeps_its_codes(api, manager, portfolio):
    report = api.as_user(manager).get("/api/v1/reports/portfolio/",
                                      {"as_of": AS_OF.isoformat()}).json()
    assert report["kpis"][0]["unit"] == "trillion_jpy"
    assert report["kpis"][0]["verdict"] == "off_track"


def pdf_pages(content):
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_every_pdf_page_reads_like_a_person_wrote_it(api, manager, portfolio):
    pages = pdf_pages(download(api.as_user(manager), "pdf").content)
    text = "".join("".join(page.split()) for page in pages)  # cells wrap over lines
    assert_reads_like_a_person(text)
    assert "緑（順調）" in pages[0]  # the RAG summary up front
    assert "5件" in "".join(pages[0].split())  # the headline: five milestones
    for number, page in enumerate(pages, start=1):
        flat = "".join(page.split())
        assert "基準日2026年12月1日" in flat and "通商戦略2026全体" in flat  # as-of, scope
        assert f"{number}/{len(pages)}ページ" in flat


def test_no_number_date_or_code_breaks_across_lines_in_a_pdf_table(api, manager, portfolio):
    lines = [line.strip() for page in pdf_pages(download(api.as_user(manager), "pdf").content)
             for line in page.splitlines()]
    whole = ["2026年11月22日", "FOOD-EXPORT", "AGRIFOOD", "1.7兆円", "24.1%", "黄（要注意）"]
    for value in whole:
        assert any(value in line for line in lines), value


def test_the_pdf_embeds_a_japanese_truetype_font(api, manager, portfolio):
    if not TRUETYPE_FONT.is_file():
        missing("needs fonts-ipaexfont (make fonts installs it)")
    content = download(api.as_user(manager), "pdf").content
    assert b"/FontFile2" in content  # the TrueType program itself is in the file
    assert b"HeiseiKakuGo" not in content
    # Every font the pages use is in the file: none (Helvetica, say) left to the viewer.
    fonts = pdf_fonts(content)
    assert fonts and all(fonts.values()), fonts


def test_a_missing_font_fails_under_ci_and_skips_elsewhere(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        missing("needs fonts-ipaexfont")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        missing("needs fonts-ipaexfont")


def test_without_the_truetype_font_the_pdf_falls_back_to_the_built_in_one(monkeypatch):
    from programs.api import report_pdf

    monkeypatch.setattr(report_pdf, "TRUETYPE_FONTS", [Path("/nonexistent/font.ttf")])
    assert report_pdf._register_font() == "HeiseiKakuGo-W5"


def test_pdf_charts_count_in_whole_milestones_and_label_months():
    from programs import charts

    assert charts.count_ticks(11) == [0, 3, 6, 9, 12]
    assert charts.count_ticks(2) == [0, 1, 2]
    points = [{"month": f"2026-{m:02d}"} for m in range(1, 13)] + [{"month": "2027-01"}]
    shown = [label for label in charts.month_labels(points) if label]
    assert shown[0] == "2026年1月" and "2027年1月" in shown and len(shown) <= 7


def test_kpi_charts_tick_round_numbers_up_to_the_target(api, manager, portfolio):
    """The agri-food KPI aims at 5兆円: both its charts, the PDF's and the page's, mark
    0, 1, 2, 3, 4 and 5 (not 2, 3, 4 under a line that reaches 5, nor 0 and 5.5)."""
    from reportlab.graphics.charts.lineplots import LinePlot

    from programs import charts
    from programs.api import report_pdf

    report = api.as_user(manager).get("/api/v1/reports/portfolio/",
                                      {"as_of": AS_OF.isoformat()}).json()
    exports = next(kpi for kpi in report["kpis"] if kpi["code"] == "AGRIFOOD")
    plot = next(item for item in report_pdf._kpi_chart(exports).contents
                if isinstance(item, LinePlot))
    assert (plot.yValueAxis.valueMin, plot.yValueAxis.valueMax) == (0, 5)
    assert plot.yValueAxis.valueSteps == [0, 1, 2, 3, 4, 5]
    svg = str(charts.kpi_trajectory(exports))
    assert re.findall(r'text-anchor="end">([^<]*)<', svg) == ["0", "1", "2", "3", "4", "5"]


def test_the_pdf_burn_up_counts_to_the_plan_past_the_report_date():
    """Months after the report date have a plan and nothing done yet."""
    from reportlab.graphics.charts.lineplots import LinePlot

    from programs.api import report_pdf

    points = [{"month": "2026-11", "planned": 1, "done": 1},
              {"month": "2026-12", "planned": 2, "done": 1},
              {"month": "2027-01", "planned": 3, "done": None}]
    plot = next(item for item in report_pdf._burn_up(points).contents
                if isinstance(item, LinePlot))
    assert plot.yValueAxis.valueSteps == [0, 1, 2, 3]


def test_value_axes_tick_round_numbers():
    from programs.charts import value_ticks

    assert value_ticks(5) == [0, 1, 2, 3, 4, 5]
    assert value_ticks(17.72) == [0, 5, 10, 15, 20]
    assert value_ticks(14939.25) == [0, 5000, 10000, 15000]
    assert value_ticks(0.3) == [0, 0.1, 0.2, 0.3]
    assert value_ticks(0) == [0, 1]
