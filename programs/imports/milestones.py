"""Milestones from a spreadsheet (工程表): a row with an ID changes that milestone, a row
without one adds a milestone to the initiative its code names."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User

from ..models import Health, Initiative, Milestone, Project, WorkStatus
from ..reporting import labels
from ..selectors.access import (
    initiatives_editable_by,
    initiatives_visible_to,
    is_administrator,
    milestones_editable_by,
    milestones_visible_to,
    projects_visible_to,
)
from ..services.milestones import (
    ADMINISTRATOR_FIELDS,
    OFFICER_FIELDS,
    check_percent_agrees_with_status,
    milestone_create,
    milestone_update,
    resolve_status_change,
    validate_project_in_initiative,
)
from .kind import HEALTH, STATUS, ImportKind
from .parsing import Column, choice, code, day, text, whole_number
from .planning import (
    CHANGED,
    NEW,
    UNCHANGED,
    ParsedRow,
    RowPlan,
    named_owner,
    not_yours_message,
    plan_rows,
    refuse,
    stale_message,
)

LARGEST_ID = 2**63 - 1
# The fields a row sets, in the order the preview lists their changes.
FIELDS = ("title_ja", "title_en", "owner", "project", "planned_due_on", "baseline_due_on",
          "status", "completed_on", "health", "percent_complete")
# A row that changes a milestone leaves none of these empty.
REQUIRED = ("title_ja", "owner", "planned_due_on", "baseline_due_on", "status", "health",
            "percent_complete")

ID = Column("id", "ID", whole_number(minimum=1, maximum=LARGEST_ID), required=True,
            note=gettext_lazy("Leave empty for a new row; do not change."))
VERSION = Column("version", gettext_lazy("version"),
                 whole_number(minimum=1, maximum=LARGEST_ID), required=True,
                 note=gettext_lazy("The version exported; do not change."))


@dataclass
class _Context:
    """The records a plan needs, each read once for the whole file."""

    user: User
    existing: dict[int, Milestone]
    initiatives: dict[str, Initiative]
    editable: set[int]
    people: dict[str, User]
    projects: dict[str, Project]


def _same_record(row: ParsedRow) -> tuple[Any, ...]:
    """A row's record: its ID, or for a new milestone its initiative, title and date."""
    values = row.values
    if values.get("id"):
        return ("id", values["id"])
    return ("new", values.get("initiative"), values.get("title_ja"), values.get("planned_due_on"))


