"""The report's tables as a reader sees them, whatever the format: which columns, their
headers, and what kind of value each holds. The page, the CSV, the XLSX and the PDF all lay
out these; each format decides how a kind is written (the XLSX keeps numbers and dates as
numbers and dates with a display format, the others write `display`)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import labels

# Kinds of value, and how each reads as text.
TEXT, CODE, NAME, DATE, YEAR, DAYS, COUNT, QUANTITY, PERCENT, SHARE = (
    "text", "code", "name", "date", "year", "days", "count", "quantity", "percent", "share")
STATUS, HEALTH, VERDICT, UNIT = "status", "health", "verdict", "unit"
# Values that must never wrap inside themselves (a number, a date, a code, a person's name);
# long text wraps.
UNBROKEN = {CODE, NAME, DATE, YEAR, DAYS, COUNT, QUANTITY, PERCENT, SHARE, STATUS, HEALTH,
            VERDICT, UNIT}
# On a page as narrow as the admin's review page only figures, dates and people's names stay
# whole: codes break at their hyphens and labels wrap like text.
ON_ONE_LINE_ON_A_PAGE = {NAME, DATE, YEAR, DAYS, COUNT, QUANTITY, PERCENT, SHARE}


@dataclass(frozen=True)
class Column:
    key: str
    header: str | Promise
    kind: str = TEXT
    unit_key: str | None = None  # for a QUANTITY: the key of the row's unit code

    def value(self, row) -> Any:
        return row.get(self.key)

    def unit(self, row):
        return row.get(self.unit_key) if self.unit_key else None

    def display(self, row) -> str:
        return display(self.kind, self.value(row), self.unit(row))


# An initiative below another reads indented by a full-width space a level: the page and the
# files show the tree as the dashboard does (the PDF turns the spaces into a left indent).
INDENT = "\u3000"


@dataclass(frozen=True, kw_only=True)
class NameColumn(Column):
    """A name or title in the reader's language: the Japanese (`key`, name_ja or title_ja),
    or the English one for an English reader where the record has it (a place's code,
    ENERGY_GX, is no name; an English page listed the milestones in Japanese beside the
    English home). `indented`: by the row's depth in the initiative tree."""

    key: str = "name_ja"
    indented: bool = False

    def value(self, row) -> Any:
        name = readers_name(row, self.key)
        return INDENT * row.get("depth", 0) + name if self.indented and name else name


def readers_name(row, key="name_ja"):
    """row[key] (name_ja, title_ja), or its English twin for an English reader if it has one
    (labels.in_language, for a row read as values)."""
    english = row.get(key.removesuffix("_ja") + "_en") if labels.reads_english() else None
    return english or row.get(key)


def display(kind, value, unit=None):
    """`value` of `kind` as a reader reads it, unit and label included."""
    if value is None:
        return ""
    formats: dict[str, Callable[[Any], str]] = {
        DATE: labels.day, YEAR: labels.year, DAYS: labels.day_count,
        COUNT: labels.item_count, PERCENT: labels.percent, SHARE: labels.share,
        STATUS: labels.status_label, HEALTH: labels.health_label,
        VERDICT: labels.verdict_label, UNIT: labels.unit_label,
    }
    if kind == QUANTITY:
        return labels.quantity(value, unit)
    return formats[kind](value) if kind in formats else str(value)


