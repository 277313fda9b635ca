"""What each kind of import (milestones, KPI measurements, country actions) says: its columns,
how its rows are planned, and the rows of its template."""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from accounts.models import User

from ..reporting import labels
from .parsing import Column
from .planning import Change, ParsedRow, RowPlan

STATUS, HEALTH = "status", "health"


class ImportKind(ABC):
    """One kind of import; each kind (kinds.py) says how its rows are planned and templated."""

    key: str  # in URLs: /api/v1/imports/<key>/
    title: str | Promise  # e.g. マイルストーン
    columns: tuple[Column, ...]
    informational: frozenset[str] = frozenset()  # columns the template shows, imports ignore
    choice_columns: dict[str, str] = {}  # column key -> STATUS or HEALTH (drop-down lists)
    changelist: str  # the admin list the import button sits on

    @abstractmethod
    def plan(self, parsed: list[ParsedRow], user: User) -> list[RowPlan]:
        """Each parsed row's outcome (new, changed, unchanged, refused), writing nothing."""

    # The template can be narrowed to part of the records (?<parameter>=<code>), so that an
    # officer with more records than a file holds gets them a file at a time:
    # (the query parameter, the lookup its value filters on).
    narrowed_by: tuple[str, str]

    @abstractmethod
    def template_records(self, user: User) -> QuerySet[Any]:
        """The records `user` may change, in the template's order."""

    @abstractmethod
    def template_row(self, record: Any) -> dict[str, Any]:
        """A record as a row of the import's format."""

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def heading(self, key: str) -> str:
        return str(self.column(key).heading)

    def changes(self, current: dict[str, Any], target: dict[str, Any],
                fields: Sequence[str]) -> list[Change]:
        return [Change(field=name, column=self.heading(name), old=as_code(current.get(name)),
                       new=as_code(target[name]),
                       old_text=self.shown(name, current.get(name)),
                       new_text=self.shown(name, target[name]))
                for name in fields if target[name] != current.get(name)
                and not (is_empty(target[name]) and is_empty(current.get(name)))]

    def shown(self, key: str, value: Any) -> str:
        """A value as the officer reads it in the preview."""
        if value is None or value == "":
            return ""
        kind = self.choice_columns.get(key)
        if kind == STATUS:
            return labels.status_label(value)
        if kind == HEALTH:
            return labels.health_label(value)
        if isinstance(value, date):
            return labels.day(value)
        if isinstance(value, Decimal):
            return labels.number(value, 4)
        if isinstance(value, User):
            return value.get_username()
        if isinstance(value, Model):
            return str(getattr(value, "code", value))
        return str(value)


def is_empty(value: Any) -> bool:
    return value is None or value == ""


def as_code(value: Any) -> Any:
    """A value as the API's JSON gives it: dates ISO, people by user name, records by code."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, User):
        return value.get_username()
    if isinstance(value, Model):
        return getattr(value, "code", value.pk)
    return value
