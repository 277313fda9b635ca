"""An uploaded file read into rows of cell values, or refused with a reason the officer can act
on. Nothing in a file is ever run: formulas are refused (openpyxl never evaluates them; we
do not read cached results either, which the file's author could have set to anything), and
so are macros, hidden sheets, rows and columns, and merged cells (which shift values between
columns).

XLSX is read with openpyxl after checking the zip's contents (a macro project, a binary
workbook, or far more unpacked bytes than the limit suggests are refused before any XML is
parsed). CSV is UTF-8, with or without the byte-order mark Excel writes, or Shift_JIS
(cp932), which Excel on Japanese Windows writes for "CSV (comma separated)".
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from tracker.errors import ServiceError

# An XLSX packs XML about tenfold; more than this many unpacked bytes per packed byte allowed
# is a "zip bomb", refused before it is unpacked.
UNPACKED_PER_PACKED = 20
CELLS_NAMED_IN_A_MESSAGE = 5


@dataclass(frozen=True)
class Table:
    """The first sheet's (or the CSV's) heading row and the rows below it, each with the row
    number the officer sees in Excel. Fully empty rows are left out."""

    headings: list[Any]
    rows: list[tuple[int, list[Any]]]


def refuse(code: str, message: str) -> ServiceError:
    return ServiceError({"file": ServiceError(message, code=code)})


def _limit_text() -> str:
    return _("%(megabytes)s MB") % {"megabytes": f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:g}"}


def check_size(size: int) -> None:
    """Refuse a file larger than IMPORT_MAX_BYTES: ask before reading an upload into memory."""
    if size > settings.IMPORT_MAX_BYTES:
        raise refuse("file_too_large", _(
            "The file is too large: the limit is %(limit)s. Split it into several files.")
            % {"limit": _limit_text()})


def read_table(content: bytes) -> Table:
    """The table in `content` (an XLSX or CSV file), or a ServiceError naming what is wrong
    with the file (on the field "file")."""
    if not content:
        raise refuse("empty_file", _("The file is empty."))
    check_size(len(content))
    if content.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(content)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):  # the pre-2007 binary format (.xls)
        raise refuse("not_a_spreadsheet", _(
            "This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as "
            "CSV and upload that."))
    else:
        rows = _csv_rows(content)
    return _table(rows)


def _table(rows: list[tuple[int, list[Any]]]) -> Table:
    filled = [(number, values) for number, values in rows
              if any(value not in (None, "") for value in values)]
    if not filled:
        raise refuse("empty_file", _("The file has no rows: not even a heading row."))
    (_number, headings), *data = filled
    if not data:
        raise refuse("empty_file", _("The file has a heading row but no rows below it."))
    if len(data) > settings.IMPORT_MAX_ROWS:
        raise refuse("too_many_rows", _(
            "The file has %(rows)s rows; at most %(limit)s are read at a time. Split it into "
            "several files.") % {"rows": f"{len(data):,}",
                                 "limit": f"{settings.IMPORT_MAX_ROWS:,}"})
    return Table(headings=headings, rows=data)


# --- XLSX -----------------------------------------------------------------------------------

def _check_package(content: bytes) -> None:
    try:
        package = zipfile.ZipFile(io.BytesIO(content))
        names = set(package.namelist())
        unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise refuse("not_a_spreadsheet", _(
            "The file cannot be read as a spreadsheet. Upload an Excel workbook (.xlsx) or a "
            "CSV file.")) from None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise refuse("macros_not_allowed", _(
            "The workbook contains macros. Save it as an Excel workbook without macros (.xlsx) "
            "and upload that."))
    if "xl/workbook.xml" not in names:
        raise refuse("not_a_spreadsheet", _(
            "The file is not an Excel workbook (.xlsx). Upload an .xlsx or CSV file (a binary "
            "workbook, .xlsb, cannot be read)."))
    if unpacked > max(len(content), 1) * UNPACKED_PER_PACKED:
        raise refuse("file_too_large", _(
            "The workbook unpacks to far more data than its size suggests; it cannot be read."))


def _xlsx_rows(content: bytes) -> list[tuple[int, list[Any]]]:
    _check_package(content)
    try:
        book = load_workbook(io.BytesIO(content), data_only=False, keep_vba=False,
                             keep_links=False, rich_text=False)
    except Exception:  # openpyxl raises many kinds on a damaged file; all mean the same here
        raise refuse("not_a_spreadsheet", _(
            "The workbook cannot be read: it may be damaged. Open it in Excel, save it again "
            "as .xlsx and upload that.")) from None
    hidden = [sheet.title for sheet in [*book.worksheets, *book.chartsheets]
              if getattr(sheet, "sheet_state", "visible") != "visible"]
    if hidden:
        raise refuse("hidden_sheets", _(
            "The workbook has hidden sheets (%(sheets)s). Unhide or delete them, so that "
            "nothing is imported that you cannot see.") % {"sheets": "、".join(hidden)})
    if not book.worksheets:
        raise refuse("empty_file", _("The workbook has no sheets."))
    sheet = book.worksheets[0]
    if sheet.merged_cells.ranges:
        raise refuse("merged_cells", _(
            "The sheet has merged cells (%(cells)s). Unmerge them: each value needs its own "
            "cell.") % {"cells": ", ".join(
                str(cells) for cells in list(sheet.merged_cells.ranges)[
                    :CELLS_NAMED_IN_A_MESSAGE])})
    # The cells the file actually holds, not the (possibly huge) rectangle around them.
    cells = sheet._cells.values()
    formulas = [cell.coordinate for cell in cells if cell.data_type == "f"
                or isinstance(cell.value, ArrayFormula | DataTableFormula)]
    if formulas:
        raise refuse("formulas_not_allowed", _(
            "The sheet has formulas (%(cells)s). Formulas are not imported: copy the cells "
            "and paste them as values, then upload the file again.") % {
            "cells": ", ".join(sorted(formulas)[:CELLS_NAMED_IN_A_MESSAGE])})
    hidden_rows = {number for number, row in sheet.row_dimensions.items() if row.hidden}
    hidden_columns = {index for dimension in sheet.column_dimensions.values() if dimension.hidden
                      for index in range(dimension.min or 0, (dimension.max or 0) + 1)}
    concealed = [cell.coordinate for cell in cells if cell.value not in (None, "") and (
        cell.row in hidden_rows or cell.column in hidden_columns)]
    if concealed:
        raise refuse("hidden_cells", _(
            "The sheet has hidden rows or columns with values in them (%(cells)s). Unhide "
            "them, so that nothing is imported that you cannot see.") % {
            "cells": ", ".join(sorted(concealed)[:CELLS_NAMED_IN_A_MESSAGE])})
    by_row: dict[int, dict[int, Any]] = {}
    for (row, column), cell in sheet._cells.items():  # keyed (row, column), both numbers
        by_row.setdefault(row, {})[column] = cell.value
    if len(by_row) > settings.IMPORT_MAX_ROWS + 1:
        # Counted again without empty rows below; this spares building a huge list first.
        filled = sum(1 for values in by_row.values()
                     if any(value not in (None, "") for value in values.values()))
        if filled > settings.IMPORT_MAX_ROWS + 1:
            raise refuse("too_many_rows", _(
                "The file has %(rows)s rows; at most %(limit)s are read at a time. Split it "
                "into several files.") % {"rows": f"{filled - 1:,}",
                                          "limit": f"{settings.IMPORT_MAX_ROWS:,}"})
    width = max((column for values in by_row.values() for column in values), default=0)
    return [(number, [values.get(column) for column in range(1, width + 1)])
            for number, values in sorted(by_row.items())]


# --- CSV ------------------------------------------------------------------------------------

def _decode(content: bytes) -> str:
    if b"\x00" in content:
        # UTF-16 ("Unicode text" in Excel) or a binary file: either way not a CSV we read.
        raise refuse("not_a_spreadsheet", _(
            "The file is not a spreadsheet we can read. Upload an Excel workbook (.xlsx) or "
            "a CSV file (UTF-8 or Shift_JIS)."))
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise refuse("unreadable_encoding", _(
        "The CSV file is neither UTF-8 nor Shift_JIS. In Excel, save it as “CSV UTF-8” and "
        "upload that."))


def _csv_rows(content: bytes) -> list[tuple[int, list[Any]]]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[Any]]] = []
    try:
        for values in reader:
            rows.append((reader.line_num, values))
    except csv.Error:
        raise refuse("not_a_spreadsheet", _(
            "The CSV file cannot be read (line %(line)s): check its quotation marks.")
            % {"line": reader.line_num}) from None
    formulas = [f"{number}:{index}" for number, values in rows
                for index, value in enumerate(values, start=1) if value.startswith("=")]
    if formulas:
        raise refuse("formulas_not_allowed", _(
            "The CSV file has cells that start with “=” (line:column %(cells)s): formulas are "
            "not imported. Write the values themselves.") % {
            "cells": ", ".join(formulas[:CELLS_NAMED_IN_A_MESSAGE])})
    return rows
