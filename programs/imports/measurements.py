"""KPI measurements from a spreadsheet: a row records a KPI's value for the period ending on
its date, or corrects the value already recorded for that period."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User

from ..models import KPI, KPIMeasurement
from ..selectors.access import kpi_measurements_visible_to, kpis_measurable_by, kpis_visible_to
from ..services.work_items import kpi_measurement_record
from .kind import ImportKind
from .milestones import VERSION
from .parsing import Column, code, day, decimal, text
from .planning import (
    CHANGED,
    NEW,
    UNCHANGED,
    ParsedRow,
    RowPlan,
    plan_rows,
    refuse,
    stale_message,
)

FIELDS = ("value", "source")


@dataclass
class _Context:
    kpis: dict[str, KPI]
    measurable: set[int]
    recorded: dict[tuple[int, date], KPIMeasurement]


def _described(row: ParsedRow) -> str:
    return " ".join(str(row.values.get(key) or "") for key in ("kpi", "period_on"))


class KPIMeasurementImport(ImportKind):
    key = "kpi-measurements"
    title = gettext_lazy("KPI measurements")
    changelist = "admin:programs_kpi_changelist"
    columns = (
        Column("kpi", gettext_lazy("KPI code"), code, aliases=(gettext_lazy("KPI"),),
               required=True),
        Column("name", gettext_lazy("KPI name"), text(300),
               note=gettext_lazy("For reference; not imported")),
        Column("period_on", gettext_lazy("period end"), day,
               aliases=(gettext_lazy("Measured on"),), required=True),
        Column("value", gettext_lazy("value"), decimal, required=True),
        Column("unit", gettext_lazy("unit"), text(100),
               note=gettext_lazy("For reference; not imported")),
        Column("source", gettext_lazy("source"), text(5000, one_line=False)),
        Column(VERSION.key, VERSION.heading, VERSION.read,
               note=gettext_lazy("Empty for a new period; do not change.")),
    )
    informational = frozenset({"name", "unit"})
    narrowed_by = ("kpi", "kpi__code")

    def plan(self, parsed: list[ParsedRow], user: User) -> list[RowPlan]:
        readable = [row.values for row in parsed if row.error is None]
        kpis = {kpi.code: kpi for kpi in kpis_visible_to(user).filter(
            code__in={values.get("kpi") for values in readable})}
        measurable = set(kpis_measurable_by(user).filter(
            pk__in=[kpi.pk for kpi in kpis.values()]).values_list("pk", flat=True))
        recorded = {(m.kpi_id, m.period_on): m for m in kpi_measurements_visible_to(user).filter(
            kpi__in=list(kpis.values()),
            period_on__in={values.get("period_on") for values in readable})}
        context = _Context(kpis=kpis, measurable=measurable, recorded=recorded)
        return plan_rows(
            parsed, same_record=lambda row: (row.values.get("kpi"), row.values.get("period_on")),
            describe=_described, plan_row=lambda row: self._plan_row(row, context))

    def _plan_row(self, row: ParsedRow, context: _Context) -> RowPlan:
        values, describes = row.values, _described(row)
        kpi = context.kpis.get(values.get("kpi") or "")
        if kpi is None:
            raise refuse("unknown_kpi", _("There is no KPI “%(code)s”."),
                         code=values.get("kpi") or "")
        if kpi.pk not in context.measurable:
            raise refuse("not_yours", _(
                "This KPI is measured by the officers of its initiative (or by administrators)."))
        for name in ("period_on", "value"):
            if values.get(name) is None:
                raise refuse("required", _("“%(column)s” is required."),
                             column=self.heading(name))
        measurement = context.recorded.get((kpi.pk, values["period_on"]))
        current = {"value": measurement.value, "source": measurement.source} if measurement \
            else {}
        target = {"value": values["value"],
                  "source": values.get("source", current.get("source", ""))}
        version = values.get("version")
        if measurement is None:
            outcome = NEW
        elif not self.changes(current, target, FIELDS):
            return RowPlan(row=row.row, outcome=UNCHANGED, describes=describes,
                           record_id=measurement.pk)
        elif version is None:
            raise refuse("already_recorded", _(
                "A value is already recorded for this period. To correct it, export the file "
                "again and change it there."))
        elif version != measurement.version:
            raise refuse("stale_version", stale_message(version, measurement.version))
        else:
            outcome = CHANGED

        def write(by: User, reason: str) -> KPIMeasurement:
            recorded, _created = kpi_measurement_record(
                kpi=kpi, by=by, period_on=values["period_on"], value=target["value"],
                source=target["source"], expected_version=version, reason=reason)
            return recorded

        return RowPlan(row=row.row, outcome=outcome, describes=describes,
                       record_id=measurement.pk if measurement else None,
                       changes=self.changes(current, target, FIELDS), write=write)

    def template_records(self, user: User) -> QuerySet[KPIMeasurement]:
        return kpi_measurements_visible_to(user).filter(
            kpi__in=kpis_measurable_by(user)).select_related("kpi").order_by(
            "kpi__code", "period_on")

    def template_row(self, record: KPIMeasurement) -> dict[str, Any]:
        return {"kpi": record.kpi.code, "name": record.kpi.name_ja,
                "period_on": record.period_on, "value": record.value,
                "unit": record.kpi.get_unit_display(), "source": record.source,
                "version": record.version}
