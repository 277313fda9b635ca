"""The report documents read as a person reads them, from a portfolio holding every code a
report can print (tests/support/every_code.py): the text of every PDF page, every slide of the
deck (text boxes, tables, chart titles, categories and series) and every workbook cell holds
labels, never a raw code of the choice lists (`in_progress`, `off_track`, `trillion_jpy`);
every figure carries its unit; percentages read 24.1%; and no PDF table breaks a Latin word,
a code or a figure. `make screenshots` also keeps a PNG of every PDF page."""

import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from programs.api import report_pdf
from programs.models import Health, InitiativeStatus, KPIDirection, KPIUnit, WorkStatus
from programs.reporting import labels, tables
from tests.factories import InitiativeFactory, KPIFactory, KPIMeasurementFactory
from tests.support.documents import pdf_pages, slide_texts, workbook_cells
from tests.support.every_code import AS_OF, FIELD, KPIS, LONG_WORD, build_every_code_portfolio
from tests.support.installed import missing

pytestmark = pytest.mark.django_db
# The choice lists' codes, and a strategic field's code (ENERGY_GX: the report names it).
CODES = sorted({*WorkStatus.values, *Health.values, *InitiativeStatus.values,
                *KPIUnit.values, *KPIDirection.values, *labels.VERDICTS, FIELD[0]})
RAW_CODE = re.compile(r"(?<![A-Za-z_])(" + "|".join(CODES) + r")(?![A-Za-z_])")
# A number is a figure with its unit, a date, a year, a page number or part of a code.
UNITS = ("兆円", "億ドル", "人", "事務所", "か国", "件", "者", "拠点", "%", "億バレル", "年",
         "月", "日", "ページ")
NUMBER = re.compile(r"(?<![A-Za-z0-9.,\-])\d[\d,]*(?:\.\d+)?(?![\d.,])")
CODE_LIKE = re.compile(r"[A-Z][A-Z0-9.]*-?[A-Z0-9.\-]*\d[A-Z0-9.\-]*")
UNREAD_PERCENT = re.compile(r"\d\.\d{3,}%|(?<![\d.])0\.\d{3,}")  # 24.083%, or 0.2408
PAGE_NUMBER = re.compile(r"\d+ ?/ ?\d+ ?ページ")
STRATEGY = "通商戦略2026"  # the strategy's name, not a figure


@pytest.fixture
def documents(api, manager, officer):
    """The portfolio's and the first pillar's reports, in each format a person reads."""
    pillar = build_every_code_portfolio(officer)
    client = api.as_user(manager)

    def download(fmt, initiative=None):
        path = (f"/api/v1/reports/initiatives/{initiative.pk}/" if initiative
                else "/api/v1/reports/portfolio/")
        response = client.get(path, {"format": fmt, "as_of": AS_OF.isoformat()})
        assert response.status_code == 200, response.content[:300]
        return response.content

    return {(scope, fmt): download(fmt, initiative)
            for scope, initiative in (("portfolio", None), ("initiative", pillar))
            for fmt in ("pdf", "pptx", "xlsx", "csv")}


def unitless_numbers(text):
    """The numbers in `text` with no unit after them (codes and page numbers aside)."""
    text = PAGE_NUMBER.sub("", CODE_LIKE.sub("", text.replace(STRATEGY, "")))
    return [match.group() for match in NUMBER.finditer(text)
            if not text[match.end():].lstrip().startswith(UNITS)
            and not text[:match.start()].endswith("年")]  # 年12億バレル: a number after 年


def assert_reads_like_a_person(text, where):
    assert not RAW_CODE.findall(text), (where, RAW_CODE.findall(text))
    assert not UNREAD_PERCENT.findall(text), (where, UNREAD_PERCENT.findall(text))
    assert not unitless_numbers(text), (where, unitless_numbers(text))


def test_the_fixture_holds_every_code_a_report_prints(documents, api, manager):
    report = api.as_user(manager).get("/api/v1/reports/portfolio/",
                                      {"as_of": AS_OF.isoformat()}).json()
    assert {kpi["verdict"] for kpi in report["kpis"]} == set(labels.VERDICTS)
    assert {kpi["unit"] for kpi in report["kpis"]} == set(KPIUnit.values)
    assert all(report["milestones"]["by_status"].values())
    assert all(report["milestones"]["by_health"].values())


@pytest.mark.parametrize("scope", ["portfolio", "initiative"])
def test_every_pdf_page_reads_like_a_person_wrote_it(documents, scope):
    pages = pdf_pages(documents[scope, "pdf"])
    for number, page in enumerate(pages, start=1):
        # Chart axes are bare numbers on lines of their own: the chart's title names the unit.
        lines = [line for line in page.splitlines() if not NUMBER.fullmatch(line.strip())]
        assert_reads_like_a_person("\n".join(lines), f"{scope} PDF page {number}")
    if scope == "portfolio":
        text = "".join("".join(page.split()) for page in pages)
        for _name, _direction, _target, _measured, figures in KPIS.values():
            assert all(figure in text for figure in figures), figures
        assert "24.1%" in text  # the growth the agri-food target needs, a year


