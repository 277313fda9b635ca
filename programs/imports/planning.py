"""What an import would do, row by row, before anything is written: each row is new, changed
(which fields, old → new), unchanged, or refused with its reason. The checks are the services'
own rules (rights, workflow, owners, projects, versions), asked of records read in a fixed
number of queries, whatever the number of rows; applying then writes through the services,
which check everything again on the locked rows."""

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from tracker.errors import PreconditionFailed, ServiceError

from ..services.common import validate_work_owner
from .parsing import Column, Headings, match_headings, read_row
from .reading import Table

NEW, CHANGED, UNCHANGED, REFUSED = "new", "changed", "unchanged", "refused"


@dataclass(frozen=True)
class Change:
    """One field a row changes: its column heading, and the values before and after, as
    codes (for JSON) and as a reader reads them."""

    field: str
    column: str
    old: Any
    new: Any
    old_text: str
    new_text: str


# Calls the service that writes the row: (by, reason) -> None.
Write = Callable[[User, str], Any]


@dataclass
class RowPlan:
    row: int
    outcome: str
    describes: str = ""
    record_id: int | None = None
    changes: list[Change] = field(default_factory=list)
    code: str = ""
    message: str = ""
    write: Write | None = None


@dataclass
class ParsedRow:
    """A row of the file read into typed values, or the reason it could not be."""

    row: int
    values: dict[str, Any]
    error: ServiceError | None = None


@dataclass
class ImportPlan:
    kind: Any  # an ImportKind (kinds.py)
    rows: list[RowPlan]
    ignored_headings: list[str]

    def counts(self) -> dict[str, int]:
        counted = Counter(row.outcome for row in self.rows)
        return {outcome: counted.get(outcome, 0) for outcome in (NEW, CHANGED, UNCHANGED,
                                                                  REFUSED)}

    def accepted(self) -> list[RowPlan]:
        return [row for row in self.rows if row.outcome in (NEW, CHANGED)]

    def fingerprint(self) -> str:
        """What the officer saw and confirms: each row's outcome and changes. Confirming
        applies the plan only if planning again gives the same."""
        seen = [[row.row, row.outcome, row.record_id, row.code,
                 [[change.field, str(change.new)] for change in row.changes]]
                for row in self.rows]
        return hashlib.sha256(json.dumps(seen, ensure_ascii=False).encode()).hexdigest()


def refusal(row: int, error: Exception, describes: str = "",
            record_id: int | None = None) -> RowPlan:
    """A refused row with the code and message of the error the rules raised."""
    if isinstance(error, ValidationError):
        items = [item for items in getattr(error, "error_dict", {}).values() for item in items
                 ] or error.error_list
        code = next((item.code for item in items if item.code), None) or "invalid"
        message = " ".join(error.messages)
    elif isinstance(error, PermissionDenied):
        code, message = "not_yours", not_yours_message()
    elif isinstance(error, PreconditionFailed):
        code, message = error.code, str(error.message)
    else:
        code, message = getattr(error, "code", "invalid"), str(error)
    return RowPlan(row=row, outcome=REFUSED, describes=describes, record_id=record_id,
                   code=code, message=message)


def refuse(code: str, message: str, /, **params: Any) -> ServiceError:
    return ServiceError(message, code=code, params=params or None)


def named_owner(username: str | None, people: Mapping[str, User]) -> User | None:
    """The owner a row names by user name (`people`: those the file names, read in advance);
    none for an empty cell. Refused for someone unknown or who cannot own work."""
    if not username:
        return None
    owner = people.get(username)
    if owner is None:
        raise refuse("unknown_owner", _("There is no user “%(owner)s”."), owner=username)
    validate_work_owner(owner)
    return owner


def not_yours_message() -> str:
    return _("This is not work of an initiative you own or belong to.")


def stale_message(exported: int, current: int) -> str:
    return _("Someone changed this record after the file was exported (version %(exported)s, "
             "now %(current)s). Export the file again and make your change there.") % {
        "exported": exported, "current": current}


def duplicates(rows: Iterable[ParsedRow],
               key: Callable[[ParsedRow], Hashable | None]) -> dict[int, list[int]]:
    """{row: all rows with the same key} for every key that appears more than once."""
    by_key: dict[Hashable, list[int]] = {}
    for parsed in rows:
        if parsed.error is None and (found := key(parsed)) is not None:
            by_key.setdefault(found, []).append(parsed.row)
    return {row: rows for rows in by_key.values() if len(rows) > 1 for row in rows}


def duplicate_refusal(row: int, rows: list[int], describes: str = "",
                      record_id: int | None = None) -> RowPlan:
    return refusal(row, refuse("duplicate_row", _(
        "The same record is in rows %(rows)s; keep one of them."),
        rows=", ".join(str(number) for number in rows)), describes, record_id)


def plan_rows(parsed: list[ParsedRow], *, same_record: Callable[[ParsedRow], Hashable | None],
              describe: Callable[[ParsedRow], str],
              plan_row: Callable[[ParsedRow], RowPlan]) -> list[RowPlan]:
    """Each row's plan: refused for what could not be read, as one of several rows of the same
    record (by `same_record`), or for the rule `plan_row` finds broken; otherwise the plan of
    `plan_row`. `describe` names the row for the person reading the preview."""
    repeated = duplicates(parsed, same_record)
    plans = []
    for row in parsed:
        describes, record_id = describe(row), row.values.get("id")
        if row.error is not None:
            plans.append(refusal(row.row, row.error, describes, record_id))
        elif row.row in repeated:
            plans.append(duplicate_refusal(row.row, repeated[row.row], describes, record_id))
        else:
            try:
                plans.append(plan_row(row))
            except ValidationError as error:
                plans.append(refusal(row.row, error, describes, record_id))
    return plans


def parse_rows(table: Table, columns: tuple[Column, ...]) -> tuple[list[ParsedRow], Headings]:
    headings = match_headings(table.headings, columns)
    return [ParsedRow(number, *read_row(values, columns, headings))
            for number, values in table.rows], headings


def plan_import(*, kind: Any, table: Table, user: User) -> ImportPlan:
    parsed, headings = parse_rows(table, kind.columns)
    return ImportPlan(kind=kind, rows=kind.plan(parsed, user), ignored_headings=headings.ignored)
