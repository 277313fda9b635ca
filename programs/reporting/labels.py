"""What a reader sees of the report's codes and figures, in the active language (Japanese by
default): one place for every page and file format. The JSON keeps the codes.

Codes become their labels (`in_progress` -> 進行中, `off_track` -> 未達見込み); figures carry
their unit (1.7兆円, 76事務所, 4件, 20日); growth and completion are percentages with one
decimal; dates read 2026年12月1日 (1 December 2026 in English). Every pattern is a
translation, so the Japanese forms live in the catalogue, not in this code.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.dates import MONTHS, MONTHS_3
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext
from django.utils.translation import gettext as _

from ..models import Health, InitiativeStatus, KPIDirection, KPIUnit, WorkStatus
from ..models.progress_report import period_label

VERDICTS = {
    "on_track": gettext_lazy("On track"),
    "at_risk": gettext_lazy("At risk"),
    "off_track": gettext_lazy("Off track"),
    "no_trend": gettext_lazy("No trend yet"),
}
STATUSES = dict(WorkStatus.choices)
INITIATIVE_STATUSES = dict(InitiativeStatus.choices)
HEALTHS = dict(Health.choices)
UNITS = dict(KPIUnit.choices)
DIRECTIONS = dict(KPIDirection.choices)
# A figure in each unit. The patterns also get the figure times ten (`tenfold`) and a tenth
# of it (`tenth`): Japanese counts in 億 (10^8), so 1 billion US dollars reads 10億ドル, not
# "1 10億ドル"; English in billions, so 12億バレル reads 1.2 billion barrels, not "12 hundred
# million barrels".
FIGURES = {
    KPIUnit.TRILLION_JPY: gettext_lazy("%(number)s trillion yen"),
    # xgettext:no-python-format
    KPIUnit.BILLION_USD: gettext_lazy("%(number)s billion US dollars"),
    # xgettext:no-python-format
    KPIUnit.HUNDRED_MILLION_USD: gettext_lazy("%(tenth)s billion US dollars"),
    KPIUnit.PERSONS: gettext_lazy("%(number)s persons"),
    KPIUnit.OFFICES: gettext_lazy("%(number)s offices"),
    KPIUnit.COUNTRIES: gettext_lazy("%(number)s countries"),
    KPIUnit.PROJECTS: gettext_lazy("%(number)s projects"),
    KPIUnit.BUSINESSES: gettext_lazy("%(number)s businesses"),
    KPIUnit.BASES: gettext_lazy("%(number)s bases"),
    KPIUnit.PERCENT: gettext_lazy("%(number)s%%"),
    # xgettext:no-python-format
    KPIUnit.HUNDRED_MILLION_BARRELS_PER_YEAR: gettext_lazy(
        "%(tenth)s billion barrels a year"),
}


def reads_english() -> bool:
    """Whether the reader reads English (else Japanese, the default)."""
    return get_language() == "en"


def in_language(obj: object, name: str) -> str:
    """`obj.<name>_en` for an English reader when there is one, else `obj.<name>_ja`."""
    english = getattr(obj, f"{name}_en", "") if reads_english() else ""
    return english or getattr(obj, f"{name}_ja")


def _label(labels, code):
    return "" if code is None else str(labels.get(code, code))


def status_label(code):
    return _label(STATUSES, code)


def initiative_status_label(code):
    return _label(INITIATIVE_STATUSES, code)


def health_label(code):
    return _label(HEALTHS, code)


def verdict_label(code):
    return _label(VERDICTS, code)


def unit_label(code):
    return _label(UNITS, code)


def direction_label(code):
    return _label(DIRECTIONS, code)


def number(value, places=2):
    """A figure as people write it: thousands separated, at most `places` decimals, no
    trailing zeros (1.7000 -> 1.7, 10000 -> 10,000)."""
    if value is None:
        return ""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = f"{rounded:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def quantity(value, unit):
    """A KPI figure with its unit: 1.7兆円, 50,000人, 13%, 12億バレル/年."""
    if value is None:
        return ""
    figures = {"number": number(value), "tenfold": number(Decimal(str(value)) * 10),
               "tenth": number(Decimal(str(value)) / 10, places=3)}
    if unit not in FIGURES:
        return f"{figures['number']} {unit_label(unit)}"
    return str(FIGURES[unit]) % figures


def percent(value, places=1):
    """A value already in percent (completion 38.2, the way to target): 38.2%."""
    if value is None:
        return ""
    if places == 1:
        return f"{Decimal(str(value)).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    return f"{number(value, places)}%"


def share(fraction):
    """A rate given as a fraction (yearly growth 0.2408): 24.1%."""
    return "" if fraction is None else percent(Decimal(str(fraction)) * 100)


def milestone_count(count):
    return ngettext("%(count)s milestone", "%(count)s milestones", count) % {
        "count": number(count)}


def item_count(count):
    """A count of things without a unit of their own (initiatives, KPIs): 4件."""
    return ngettext("%(count)s item", "%(count)s items", count) % {"count": number(count)}


def day_count(count):
    if count is None:
        return ""
    return ngettext("%(count)s day", "%(count)s days", count) % {"count": number(count)}


def as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def day(value: object) -> str:
    """2026年12月1日 / 1 December 2026 (a date, or its ISO text as JSON keeps it)."""
    if value is None:
        return ""
    on = as_date(value)
    # xgettext:no-python-format
    return _("%(day)d %(month_name)s %(year)d") % {
        "year": on.year, "month": on.month, "day": on.day, "month_name": MONTHS[on.month]}


def year(value):
    return "" if value is None else pgettext("a year", "%(year)d") % {"year": int(value)}


def month(value, short=False):
    """A month from "2026-11": 2026年11月 / November 2026; `short` without the year, for a
    time axis: 11月 / Nov."""
    year_number, month_number = (int(part) for part in str(value)[:7].split("-"))
    names = {"year": year_number, "month": month_number,
             "month_name": MONTHS[month_number], "month_abbr": MONTHS_3[month_number].title()}
    if short:
        # xgettext:no-python-format
        return pgettext("month on a chart axis", "%(month_abbr)s") % names
    # xgettext:no-python-format
    return _("%(month_name)s %(year)d") % names


# A reporting period as staff name it (2026年度 第3四半期 (10–12月)): defined with the period
# itself, since a report's own name (ProgressReport.__str__) reads it too.
quarter = period_label