MILESTONE_COLUMNS = (
    NameColumn(key="title_ja", header=_("Milestone")),
    Column("initiative", _("Initiative"), CODE),
    Column("owner", _("Owner"), NAME),
    Column("planned_due_on", _("Planned due date"), DATE),
    Column("baseline_due_on", _("Baseline due date"), DATE),
    Column("days_overdue", _("Days overdue"), DAYS),
    Column("slip_days", _("Slip"), DAYS),
    Column("status", _("Status"), STATUS),
    Column("health", _("Health"), HEALTH),
)
PLACE_COLUMNS = (
    NameColumn(header=_("Name")),
    Column("total", _("Milestones"), COUNT),
    Column("overdue", _("Overdue"), COUNT),
    Column("done", _("Done"), COUNT),
    Column("red", _("Red"), COUNT),
    Column("slipped", _("Slipped"), COUNT),
)
# A field is known by its name; its code (ENERGY_GX) is the system's, not the reader's.
FIELD_COLUMNS = (NameColumn(header=_("Strategic field")), *PLACE_COLUMNS[1:])
KPI_COLUMNS = (
    NameColumn(header=_("KPI")),
    Column("code", pgettext_lazy("report column", "Code"), CODE),
    Column("baseline_value", _("Baseline"), QUANTITY, "unit"),
    Column("baseline_year", _("Baseline year"), YEAR),
    Column("latest_value", _("Latest"), QUANTITY, "unit"),
    Column("latest_period", _("Measured on"), DATE),
    Column("target_value", _("Target"), QUANTITY, "unit"),
    Column("target_year", _("Target year"), YEAR),
    Column("percent_of_way", _("Of the way"), PERCENT),
    Column("required_annual_growth", _("Growth needed a year"), SHARE),
    Column("observed_annual_growth", _("Growth observed a year"), SHARE),
    Column("projected_value", _("Projected for the target year"), QUANTITY, "unit"),
    Column("verdict", _("Verdict"), VERDICT),
)
INITIATIVE_COLUMNS = (
    Column("code", pgettext_lazy("report column", "Code"), CODE),
    NameColumn(header=_("Initiative"), indented=True),
    *PLACE_COLUMNS[1:],
)
STALE_COLUMNS = (
    Column("code", pgettext_lazy("report column", "Code"), CODE),
    NameColumn(header=_("Initiative")),
    Column("last_update", _("Last status update"), DATE),
)


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise  # may name the report's start date: %(since)s
    columns: tuple
    note: Promise | None = None  # what a reader must know to read the table's figures
    part: str | None = None  # the rows are report[key][part]

    def heading(self, report) -> str:
        title = str(self.title)
        return title % {"since": labels.day(report.get("since"))} if (
            "%(since)s" in title) else title

    def rows(self, report) -> list:
        rows = report[self.key]
        return rows[self.part] if self.part else rows


INITIATIVE_FIGURES_NOTE = _("An initiative's figures include those of the initiatives below it.")
HEALTH_CHANGE_COLUMNS = (
    NameColumn(key="title_ja", header=_("Milestone")),
    Column("from", _("Health before"), HEALTH),
    Column("to", _("Health after"), HEALTH),
    Column("on", _("Changed on"), DATE),
)
UNOWNED_INITIATIVE_COLUMNS = (
    Column("code", pgettext_lazy("report column", "Code"), CODE),
    NameColumn(header=_("Initiative")),
)
UNOWNED_MILESTONE_COLUMNS = (
    NameColumn(key="title_ja", header=_("Milestone")),
    Column("planned_due_on", _("Planned due date"), DATE),
)

SECTIONS = (
    Section("overdue", _("Overdue"), MILESTONE_COLUMNS),
    Section("due_soon", _("Due in the next 30 days"), MILESTONE_COLUMNS),
    Section("slipped", _("Slipped against baseline"), MILESTONE_COLUMNS),
    Section("stale_initiatives", _("Initiatives without a status update for 30 days"),
            STALE_COLUMNS),
    Section("by_region", _("By region"), PLACE_COLUMNS),
    Section("by_country", _("By country"), PLACE_COLUMNS),
    Section("by_field", _("By strategic field"), FIELD_COLUMNS),
    Section("by_initiative", _("By initiative"), INITIATIVE_COLUMNS, INITIATIVE_FIGURES_NOTE),
    Section("kpis", _("KPIs"), KPI_COLUMNS),
)


# What the live report also lists, as its page does: the files lay them out after the
# stale initiatives. A quarterly report's stored figures are read by SECTIONS alone.
ATTENTION_SECTIONS = (
    Section("health_changes", _("Health changes since %(since)s"), HEALTH_CHANGE_COLUMNS),
    Section("unowned", _("Unowned work: initiatives without an owner who can be reached"),
            UNOWNED_INITIATIVE_COLUMNS, part="initiatives"),
    Section("unowned", _("Unowned work: milestones nobody can be reminded of"),
            UNOWNED_MILESTONE_COLUMNS, part="milestones"),
)


