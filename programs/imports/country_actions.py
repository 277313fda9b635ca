"""Country actions from a spreadsheet: each row changes the owner, status and dates of one
action of a country plan. The actions are the strategy's own bullets, so a file adds none."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User

from ..models import CountryAction
from ..reporting import labels
from ..selectors.access import country_actions_editable_by, country_actions_visible_to
from ..services.common import today
from ..services.work_items import COUNTRY_ACTION_FIELDS, country_action_update
from ..workflow import check_transition
from .kind import STATUS, ImportKind
from .milestones import ID, VERSION
from .parsing import Column, choice, day, text
from .planning import (
    CHANGED,
    UNCHANGED,
    ParsedRow,
    RowPlan,
    named_owner,
    not_yours_message,
    plan_rows,
    refuse,
    stale_message,
)

# What an officer may change on a country action, the service's own list.
FIELDS = COUNTRY_ACTION_FIELDS


@dataclass
class _Context:
    existing: dict[int, CountryAction]
    editable: set[int]
    people: dict[str, User]


class CountryActionImport(ImportKind):
    key = "country-actions"
    title = gettext_lazy("country actions")
    changelist = "admin:programs_countryaction_changelist"
    columns = (
        ID, VERSION,
        Column("country", gettext_lazy("country"), text(200),
               note=gettext_lazy("For reference; not imported")),
        Column("text_ja", gettext_lazy("action (Japanese)"), text(5000, one_line=False),
               note=gettext_lazy("For reference; not imported")),
        Column("text_en", gettext_lazy("action (English)"), text(5000, one_line=False)),
        Column("owner", gettext_lazy("Owner"), text(150), aliases=(gettext_lazy("owner"),),
               note=gettext_lazy("User name")),
        Column("status", gettext_lazy("Status"), choice(labels.STATUSES),
               aliases=(gettext_lazy("status"),)),
        Column("due_on", gettext_lazy("due date"), day),
        Column("completed_on", gettext_lazy("completion date"), day),
    )
    informational = frozenset({"country", "text_ja"})
    choice_columns = {"status": STATUS}
    narrowed_by = ("country", "plan__country__iso2")

    def plan(self, parsed: list[ParsedRow], user: User) -> list[RowPlan]:
        readable = [row.values for row in parsed if row.error is None]
        ids = {values["id"] for values in readable if values.get("id")}
        existing = country_actions_visible_to(user).select_related("owner").in_bulk(ids)
        editable = set(country_actions_editable_by(user).filter(pk__in=ids).values_list(
            "pk", flat=True))
        people = {person.get_username(): person for person in User.objects.filter(
            username__in={values.get("owner") for values in readable})}
        context = _Context(existing=existing, editable=editable, people=people)
        return plan_rows(parsed, same_record=lambda row: row.values.get("id"),
                         describe=lambda row: (row.values.get("text_ja") or "")[:60],
                         plan_row=lambda row: self._plan_row(row, context))

    def _plan_row(self, row: ParsedRow, context: _Context) -> RowPlan:
        values = row.values
        if not values.get("id"):
            raise refuse("cannot_add", _(
                "Country actions are the strategy's own; a file changes them but cannot add "
                "one. Give the ID of the action."))
        action = context.existing.get(values["id"])
        if action is None:
            raise refuse("unknown_record", _("There is no country action with ID %(id)s."),
                         id=values["id"])
        if action.pk not in context.editable:
            raise refuse("not_yours", not_yours_message())
        current = {name: getattr(action, name) for name in FIELDS}
        target = {**current, **{name: values[name] for name in FIELDS if name in values}}
        if "owner" in values:
            target["owner"] = named_owner(values["owner"], context.people)
        if not target["status"]:
            raise refuse("required", _("“%(column)s” cannot be empty."),
                         column=self.heading("status"))
        target["completed_on"] = check_transition(
            current=action.status, to=target["status"], completed_on=target["completed_on"],
            today=today())
        data = {name: target[name] for name in FIELDS if target[name] != current[name]}
        if not data:
            return RowPlan(row=row.row, outcome=UNCHANGED, describes=action.text_ja[:60],
                           record_id=action.pk)
        if values.get("version") is None:
            raise refuse("version_required", _(
                "The version column is empty: export the file again, so that changes made "
                "since are not overwritten."))
        if values["version"] != action.version:
            raise refuse("stale_version", stale_message(values["version"], action.version))
        version = values["version"]

        def write(by: User, reason: str) -> CountryAction:
            return country_action_update(action=action, by=by, data=data,
                                         expected_version=version, reason=reason)

        return RowPlan(row=row.row, outcome=CHANGED, describes=action.text_ja[:60],
                       record_id=action.pk, changes=self.changes(current, target, FIELDS),
                       write=write)

    def template_records(self, user: User) -> QuerySet[CountryAction]:
        return country_actions_editable_by(user).select_related(
            "plan__country", "owner").order_by("plan__country__iso2", "order")

    def template_row(self, record: CountryAction) -> dict[str, Any]:
        return {"id": record.pk, "version": record.version,
                "country": f"{record.plan.country.iso2} {record.plan.country.name_ja}",
                "text_ja": record.text_ja, "text_en": record.text_en,
                "owner": record.owner.get_username() if record.owner else None,
                "status": labels.status_label(record.status), "due_on": record.due_on,
                "completed_on": record.completed_on}