class MilestoneImport(ImportKind):
    key = "milestones"
    title = gettext_lazy("milestones")
    changelist = "admin:programs_milestone_changelist"
    columns = (
        ID, VERSION,
        Column("initiative", gettext_lazy("Initiative code"), code,
               aliases=(gettext_lazy("Initiative"), gettext_lazy("initiative")), required=True),
        Column("title_ja", gettext_lazy("Milestone"), text(300),
               aliases=(gettext_lazy("title (Japanese)"),), required=True),
        Column("title_en", gettext_lazy("title (English)"), text(300)),
        Column("owner", gettext_lazy("Owner"), text(150), aliases=(gettext_lazy("owner"),),
               note=gettext_lazy("User name")),
        Column("project", gettext_lazy("Project code"), code,
               aliases=(gettext_lazy("project"),)),
        Column("planned_due_on", gettext_lazy("Planned due date"), day,
               aliases=(gettext_lazy("planned due date"),)),
        Column("baseline_due_on", gettext_lazy("Baseline due date"), day,
               aliases=(gettext_lazy("baseline due date"),),
               note=gettext_lazy("Only administrators move it")),
        Column("status", gettext_lazy("Status"), choice(labels.STATUSES),
               aliases=(gettext_lazy("status"),)),
        Column("completed_on", gettext_lazy("completion date"), day),
        Column("health", gettext_lazy("Health"), choice(labels.HEALTHS),
               aliases=(gettext_lazy("health"),)),
        Column("percent_complete", gettext_lazy("percent complete"),
               whole_number(minimum=0, maximum=100, percent=True)),
    )
    choice_columns = {"status": STATUS, "health": HEALTH}
    narrowed_by = ("initiative", "initiative__code")

    def plan(self, parsed: list[ParsedRow], user: User) -> list[RowPlan]:
        readable = [row.values for row in parsed if row.error is None]
        existing = milestones_visible_to(user).select_related(
            "initiative", "owner", "project").in_bulk(
            {values["id"] for values in readable if values.get("id")})
        initiatives = {initiative.code: initiative for initiative in initiatives_visible_to(
            user).filter(code__in={values.get("initiative") for values in readable})}
        editable = set(initiatives_editable_by(user).values_list("pk", flat=True))
        people = {person.get_username(): person for person in User.objects.filter(
            username__in={values.get("owner") for values in readable})}
        projects = {project.code: project for project in projects_visible_to(user).filter(
            code__in={values.get("project") for values in readable})}
        context = _Context(user=user, existing=existing, initiatives=initiatives,
                           editable=editable, people=people, projects=projects)
        return plan_rows(parsed, same_record=_same_record,
                         describe=lambda row: row.values.get("title_ja", ""),
                         plan_row=lambda row: self._plan_row(row, context))

    def _resolve(self, values: dict[str, Any], context: _Context) -> dict[str, Any]:
        """The row's values with the owner and project as records (looked up in advance)."""
        resolved = {name: values[name] for name in FIELDS if name in values}
        if "owner" in values:
            resolved["owner"] = named_owner(values["owner"], context.people)
        if "project" in values:
            resolved["project"] = None
            if values["project"]:
                resolved["project"] = context.projects.get(values["project"])
                if resolved["project"] is None:
                    raise refuse("unknown_project", _("There is no project “%(code)s”."),
                                 code=values["project"])
        return resolved

    def _plan_row(self, row: ParsedRow, context: _Context) -> RowPlan:
        values = row.values
        if values.get("id"):
            return self._plan_change(row, context)
        initiative = context.initiatives.get(values.get("initiative") or "")
        if initiative is None:
            raise refuse("unknown_initiative", _("There is no initiative “%(code)s”."),
                         code=values.get("initiative") or "")
        if initiative.pk not in context.editable:
            raise refuse("not_yours", not_yours_message())
        target: dict[str, Any] = {
            "title_en": "", "project": None, "baseline_due_on": None, "completed_on": None,
            "status": WorkStatus.NOT_STARTED, "health": Health.GREEN, "percent_complete": 0}
        target.update({name: value for name, value in self._resolve(values, context).items()
                       if value not in (None, "")})
        for name in ("title_ja", "owner", "planned_due_on"):
            if not target.get(name):
                raise refuse("required", _("“%(column)s” is required for a new milestone."),
                             column=self.heading(name))
        target["baseline_due_on"] = target["baseline_due_on"] or target["planned_due_on"]
        validate_project_in_initiative(project=target["project"], initiative=initiative)
        if values.get("percent_complete") is not None:
            check_percent_agrees_with_status(status=target["status"],
                                             percent_complete=target["percent_complete"])
        target["completed_on"], target["percent_complete"] = resolve_status_change(
            current=WorkStatus.NOT_STARTED, to=target["status"],
            completed_on=target["completed_on"], percent_complete=target["percent_complete"])
        data = {name: target[name] for name in FIELDS if target[name] not in (None, "")}

        def write(by: User, reason: str) -> Milestone:
            return milestone_create(initiative=initiative, by=by, data=data, reason=reason)

        return RowPlan(row=row.row, outcome=NEW, describes=target["title_ja"],
                       changes=self.changes({}, target, FIELDS), write=write)

    def _plan_change(self, row: ParsedRow, context: _Context) -> RowPlan:
        values = row.values
        milestone = context.existing.get(values["id"])
        if milestone is None:
            raise refuse("unknown_record", _("There is no milestone with ID %(id)s."),
                         id=values["id"])
        if values.get("initiative") and values["initiative"] != milestone.initiative.code:
            raise refuse("initiative_mismatch", _(
                "Milestone %(id)s belongs to %(code)s: a milestone cannot move to another "
                "initiative."), id=milestone.pk, code=milestone.initiative.code)
        if milestone.initiative_id not in context.editable:
            raise refuse("not_yours", not_yours_message())
        current = {name: getattr(milestone, name) for name in FIELDS}
        target = {**current, **self._resolve(values, context)}
        if target["status"] == WorkStatus.DONE and target["percent_complete"] is None:
            target["percent_complete"] = current["percent_complete"]  # done: set to 100 below
        for name in REQUIRED:
            if target[name] in (None, ""):
                raise refuse("required", _("“%(column)s” cannot be empty."),
                             column=self.heading(name))
        # As in the form: a percentage typed in the file (one that differs from the
        # milestone's) must agree with the status; one left as exported follows the status.
        if values.get("percent_complete") not in (None, milestone.percent_complete):
            check_percent_agrees_with_status(status=target["status"],
                                             percent_complete=target["percent_complete"])
        target["completed_on"], target["percent_complete"] = resolve_status_change(
            current=milestone.status, to=target["status"], completed_on=target["completed_on"],
            percent_complete=target["percent_complete"])
        data = {name: target[name] for name in FIELDS if target[name] != current[name]}
        if not data:
            return RowPlan(row=row.row, outcome=UNCHANGED, describes=milestone.title_ja,
                           record_id=milestone.pk)
        if values.get("version") is None:
            raise refuse("version_required", _(
                "The version column is empty: export the file again, so that changes made "
                "since are not overwritten."))
        if values["version"] != milestone.version:
            raise refuse("stale_version", stale_message(values["version"], milestone.version))
        allowed = ADMINISTRATOR_FIELDS if is_administrator(context.user) else OFFICER_FIELDS
        if locked := [self.heading(name) for name in data if name not in allowed]:
            raise refuse("field_not_writable", _("You may not change “%(columns)s”."),
                         columns="、".join(locked))
        validate_project_in_initiative(project=target["project"], initiative=milestone.initiative)
        version = values["version"]

        def write(by: User, reason: str) -> Milestone:
            return milestone_update(milestone=milestone, by=by, data=data,
                                    expected_version=version, reason=reason)

        return RowPlan(row=row.row, outcome=CHANGED, describes=milestone.title_ja,
                       record_id=milestone.pk, changes=self.changes(current, target, FIELDS),
                       write=write)

    def template_records(self, user: User) -> QuerySet[Milestone]:
        return milestones_editable_by(user).select_related(
            "initiative", "owner", "project").order_by("initiative__code", "planned_due_on", "id")

    def template_row(self, record: Milestone) -> dict[str, Any]:
        return {"id": record.pk, "version": record.version,
                "initiative": record.initiative.code,
                "title_ja": record.title_ja, "title_en": record.title_en,
                "owner": record.owner.get_username(),
                "project": record.project.code if record.project else None,
                "planned_due_on": record.planned_due_on,
                "baseline_due_on": record.baseline_due_on,
                "status": labels.status_label(record.status),
                "completed_on": record.completed_on,
                "health": labels.health_label(record.health),
                "percent_complete": record.percent_complete}
