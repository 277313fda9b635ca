"""Headings, labels and dates as officers write them, turned into typed values in one place.

A heading is matched whatever its language (the template's Japanese heading, its English one,
the field's code, or the heading our report files use), ignoring width, case, spaces and a
trailing "*". Statuses and health are read by their labels (programs.reporting.labels, in
Japanese and English, with or without the part in brackets: 緑（順調） or 緑) or by their codes.
Dates are Excel dates, 2026/12/01, 2026-12-01, 2026年12月1日 or 1 December 2026.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl.utils.datetime import from_excel

from tracker.dates import EARLIEST_DATE, LATEST_DATE, date_out_of_range_message
from tracker.errors import ServiceError
from tracker.spreadsheets import FORMULA_STARTS
from tracker.text import validate_one_line

LANGUAGES = ("ja", "en")


def normalise(text: object) -> str:
    """A heading or label as compared: NFKC (full-width letters and digits are their ASCII
    selves), case-folded, without spaces, underscores or a required-column "*"."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return re.sub(r"[\s_*＊]", "", folded)


@dataclass(frozen=True)
class Column:
    """A column of an import (and of its template): the field it fills, its heading, how a
    cell is read, and the other headings it goes by."""

    key: str
    heading: str | Promise
    read: Callable[[Any], Any]
    aliases: tuple[str | Promise, ...] = ()
    required: bool = False  # the heading must be there
    note: str | Promise = ""  # shown under the heading in the template's notes

    def names(self) -> set[str]:
        found = {normalise(self.key)}
        for language in LANGUAGES:
            with override(language):
                found |= {normalise(str(name)) for name in (self.heading, *self.aliases)}
        return found


@dataclass
class Headings:
    """Which column of the file each of our columns is in."""

    positions: dict[str, int]
    ignored: list[str] = field(default_factory=list)


def match_headings(headings: list[Any], columns: Iterable[Any]) -> Headings:
    columns = list(columns)
    by_name = {name: column for column in columns for name in column.names()}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, heading in enumerate(headings):
        if heading in (None, ""):
            continue
        column = by_name.get(normalise(heading))
        if column is None:
            ignored.append(str(heading))
        elif column.key in positions:
            raise ServiceError({"file": ServiceError(
                _("The heading “%(heading)s” appears twice."), code="duplicate_heading",
                params={"heading": heading})})
        else:
            positions[column.key] = index
    missing = [str(column.heading) for column in columns
               if column.required and column.key not in positions]
    if missing:
        raise ServiceError({"file": ServiceError(
            _("These columns are missing: %(columns)s. Start from the template, whose first "
              "row has every heading."), code="missing_columns",
            params={"columns": "、".join(missing)})})
    return Headings(positions=positions, ignored=ignored)