@pytest.mark.parametrize("scope", ["portfolio", "initiative"])
def test_every_slide_reads_like_a_person_wrote_it(documents, scope):
    slides = slide_texts(documents[scope, "pptx"])
    for number, texts in enumerate(slides, start=1):
        assert_reads_like_a_person("\n".join(texts), f"{scope} slide {number}")
    shown = [text for texts in slides for text in texts]
    assert {"1.7兆円", "24.1%", "未達見込み"} <= set(shown)
    # The first pillar's chart, of its KPI furthest from target, names its unit.
    chart_title = {"portfolio": "補助事業（案件）",
                   "initiative": "農林水産物・食品の輸出額（兆円）"}
    assert chart_title[scope] in shown


@pytest.mark.parametrize("scope", ["portfolio", "initiative"])
def test_every_workbook_cell_reads_like_a_person_wrote_it(documents, scope):
    cells = workbook_cells(documents[scope, "xlsx"])
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert_reads_like_a_person("\n".join(texts), f"{scope} XLSX")
    # Figures stay numbers, shown through a format (a percentage as 24.1%, a date as a
    # date), never as text; a KPI's unit is in the column beside its figures.
    assert not [text for text in texts if NUMBER.fullmatch(text.strip())]
    numbers = [cell for cell in cells if not isinstance(cell.value, str)]
    assert numbers and all(cell.number_format != "General" for cell in numbers), [
        (cell.coordinate, cell.value) for cell in numbers if cell.number_format == "General"]
    percent_headers = {str(c.header) for c in tables.KPI_COLUMNS
                       if c.kind in (tables.PERCENT, tables.SHARE)}
    for cell in numbers:
        header = cell.parent.cell(1, cell.column).value
        if header in percent_headers:
            assert cell.number_format == "0.0%", (header, cell.number_format)
    units = [cell.value for cell in cells if cell.row > 1
             and cell.parent.cell(1, cell.column).value == "単位"]
    assert units and set(units) <= {labels.unit_label(unit) for unit in KPIUnit.values}


@pytest.mark.parametrize("scope", ["portfolio", "initiative"])
def test_the_csv_names_what_it_counts(documents, scope):
    """The CSV's counts stay bare numbers for Excel, but every status, verdict, unit and
    strategic field reads as a word: 資源・エネルギー安全保障・GX, not ENERGY_GX."""
    text = documents[scope, "csv"].decode("utf-8-sig")
    assert not RAW_CODE.findall(text), RAW_CODE.findall(text)
    assert FIELD[1] in text


def test_a_strategic_field_reads_by_its_name_in_every_document(documents):
    pdf = "".join("".join(page.split()) for page in pdf_pages(documents["portfolio", "pdf"]))
    cells = [cell.value for cell in workbook_cells(documents["portfolio", "xlsx"])]
    assert FIELD[1] in pdf and FIELD[1] in cells


