"""The admin's home (/admin/), where everyone lands after signing in: what needs the signed-in
person now, by role. The apps that know the work add its sections (`home_section`), so this
layer imports none above it; the site asks each for its sections at every visit."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

SHOWN = 8  # rows a section lists; the rest are behind its link

Row = TypeVar("Row")
Rows = QuerySet[Any] | Sequence[Any]


@dataclass(frozen=True)
class HomeItem:
    """One thing to act on: its name links to where it is done."""

    label: str
    url: str
    detail: str = ""  # e.g. the initiative and due date
    note: str = ""  # e.g. the reason a report was returned
    tone: str = ""  # "alert" (late, failed, red) or "warning" (soon, amber) or ""


@dataclass(frozen=True)
class HomeFigure:
    """A count at a glance, linking to the list behind it."""

    label: str
    count: int
    url: str = ""
    tone: str = ""


@dataclass(frozen=True)
class HomeSection:
    key: str  # the section's id on the page
    title: str
    items: Sequence[HomeItem] = ()
    count: int = 0  # all there are; `items` shows the first few
    all_url: str = ""  # the whole list
    empty: str = ""  # what an empty list says (else "nothing")
    figures: Sequence[HomeFigure] = ()
    links: Sequence[tuple[str, str]] = field(default=())  # (label, url) under the section


HomeSections = Callable[[HttpRequest], Iterable[HomeSection]]

# (order, builder): the sections of all apps, lowest order first.
_builders: list[tuple[int, HomeSections]] = []


def home_section(order: int) -> Callable[[HomeSections], HomeSections]:
    """Register a function of the request that yields the sections it has for that person
    (none for a role it has nothing for)."""

    def register(builder: HomeSections) -> HomeSections:
        _builders.append((order, builder))
        return builder

    return register


def home_sections(request: HttpRequest) -> list[HomeSection]:
    return [section for _order, builder in sorted(_builders, key=lambda pair: pair[0])
            for section in builder(request)]


def admin_url(name: str, *args: object, **query: object) -> str:
    """The admin page `name` ("programs_milestone_changelist"), with a query string."""
    url = reverse(f"admin:{name}", args=args)
    return f"{url}?{urlencode(query)}" if query else url


def moment(value: datetime) -> str:
    """A time as the home's rows give dates (programs' labels.day), local, to the minute:
    2026年12月2日 15:30 / 2 December 2026 15:30."""
    local = timezone.localtime(value)
    # xgettext:no-python-format
    date = _("%(day)d %(month_name)s %(year)d") % {
        "year": local.year, "month": local.month, "day": local.day,
        "month_name": MONTHS[local.month]}
    return f"{date} {local:%H:%M}"


def first_rows(rows: QuerySet[Any] | Sequence[Any]) -> tuple[list[Any], int]:
    """The first SHOWN rows and how many there are (counted only when there are more): one
    query for a short list, two for a long one, whatever the number of rows."""
    shown = list(rows[:SHOWN + 1])
    if len(shown) <= SHOWN:
        return shown, len(shown)
    return shown[:SHOWN], rows.count() if isinstance(rows, QuerySet) else len(rows)


def listed_section(key: str, title: str, rows: QuerySet[Any] | Sequence[Row],
                   item: Callable[[Row], HomeItem], **options: Any) -> HomeSection:
    """A section listing the first rows of `rows`, each made a HomeItem by `item`."""
    return combined_section(key, title, [(rows, item)], **options)


def combined_section(key: str, title: str, parts: Sequence[tuple[Rows, Callable[[Any], HomeItem]]],
                     **options: Any) -> HomeSection:
    """A section listing several kinds of rows one after the other (e.g. reports to revise,
    then reports to start): each part's first rows, as HomeItems by its own function."""
    items: list[HomeItem] = []
    count = 0
    for rows, item in parts:
        shown, found = first_rows(rows)
        items += [item(row) for row in shown]
        count += found
    return HomeSection(key=key, title=title, items=items[:SHOWN], count=count, **options)
