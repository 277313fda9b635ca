"""The workbook to start from: the officer's own records (or none) in exactly the import's
format, with drop-down lists for statuses, health, the initiative codes they may use and the
people who may own work, so that export → edit in Excel → import is the normal round trip.

Sheets: the data (read by the import: always the first sheet), the lists the drop-downs take
their values from, and how to fill each column. All visible: the import refuses hidden sheets.
Every text cell goes through inert_cell, so a title starting with "=" stays text (the import
drops the quote it adds).

A file holds at most IMPORT_MAX_ROWS records, as many as the import reads. An officer with more
gets the first ones, told so in the notes sheet, on the import page and in the response's
headers, and downloads the others a part at a time (?initiative=<code> for milestones)."""

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from accounts.models import User
from tracker.dates import EARLIEST_DATE, LATEST_DATE
from tracker.spreadsheets import inert_cell

from ..reporting import labels
from ..selectors.access import initiatives_editable_by, kpis_measurable_by, work_owner_candidates
from .kind import STATUS, ImportKind

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADING_FILL = PatternFill("solid", fgColor="E8EEF7")
REFERENCE_FILL = PatternFill("solid", fgColor="EEEEEE")  # columns shown, not imported
DATE_FORMAT = "yyyy/mm/dd"
WIDE_TEXT = 50
DATE_KEYS = {"planned_due_on", "baseline_due_on", "completed_on", "due_on", "period_on"}


@dataclass(frozen=True)
class TemplateFile:
    content: bytes
    rows: int  # the records in the file
    total: int  # the records it would hold without the limit

    @property
    def partial(self) -> bool:
        return self.rows < self.total


def template_records(kind: ImportKind, user: User, *,
                     narrowed_to: str | None = None) -> QuerySet[Any]:
    """The records of `user`'s template, or of one part of it (e.g. one initiative)."""
    records = kind.template_records(user)
    if narrowed_to:
        records = records.filter(**{kind.narrowed_by[1]: narrowed_to})
    return records


def template_parts(kind: ImportKind, user: User) -> list[tuple[str, int]]:
    """The parts (e.g. initiative codes) `user`'s records can be downloaded in, with the
    number of records in each."""
    lookup = kind.narrowed_by[1]
    return list(kind.template_records(user).order_by(lookup).values(lookup).annotate(
        records=Count("pk")).values_list(lookup, "records"))


def template_file_name(kind: ImportKind, *, blank: bool) -> str:
    stem = {"milestones": "milestones", "kpi-measurements": "kpi-measurements",
            "country-actions": "country-actions"}[kind.key]
    return f"{stem}-template.xlsx" if blank else f"{stem}.xlsx"


def _lists(kind: ImportKind, user: User) -> dict[str, list[str]]:
    """The values each drop-down offers, by the column it serves."""
    keys = {column.key for column in kind.columns}
    lists: dict[str, list[str]] = {}
    for key, choice_kind in kind.choice_columns.items():
        lists[key] = [str(label) for label in (
            labels.STATUSES if choice_kind == STATUS else labels.HEALTHS).values()]
    if "initiative" in keys:
        lists["initiative"] = list(initiatives_editable_by(user).order_by("code").values_list(
            "code", flat=True))
    if "owner" in keys:
        lists["owner"] = list(work_owner_candidates().order_by("username").values_list(
            "username", flat=True))
    if "kpi" in keys:
        lists["kpi"] = list(kpis_measurable_by(user).order_by("code").values_list(
            "code", flat=True))
    return lists


def _cell(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else inert_cell(value)


def _fit(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8) + 2,
                                                                      WIDE_TEXT)


def _text_width(value: Any) -> int:
    text = labels.day(value) if isinstance(value, date) else str(value or "")
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _write_lists(book: Workbook, kind: ImportKind, lists: dict[str, list[str]]) -> dict[str, str]:
    """The lists sheet; returns {column key: the range its drop-down reads}."""
    sheet = book.create_sheet(_("Lists"))
    ranges = {}
    for index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=kind.heading(key)).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=inert_cell(value))
        last = max(len(values) + 1, 2)
        ranges[key] = f"{quote_sheetname(sheet.title)}!${letter}$2:${letter}${last}"
        sheet.column_dimensions[letter].width = max(
            [_text_width(kind.heading(key)), *map(_text_width, values)]) + 2
    sheet.protection.sheet = True  # read-only: the lists come from the tracker
    return ranges