def test_an_english_reader_reads_a_fields_english_name(api, manager, officer):
    build_every_code_portfolio(officer)
    response = api.as_user(manager).get("/api/v1/reports/portfolio/", {
        "format": "csv", "as_of": AS_OF.isoformat()}, HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode("utf-8-sig")
    assert FIELD[2] in text and FIELD[0] not in text and FIELD[1] not in text


@pytest.fixture
def pdf_tables(monkeypatch):
    """Every table the PDF lays out, as reportlab gets it."""
    built = []

    def recording(*args, **kwargs):
        built.append(table := real_table(*args, **kwargs))
        return table

    real_table = report_pdf._table
    monkeypatch.setattr(report_pdf, "_table", recording)
    return built


def broken_across_lines(text, lines):
    """Whether `text` is printed as a line holding its beginning and the next line its rest:
    農林水産物・食品の輸出 / 額."""
    return any(0 < len(line) < len(text) and text.startswith(line)
               and following.startswith(text[len(line):])
               for line, following in pairwise(lines))


def test_no_pdf_table_cell_breaks_inside_a_word(api, manager, officer, pdf_tables):
    """A value that must stay whole (a date, a figure, a code, a label) fits its column;
    in a column of text that wraps, each Latin word or code does; and no KPI or initiative
    name is broken over two lines (a Japanese name broken reads as two words)."""
    pillar = build_every_code_portfolio(officer)
    response = api.as_user(manager).get("/api/v1/reports/portfolio/",
                                        {"format": "pdf", "as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    assert pdf_tables
    for table in pdf_tables:
        for row in table._cellvalues:
            for cell, width in zip(row, table._colWidths, strict=True):
                paragraph = cell[0] if isinstance(cell, tuple | list) else cell
                text, style = paragraph.getPlainText(), paragraph.style
                room = width - report_pdf.CELL_PADDING
                words = [text] if style.wordWrap is None else report_pdf.unbreakable_words(text)
                for word in words:
                    assert stringWidth(word, style.fontName, style.fontSize) <= room, (
                        word, width)
    lines = [line.strip() for page in pdf_pages(response.content) for line in page.splitlines()]
    assert any(LONG_WORD in line for line in lines)  # the long word on one line
    names = [name for name, *_rest in KPIS.values()] + [
        initiative.name_ja for initiative in (pillar, *pillar.children.all())]
    assert "農林水産物・食品の輸出額" in lines  # a name as long as the strategy's own
    assert [name for name in names if broken_across_lines(name, lines)] == []
    cells = {(cell[0] if isinstance(cell, tuple | list) else cell).getPlainText()
             for table in pdf_tables for row in table._cellvalues for cell in row}
    assert {"農林水産物・食品の輸出額", "食品輸出"} <= cells  # the names are in the tables


def test_the_strategys_kpi_names_stay_whole_beside_their_long_codes(api, manager, officer):
    """The strategy's agri-food KPIs (fixtures/kpis.yaml) as the seeded portfolio reports
    them: their codes are wide, and their names still print each on one line."""
    initiative = InitiativeFactory(owner=officer, code="FOOD-EXPORT", name_ja="食品輸出")
    exports = KPIFactory(initiative=initiative, code="AGRIFOOD-EXPORTS",
                         name_ja="農林水産物・食品の輸出額", unit=KPIUnit.TRILLION_JPY,
                         baseline_value=Decimal("1.7"), baseline_year=2025,
                         target_value=Decimal("5"), target_year=2030)
    growth = KPIFactory(initiative=initiative, code="AGRIFOOD-EXPORTS-GROWTH",
                        name_ja="農林水産物・食品の輸出額（前年比）", unit=KPIUnit.PERCENT,
                        baseline_value=Decimal("13"), baseline_year=2025, target_value=None,
                        target_year=None)
    for kpi, year, value in ((exports, 2024, "1.5"), (exports, 2025, "1.7"),
                             (growth, 2025, "13")):
        KPIMeasurementFactory(kpi=kpi, period_on=date(year, 12, 31), value=Decimal(value))
    response = api.as_user(manager).get("/api/v1/reports/portfolio/",
                                        {"format": "pdf", "as_of": AS_OF.isoformat()})
    lines = [line.strip() for page in pdf_pages(response.content) for line in page.splitlines()]
    for name in (exports.name_ja, growth.name_ja):
        assert name in lines and not broken_across_lines(name, lines), name


def test_a_pdf_header_too_wide_for_its_column_breaks_between_words_only():
    size = 8
    assert report_pdf._header_lines("必要な年率", size) == ("必要な", "年率")
    assert report_pdf._header_lines("目標年の見込み", size) == ("目標年の", "見込み")
    assert len(english := report_pdf._header_lines("Growth needed a year", size)) == 2
    assert " ".join(english) == "Growth needed a year"
    for whole in ("最新実績", "目標値", "マイルストーン", "遅延あり"):
        assert report_pdf._header_lines(whole, size) == (whole,)


@pytest.mark.screenshots
def test_every_pdf_page_as_a_picture(documents, screenshot_dir, tmp_path):
    """PNGs of each page of the portfolio's and an initiative's PDF, for a person to look
    at (`make screenshots` keeps them in reports/screenshots/)."""
    if not shutil.which("pdftoppm"):
        missing("needs pdftoppm (Debian's poppler-utils; make fonts installs it)")
    for scope in ("portfolio", "initiative"):
        pdf = tmp_path / f"report-{scope}.pdf"
        pdf.write_bytes(documents[scope, "pdf"])
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf),
                        str(screenshot_dir / f"report-{scope}")], check=True, timeout=120)
        pages = sorted(screenshot_dir.glob(f"report-{scope}-*.png"))
        assert len(pages) == len(pdf_pages(documents[scope, "pdf"]))


def test_an_initiative_below_another_reads_indented_and_its_parent_counts_it(
        api, manager, officer, pdf_tables):
    """By initiative: the sub-initiative is indented under its pillar in the PDF (a left
    indent), the CSV and the workbook (a full-width space a level), and a note says that a
    pillar's figures include those below it."""
    build_every_code_portfolio(officer)
    client = api.as_user(manager)

    def download(fmt):
        return client.get("/api/v1/reports/portfolio/",
                          {"format": fmt, "as_of": AS_OF.isoformat()}).content

    pdf = download("pdf")
    paragraphs = [cell[0] if isinstance(cell, tuple | list) else cell
                  for table in pdf_tables for row in table._cellvalues for cell in row]
    indents = {paragraph.getPlainText(): paragraph.style.leftIndent for paragraph in paragraphs
               if paragraph.getPlainText() in ("食品輸出", "新規需要の開拓")}
    assert indents["新規需要の開拓"] > indents["食品輸出"] == 0
    note = "上位の施策の件数は下位の施策を含みます。"
    assert note in "".join("".join(page.split()) for page in pdf_pages(pdf))
    csv_text = download("csv").decode("utf-8-sig")
    assert ",\u3000新規需要の開拓," in csv_text and ",食品輸出," in csv_text
    assert note in csv_text
    cells = [cell.value for cell in workbook_cells(download("xlsx"))]
    assert "\u3000新規需要の開拓" in cells and "食品輸出" in cells
    assert note in cells