_AFTER_STALE = [section.key for section in SECTIONS].index("stale_initiatives") + 1
_IN_PAGE_ORDER = (*SECTIONS[:_AFTER_STALE], *ATTENTION_SECTIONS, *SECTIONS[_AFTER_STALE:])


def complete(report):
    """Whether `report` has every part the tables lay out (a stored snapshot could lack some)."""
    return isinstance(report, dict) and all(
        key in report for key in ("as_of", "milestones", *(s.key for s in SECTIONS)))


def measured(kpi):
    """A KPI with a measured value gets a table row; one without is listed in a line."""
    return kpi["latest_value"] is not None


def sections_in(report):
    """The sections `report` has, in the page's order: a progress report frozen before a
    section existed lacks it, and shows nothing rather than an empty table that would claim
    there was nothing."""
    return [section for section in _IN_PAGE_ORDER if section.key in report]


def section_rows(report, section):
    rows = section.rows(report)
    return [row for row in rows if measured(row)] if section.key == "kpis" else rows


def unmeasured_kpis(report):
    """The KPIs with no measured value yet, each with what is known: 国内投資（目標
    200兆円・2040年）."""
    entries = []
    for kpi in report["kpis"]:
        if measured(kpi):
            continue
        known = []
        if kpi["baseline_value"] is not None:
            known.append(_("baseline %(figure)s") % {"figure": _figure(
                kpi, "baseline_value", "baseline_year", _("%(figure)s in %(year)s"))})
        if kpi["target_value"] is not None:
            known.append(_("target %(figure)s") % {"figure": _figure(
                kpi, "target_value", "target_year")})
        entries.append(_("%(name)s (%(known)s)") % {"name": readers_name(kpi),
                                                    "known": "; ".join(known)}
                       if known else readers_name(kpi))
    return entries


def unmeasured_line(report):
    """The KPIs without a measured value, in one line."""
    return _("; ").join(str(entry) for entry in unmeasured_kpis(report))


def _figure(kpi, value_key, year_key, pattern=None):
    """A figure and its year: a target is reached by its year, a baseline was measured in
    its year."""
    figure = labels.quantity(kpi[value_key], kpi["unit"])
    if kpi[year_key] is None:
        return figure
    return (pattern or _("%(figure)s by %(year)s")) % {
        "figure": figure, "year": labels.year(kpi[year_key])}


def summary(report):
    """The headline figures, (label, value, kind): the summary sheet and the title page."""
    counts = report["milestones"]
    rows: list[tuple[str | Promise, Any, str]] = [(_("As of"), report["as_of"], DATE),
            (_("Milestones"), counts["total"], COUNT),
            (_("Average completion"), counts["percent_complete"], PERCENT),
            (_("Overdue"), counts["overdue"], COUNT),
            (_("Due in the next 30 days"), counts["due_soon"], COUNT),
            (_("Slipped against baseline"), counts["slipped"]["count"], COUNT),
            (_("Slip, all milestones together"), counts["slipped"]["total_days"], DAYS),
            (_("Worst slip"), counts["slipped"]["worst_days"], DAYS)]
    rows += [(_("Status: %(label)s") % {"label": labels.status_label(status)}, n, COUNT)
             for status, n in counts["by_status"].items()]
    rows += [(_("Health: %(label)s") % {"label": labels.health_label(health)}, n, COUNT)
             for health, n in counts["by_health"].items()]
    return rows


def as_of_note(report, today):
    """What the report date governs, when it is not `today`: overdue, due soon and slips are
    judged on it, while health and completion are the milestones' current ones (the report
    does not rebuild them from the history)."""
    if labels.as_date(report["as_of"]) == today:
        return None
    return _("The report date (%(as_of)s) is the day overdue and due dates are judged on; "
             "health and completion are current (%(today)s).") % {
        "as_of": labels.day(report["as_of"]), "today": labels.day(today)}


def scope_name(report):
    return readers_name(report["initiative"]) if report["initiative"] else str(
        _("Trade Strategy 2026, all initiatives"))