class CellError(ValueError):
    """A cell that cannot be read: its code and message (in the active language)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(max_length: int, *, one_line: bool = True) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        if is_blank(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        result = str(value).strip()
        # Our own files write a text that looks like a formula with a leading quote
        # (tracker.spreadsheets.inert_cell); reading it back drops the quote again.
        if result.startswith("'") and result[1:2] and (
                unicodedata.normalize("NFKC", result[1])[:1] in FORMULA_STARTS):
            result = result[1:]
        if one_line:
            try:
                validate_one_line(result)
            except ValidationError as error:
                raise CellError("control_characters", " ".join(error.messages)) from None
        if len(result) > max_length:
            raise CellError("too_long", _("At most %(limit)s characters.") % {
                "limit": max_length})
        return result
    return read


def code(value: Any) -> str:
    return unicodedata.normalize("NFKC", text(100)(value))


def whole_number(*, minimum: int, maximum: int, percent: bool = False) -> Callable[[Any], Any]:
    def read(value: Any) -> int | None:
        if is_blank(value):
            return None
        if isinstance(value, bool):
            raise CellError("invalid_number", _("Give a whole number."))
        if isinstance(value, int | float):
            number = float(value) * (100 if percent and 0 < value < 1 else 1)
        else:
            written = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
            written = written.removesuffix("%") if percent else written
            try:
                number = float(written)
            except ValueError:
                raise CellError("invalid_number", _("Give a whole number.")) from None
        if not number.is_integer():
            raise CellError("invalid_number", _("Give a whole number."))
        if not minimum <= number <= maximum:
            raise CellError("out_of_range", _("Give a number from %(minimum)s to %(maximum)s.")
                            % {"minimum": minimum, "maximum": maximum})
        return int(number)
    return read


def decimal(value: Any) -> Decimal | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("invalid_number", _("Give a number."))
    written = value if isinstance(value, int | Decimal) else unicodedata.normalize(
        "NFKC", str(value)).strip().replace(",", "")
    try:
        number = Decimal(str(written))
    except InvalidOperation:
        raise CellError("invalid_number", _("Give a number.")) from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 16:
        raise CellError("invalid_number", _("Give a number."))
    if -number.as_tuple().exponent > 4:  # type: ignore[operator]
        raise CellError("invalid_number", _("Give at most 4 decimal places."))
    return number


DATE_PATTERNS = (
    re.compile(r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"),
    re.compile(r"(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})日"),
)


def day(value: Any) -> date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        parsed = value.date()
    elif isinstance(value, date):
        parsed = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        parsed = _serial_date(value)  # a date cell that lost its date format
    else:
        parsed = _written_date(unicodedata.normalize("NFKC", str(value)).strip())
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        raise CellError("date_out_of_range", date_out_of_range_message())
    return parsed


def _serial_date(value: float) -> date:
    try:
        return from_excel(value).date()
    except (ValueError, OverflowError, TypeError):
        raise CellError("date_out_of_range", date_out_of_range_message()) from None


def _written_date(written: str) -> date:
    for pattern in DATE_PATTERNS:
        if match := pattern.fullmatch(written):
            year_number, month_number, day_number = (int(part) for part in match.groups())
            try:
                return date(year_number, month_number, day_number)
            except ValueError:
                break
    else:
        try:
            return datetime.strptime(written, "%d %B %Y").date()
        except ValueError:
            pass
    raise CellError("invalid_date", _("Give a date such as 2026/12/01 or 2026年12月1日."))


def choice(labels: dict[str, Any]) -> Callable[[Any], str | None]:
    """A status or health read by its code or its label in either language, with or without
    the part in brackets ("緑（順調）", "緑", "Green", "green")."""

    def names() -> dict[str, str]:
        found: dict[str, str] = {}
        for value, label in labels.items():
            found[normalise(value)] = value
            for language in LANGUAGES:
                with override(language):
                    written = str(label)
                found[normalise(written)] = value
                found[normalise(re.split(r"[（(]", written)[0])] = value
        return found

    def read(value: Any) -> str | None:
        if is_blank(value):
            return None
        found = names().get(normalise(value))
        if found is None:
            raise CellError("invalid_choice", _("Choose one of: %(choices)s.") % {
                "choices": "、".join(str(label) for label in labels.values())})
        return found
    return read


def read_row(values: list[Any], columns: Iterable[Column],
             headings: Headings) -> tuple[dict[str, Any], ServiceError | None]:
    """{column key: typed value} for the cells of the file's columns that can be read, and a
    ServiceError naming the first cell that cannot (None if all can)."""
    read: dict[str, Any] = {}
    first_error = None
    for column in columns:
        position = headings.positions.get(column.key)
        if position is None:
            continue
        raw = values[position] if position < len(values) else None
        try:
            read[column.key] = column.read(raw)
        except CellError as error:
            first_error = first_error or ServiceError(
                _("Column “%(column)s”: %(problem)s"), code=error.code,
                params={"column": column.heading, "problem": error.message})
    return read, first_error
