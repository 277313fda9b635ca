"""Writes to the other work items officers keep current: status updates, country actions,
projects and KPI measurements."""

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AnyUser, User
from tracker.errors import PreconditionRequired, ServiceError
from tracker.history import attribute_change

from ..models import (
    KPI,
    CountryAction,
    Initiative,
    KPIMeasurement,
    Milestone,
    Project,
    StatusUpdate,
)
from ..selectors.access import (
    can_edit_initiative_work,
    can_record_kpi_measurements,
    is_administrator,
    status_updates_editable_by,
)
from ..workflow import check_transition
from .common import (
    check_version,
    reject_unknown_fields,
    require,
    save_with_history,
    today,
    validate_work_owner,
)

STATUS_UPDATE_FIELDS = ("reported_on", "summary", "risks", "next_steps", "health")


@transaction.atomic
def status_update_create(*, by: User, data: Mapping[str, Any], milestone: Milestone | None = None,
                         initiative: Initiative | None = None) -> StatusUpdate:
    """A dated narrative by `by` on a milestone or (exclusively) on an initiative."""
    subject_initiative = milestone.initiative if milestone else initiative
    require(subject_initiative is not None and can_edit_initiative_work(by, subject_initiative))
    reject_unknown_fields(data, STATUS_UPDATE_FIELDS)
    update = StatusUpdate(milestone=milestone, initiative=None if milestone else initiative,
                          author=by, **data)
    if update.reported_on is None:
        update.reported_on = today()
    if not update.health:
        subject = milestone or initiative
        assert subject is not None  # required above, with its initiative
        update.health = subject.health
    return save_with_history(update, by=by)


@transaction.atomic
def status_update_update(*, status_update: StatusUpdate, by: User, data: Mapping[str, Any],
                         expected_version: int | None = None) -> StatusUpdate:
    locked = StatusUpdate.objects.select_for_update().get(pk=status_update.pk)
    require(status_updates_editable_by(by).filter(pk=locked.pk).exists())
    check_version(locked, expected_version)
    reject_unknown_fields(data, STATUS_UPDATE_FIELDS)
    for field, value in data.items():
        setattr(locked, field, value)
    return save_with_history(locked, by=by)


@transaction.atomic
def status_update_delete(*, status_update: StatusUpdate, by: User,
                         expected_version: int | None = None) -> None:
    locked = StatusUpdate.objects.select_for_update().get(pk=status_update.pk)
    require(status_updates_editable_by(by).filter(pk=locked.pk).exists())
    check_version(locked, expected_version)
    attribute_change(locked, by=by)
    locked.delete()


COUNTRY_ACTION_FIELDS = ("text_en", "owner", "status", "due_on", "completed_on")
# The Japanese text is the strategy's own wording; only administrators correct it.
COUNTRY_ACTION_ADMINISTRATOR_FIELDS = (*COUNTRY_ACTION_FIELDS, "text_ja")


def country_action_fields_writable_by(user: AnyUser, action: CountryAction) -> tuple[str, ...]:
    """The fields `user` may change on `action` (country_action_update; the API's form)."""
    if not can_edit_initiative_work(user, action.plan.initiative):
        return ()
    return COUNTRY_ACTION_ADMINISTRATOR_FIELDS if is_administrator(user) else COUNTRY_ACTION_FIELDS


@transaction.atomic
def country_action_update(*, action: CountryAction, by: User, data: Mapping[str, Any],
                          expected_version: int | None = None,
                          reason: str = "") -> CountryAction:
    locked = CountryAction.objects.select_for_update(of=("self",)).select_related(
        "plan__initiative").get(pk=action.pk)
    require(can_edit_initiative_work(by, locked.plan.initiative))
    check_version(locked, expected_version)
    reject_unknown_fields(data, country_action_fields_writable_by(by, locked))
    previous_status = locked.status
    for field, value in data.items():
        setattr(locked, field, value)
    if "owner" in data:
        validate_work_owner(locked.owner)
    locked.completed_on = check_transition(
        current=previous_status, to=locked.status,
        completed_on=data.get("completed_on", locked.completed_on), today=today(),
    )
    return save_with_history(locked, by=by, reason=reason)


PROJECT_FIELDS = ("name_ja", "name_en", "summary_ja", "summary_en", "theme_ja", "theme_en",
                  "phase", "countries", "partners")


@transaction.atomic
def project_create(*, initiative: Initiative, by: User, code: str,
                   data: Mapping[str, Any]) -> Project:
    require(can_edit_initiative_work(by, initiative))
    reject_unknown_fields(data, PROJECT_FIELDS)
    data = dict(data)
    related = {k: data.pop(k) for k in ("countries", "partners") if k in data}
    return save_with_history(Project(initiative=initiative, code=code, **data), by=by,
                             related=related)


@transaction.atomic
def project_update(*, project: Project, by: User, data: Mapping[str, Any],
                   expected_version: int | None = None) -> Project:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    require(can_edit_initiative_work(by, locked.initiative))
    check_version(locked, expected_version)
    reject_unknown_fields(data, PROJECT_FIELDS)
    data = dict(data)
    related = {k: data.pop(k) for k in ("countries", "partners") if k in data}
    for field, value in data.items():
        setattr(locked, field, value)
    return save_with_history(locked, by=by, related=related)


# How far ahead of today a result's period may end (a year to date, recorded before its end).
KPI_PERIOD_AHEAD = timedelta(days=366)


@transaction.atomic
def kpi_measurement_record(*, kpi: KPI, by: User, period_on: date, value: Decimal,
                           source: str = "", expected_version: int | None = None,
                           version_named: bool = True, reason: str = "",
                           ) -> tuple[KPIMeasurement, bool]:
    """Record the value of `kpi` for the period ending `period_on`, or correct the value
    already recorded for it (refused if that record changed since `expected_version`, and
    refused outright when the caller named no version: `version_named=False`, an API call
    without If-Match). Returns the measurement and whether it is new. `reason` goes into the
    history."""
    require(can_record_kpi_measurements(by, kpi))
    if period_on > today() + KPI_PERIOD_AHEAD:
        # A result is of a period under way at the latest (a year to date): 2027-12-31
        # typed for 2026-12-31 was taken as a result of the year after next.
        raise ServiceError({"period_on": ServiceError(
            _("A result is for a period that has begun: its last day can be at most a year "
              "from today."), code="period_too_far_ahead")})
    # Lock the KPI so that two first recordings of the same period cannot both insert.
    type(kpi).objects.select_for_update().filter(pk=kpi.pk).first()
    measurement = KPIMeasurement.objects.select_for_update().filter(
        kpi=kpi, period_on=period_on).first()
    created = measurement is None
    if measurement is None:
        measurement = KPIMeasurement(kpi=kpi, period_on=period_on)
    elif not version_named:
        raise PreconditionRequired()
    else:
        check_version(measurement, expected_version)
    measurement.value = value
    measurement.source = source
    measurement.recorded_by = by
    return save_with_history(measurement, by=by, reason=reason), created