def _validate(sheet: Worksheet, kind: ImportKind, ranges: dict[str, str]) -> None:
    last_row = settings.IMPORT_MAX_ROWS + 1
    for index, column in enumerate(kind.columns, start=1):
        cells = f"{get_column_letter(index)}2:{get_column_letter(index)}{last_row}"
        if column.key in ranges:
            rule = DataValidation(type="list", formula1=ranges[column.key], allow_blank=True,
                                  showErrorMessage=True, errorTitle=kind.heading(column.key),
                                  error=_("Choose a value from the list."))
        elif column.key in DATE_KEYS:
            rule = DataValidation(
                type="date", operator="between", allow_blank=True, showErrorMessage=True,
                formula1=str((EARLIEST_DATE - date(1899, 12, 30)).days),
                formula2=str((LATEST_DATE - date(1899, 12, 30)).days),
                error=_("Give a date between %(earliest)s and %(latest)s.") % {
                    "earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()})
        elif column.key == "percent_complete":
            rule = DataValidation(type="whole", operator="between", formula1="0",
                                  formula2="100", allow_blank=True, showErrorMessage=True,
                                  error=_("Give a number from %(minimum)s to %(maximum)s.") % {
                                      "minimum": 0, "maximum": 100})
        else:
            continue
        rule.add(cells)
        sheet.add_data_validation(rule)


def partial_message(kind: ImportKind, *, rows: int, total: int) -> str:
    return _("The template holds only the first %(rows)s of the %(total)s records you may "
             "change: a file holds at most %(limit)s rows, as many as an import reads. "
             "Download it a part at a time, by “%(column)s”: the import page lists the "
             "parts.") % {
        "rows": f"{rows:,}", "total": f"{total:,}", "limit": f"{settings.IMPORT_MAX_ROWS:,}",
        "column": kind.heading(kind.narrowed_by[0])}


def _write_notes(book: Workbook, kind: ImportKind, template: TemplateFile) -> None:
    sheet = book.create_sheet(_("How to fill in"))
    if template.partial:
        sheet.append([partial_message(kind, rows=template.rows, total=template.total)])
        sheet["A1"].font = Font(bold=True, color="9C0006")
        sheet.append([])
    sheet.append([_("Column"), _("How to fill it in")])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = Font(bold=True), HEADING_FILL
    for column in kind.columns:
        sheet.append([str(column.heading), str(column.note)])
    for line in (_("Dates: 2026/12/01, 2026年12月1日 or a date cell."),
                 _("Rows without an ID are added as new records."),
                 _("Keep the ID and version columns as exported: a row changed by someone "
                   "else since the export is refused."),
                 _("Formulas, macros, hidden sheets and merged cells are refused; at most "
                   "%(rows)s rows and %(megabytes)s MB per file.") % {
                     "rows": f"{settings.IMPORT_MAX_ROWS:,}",
                     "megabytes": f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:g}"}):
        sheet.append([])
        sheet.append([line])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 60
    sheet.protection.sheet = True


def template_workbook(kind: ImportKind, user: User, *, blank: bool,
                      narrowed_to: str | None = None) -> TemplateFile:
    limit = settings.IMPORT_MAX_ROWS
    rows: list[dict[str, Any]] = []
    total = 0
    if not blank:
        records = template_records(kind, user, narrowed_to=narrowed_to)
        rows = [kind.template_row(record) for record in records[:limit]]
        total = records.count() if len(rows) == limit else len(rows)
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = str(kind.title)[:31]
    sheet.append([str(column.heading) for column in kind.columns])
    widths = [_text_width(column.heading) for column in kind.columns]
    for record in rows:
        sheet.append([_cell(record.get(column.key)) for column in kind.columns])
        for index, column in enumerate(kind.columns):
            cell = sheet.cell(row=sheet.max_row, column=index + 1)
            widths[index] = max(widths[index], _text_width(record.get(column.key)))
            if column.key in DATE_KEYS:
                cell.number_format = DATE_FORMAT
    for index, column in enumerate(kind.columns, start=1):
        heading = sheet.cell(row=1, column=index)
        heading.font = Font(bold=True)
        heading.fill = REFERENCE_FILL if column.key in kind.informational | {
            "id", "version"} else HEADING_FILL
        heading.alignment = Alignment(vertical="center")
        if column.key in DATE_KEYS and not rows:
            widths[index - 1] = max(widths[index - 1], 12)
    _fit(sheet, widths)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(kind.columns))}{max(sheet.max_row, 2)}"
    _validate(sheet, kind, _write_lists(book, kind, _lists(kind, user)))
    template = TemplateFile(content=b"", rows=len(rows), total=total)
    _write_notes(book, kind, template)
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return TemplateFile(content=out.getvalue(), rows=template.rows, total=template.total)


def template_response(kind: ImportKind, user: User, *, blank: bool,
                      narrowed_to: str | None = None) -> HttpResponse:
    """The template as a download; its headers say how many records it holds of how many
    (X-Template-Rows, X-Template-Total), so a script notices a partial file."""
    template = template_workbook(kind, user, blank=blank, narrowed_to=narrowed_to)
    response = HttpResponse(template.content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{template_file_name(kind, blank=blank)}"')
    response["X-Template-Rows"] = str(template.rows)
    response["X-Template-Total"] = str(template.total)
    return response
