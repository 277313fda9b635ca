"""The report as a file Excel opens without questions: CSV (one table, a section column) and
XLSX (a sheet per section), with headers, codes and units in the reader's language
(`programs.reporting`). DRF renderers, chosen with ?format=csv or ?format=xlsx.

The CSV starts with a UTF-8 byte-order mark, which is how Excel on Japanese Windows knows it
is not Shift_JIS; `?encoding=cp932` gives Shift_JIS itself for older tools (a character it
cannot hold becomes "?"). The XLSX keeps numbers, dates and percentages as numbers with
display formats, fits its columns, and freezes and filters its header row. Every cell goes
through `inert_cell`: a title starting with "=" is text, not a formula."""

import csv
import io
import unicodedata
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from rest_framework.renderers import BaseRenderer

from tracker.spreadsheets import inert_cell

from ..reporting import tables
from ..reporting.tables import COUNT, DATE, DAYS, PERCENT, QUANTITY, SHARE, YEAR
from ..services.common import today

# ?encoding= -> the codec: UTF-8 with the byte-order mark Excel looks for, or Shift_JIS.
CSV_ENCODINGS = {"utf-8": "utf-8-sig", "cp932": "cp932"}
WIDEST_COLUMN = 60  # characters; longer text wraps inside its cell
HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")


def _cell(value):
    return "" if value is None else inert_cell(value)


def _csv_value(kind, value, unit=None):
    """Counts and days stay bare numbers, so that Excel can add them up (their header says
    what they count); the rest reads as on the page."""
    if kind in (COUNT, DAYS):
        return _cell(value)
    return _cell(tables.display(kind, value, unit))


class CSVReportRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if "milestones" not in (data or {}):  # an error: keep its shape, as text
            return str(data).encode()
        out = io.StringIO()
        writer = csv.writer(out)
        summary_title = _("Summary")
        writer.writerow([_("Section"), _("Item"), _("Value")])
        if note := tables.as_of_note(data, today()):
            writer.writerow([summary_title, _("Note"), _cell(note)])
        for name, value, kind in tables.summary(data):
            writer.writerow([summary_title, _cell(str(name)),
                             _cell(tables.display(kind, value))])
        for section in tables.sections_in(data):
            title = section.heading(data)
            writer.writerow([title, *[_cell(str(c.header)) for c in section.columns]])
            for row in tables.section_rows(data, section):
                writer.writerow([title, *[_csv_value(c.kind, c.value(row), c.unit(row))
                                          for c in section.columns]])
            if section.note:
                writer.writerow([title, _cell(str(section.note))])
        if unmeasured := tables.unmeasured_line(data):
            writer.writerow([str(tables.SECTIONS[-1].title), _("KPIs not measured yet"),
                             _cell(unmeasured)])
        request = (renderer_context or {}).get("request")
        asked = request.query_params.get("encoding", "utf-8") if request else "utf-8"
        return out.getvalue().encode(CSV_ENCODINGS.get(asked, "utf-8-sig"), errors="replace")


def _xlsx_value(kind, value, unit=None):
    """A cell's value and number format: numbers and dates stay numbers and dates."""
    if value is None:
        return None, None
    if kind == DATE:
        return (value if isinstance(value, date) else date.fromisoformat(str(value)[:10]),
                pgettext("Excel date format", "d mmmm yyyy"))
    if kind == YEAR:
        return int(value), pgettext("Excel year format", "0")
    if kind in (COUNT, DAYS):
        return value, "#,##0"
    if kind == PERCENT:  # a value already in percent (38.2): Excel's % wants 0.382
        return float(Decimal(str(value)) / 100), "0.0%"
    if kind == SHARE:
        return float(value), "0.0%"
    if kind == QUANTITY:
        return float(value), "#,##0.0##" if float(value) % 1 else "#,##0"
    return inert_cell(tables.display(kind, value, unit)), None


def _text_width(text):
    """Columns Excel needs for `text`: a full-width (Japanese) character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _shown(kind, value, unit):
    return tables.display(kind, value, unit) if value is not None else ""


def _write_sheet(sheet, headers, rows):
    """`rows` of (kind, value, unit) under `headers`: formats, fitted widths, a frozen and
    filtered header row."""
    sheet.append([_cell(str(header)) for header in headers])
    widths = [_text_width(str(header)) for header in headers]
    for row in rows:
        values = [_xlsx_value(kind, value, unit) for kind, value, unit in row]
        sheet.append([value for value, _format in values])
        for index, (cell, (_value, number_format), (kind, value, unit)) in enumerate(
                zip(sheet[sheet.max_row], values, row, strict=True)):
            widths[index] = max(widths[index], _text_width(_shown(kind, value, unit)))
            if number_format is not None:
                cell.number_format = number_format
            if isinstance(cell.value, str) and _text_width(cell.value) > WIDEST_COLUMN:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, WIDEST_COLUMN)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _sheet_title(title):
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join(char for char in str(title) if char not in "[]:*?/\\")[:31]


class XLSXReportRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if "milestones" not in (data or {}):
            return str(data).encode()
        book = Workbook()
        summary = book.worksheets[0]  # a new workbook's one sheet
        summary.title = _sheet_title(_("Summary"))
        _write_sheet(summary, [_("Item"), _("Value")],
                     [((tables.TEXT, str(name), None), (kind, value, None))
                      for name, value, kind in tables.summary(data)]
                     + ([[(tables.TEXT, _("Note"), None), (tables.TEXT, note, None)]]
                        if (note := tables.as_of_note(data, today())) else []))
        for section in tables.sections_in(data):
            columns = section.columns
            if section.key == "kpis":  # the unit beside the figures, which stay numbers
                columns = (*columns[:2], tables.Column("unit", _("Unit"), tables.UNIT),
                           *columns[2:])
            sheet = book.create_sheet(_sheet_title(section.heading(data)))
            rows = tables.section_rows(data, section)
            _write_sheet(sheet, [column.header for column in columns],
                         [[(c.kind, c.value(row), c.unit(row)) for c in columns] for row in rows])
            if section.note and rows:  # below the filtered table, a line apart
                sheet.append([])
                sheet.append([_cell(str(section.note))])
        if unmeasured := tables.unmeasured_kpis(data):
            sheet = book.create_sheet(_sheet_title(_("KPIs not measured yet")))
            _write_sheet(sheet, [_("KPIs not measured yet")],
                         [[(tables.TEXT, str(entry), None)] for entry in unmeasured])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

