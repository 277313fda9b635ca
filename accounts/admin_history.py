"""History pages people read: one timeline, newest first, of who changed what and when, in the
interface language. Each change names the field by its label and shows values as the forms
show them (a choice by its label, a date as a date, nothing as "—"); an admin may merge other
dated entries into the same timeline (a milestone's status updates). Nothing here writes:
the pages only show (reverting is refused by the admin's access mixins)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from django.db.models import Model
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from tracker.history import SEED_REASON

EMPTY = "—"
# Bookkeeping every versioned record carries: no reader asks about these.
HIDDEN_FIELDS = {"version", "created_at", "updated_at"}


@dataclass
class TimelineEntry:
    """One line of the history: when, who, what happened, and its details."""

    when: datetime
    who: str
    what: str
    reason: str = ""
    changes: list[dict[str, Any]] = field(default_factory=list)  # {field, old, new}
    lines: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    kind: str = "change"


def readable_value(model_field, value) -> str:
    """`value` of `model_field` as the forms show it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, DeletedObject):
        # The history names a related record that is no longer there; with no key at all the
        # field was simply blank.
        if value.pk is None:
            return EMPTY
        return _("Deleted %(record)s") % {"record": value.model._meta.verbose_name}
    if isinstance(value, (list, tuple)):
        return ", ".join(readable_value(model_field, item) for item in value)
    if getattr(model_field, "flatchoices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


class ReadableChanges(HistoricalRecordContextHelper):
    """The changes of one history row, each named by its field's label, bookkeeping left
    out."""

    hidden_fields: Iterable[str] = HIDDEN_FIELDS

    def context_for_delta_changes(self, delta):
        changes = [self.format_delta_change(change) for change in delta.changes
                   if change.field not in self.hidden_fields]
        return [{"field": change.field, "old": change.old, "new": change.new}
                for change in changes]

    def prepare_delta_change_value(self, change, value):
        model_field = self.model._meta.get_field(change.field)
        return readable_value(model_field, super().prepare_delta_change_value(change, value))


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    """The object's history as a timeline (admin/history/timeline.html)."""

    object_history_template: ClassVar[Any] = "admin/history/timeline.html"
    # Why a change was made, for the reasons the services record as codes: code -> label.
    change_reasons: dict[str, Any] = {SEED_REASON: gettext_lazy("Initial data load")}
    # Fields of this model the history leaves out, besides the bookkeeping.
    history_hidden_fields: tuple[str, ...] = ()

    def get_historical_record_context_helper(self, request, historical_record):
        helper = ReadableChanges(self.model, historical_record)
        helper.hidden_fields = {*HIDDEN_FIELDS, *self.history_hidden_fields}
        return helper

    def history_entries(self, request, obj) -> list[TimelineEntry]:
        """Other dated entries of `obj` to show in its timeline (none by default)."""
        return []

    def render_history_view(self, request, template, context, **kwargs):
        if "page_obj" in context:  # the history (the page of one version renders here too)
            context["timeline"] = self._timeline(request, context["page_obj"],
                                                 context["object"])
        return super().render_history_view(request, template, context, **kwargs)

    def _timeline(self, request, page, obj) -> list[TimelineEntry]:
        records = list(page.object_list)
        entries = [self._entry(record) for record in records]
        # The other entries that fall between this page's first and last change.
        newest = records[0].history_date if records and page.has_previous() else None
        oldest = records[-1].history_date if records and page.has_next() else None
        entries += [entry for entry in self.history_entries(request, obj)
                    if (newest is None or entry.when <= newest)
                    and (oldest is None or entry.when >= oldest)]
        return sorted(entries, key=lambda entry: entry.when, reverse=True)

    def _entry(self, record) -> TimelineEntry:
        reason = record.history_change_reason or ""
        return TimelineEntry(
            when=record.history_date, who=person(record.history_user),
            what=record.get_history_type_display(),
            reason=str(self.change_reasons.get(reason, reason)),
            changes=getattr(record, "history_delta_changes", []))


def person(user: Model | None) -> str:
    """Who made an entry: their name (a change without a person was made by the system)."""
    if user is None:
        return _("System")
    return getattr(user, "display_name", None) or str(user)
