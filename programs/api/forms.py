"""GET …/{id}/form/: what the caller may do to a record now — the fields their PATCH may
carry and the workflow moves open to them — asked of the same rules the services apply
(`*_fields_writable_by`, `programs.workflow`), so a client can show only what will work."""

from typing import Any

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import AnyUser

from ..models import CountryAction, Initiative, Milestone, ProgressReport, WorkStatus
from ..services import initiatives, milestones, progress_reports, work_items
from ..workflow import ALLOWED_TRANSITIONS, REPORT_MOVES, report_moves_for


def _fields(choices):
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices),
        help_text="The fields your PATCH may carry now (empty: you may not change it).")


def _transitions():
    return serializers.ListField(
        child=serializers.ChoiceField(choices=WorkStatus.choices),
        help_text="The statuses you may move it to now (`status` in a PATCH, or transition).")


class FormSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField(help_text="The version this answer is about (ETag).")


class MilestoneFormSerializer(FormSerializer):
    """What you may change on a milestone now."""

    writable_fields = _fields(milestones.ADMINISTRATOR_FIELDS)
    transitions = _transitions()


class InitiativeFormSerializer(FormSerializer):
    """What you may change on an initiative now."""

    writable_fields = _fields(initiatives.ADMINISTRATOR_FIELDS)


class CountryActionFormSerializer(FormSerializer):
    """What you may change on a country action now."""

    writable_fields = _fields(work_items.COUNTRY_ACTION_ADMINISTRATOR_FIELDS)
    transitions = _transitions()


class ProgressReportFormSerializer(FormSerializer):
    """What you may change on a progress report now, and the moves you may make."""

    writable_fields = _fields(progress_reports.WRITABLE_FIELDS)
    moves = serializers.ListField(
        child=serializers.ChoiceField(choices=list(REPORT_MOVES)),
        help_text="The moves you may make now: POST …/submit/, …/approve/, …/return/.")


def _transitions_of(status: str, writable: tuple[str, ...]) -> list[str]:
    if "status" not in writable:
        return []
    return [to for to in WorkStatus.values if to in ALLOWED_TRANSITIONS[WorkStatus(status)]]


def milestone_form(user: AnyUser, milestone: Milestone) -> dict[str, Any]:
    writable = milestones.milestone_fields_writable_by(user, milestone)
    return {"writable_fields": writable, "transitions": _transitions_of(milestone.status, writable)}


def initiative_form(user: AnyUser, initiative: Initiative) -> dict[str, Any]:
    return {"writable_fields": initiatives.initiative_fields_writable_by(user, initiative)}


def country_action_form(user: AnyUser, country_action: CountryAction) -> dict[str, Any]:
    writable = work_items.country_action_fields_writable_by(user, country_action)
    return {"writable_fields": writable,
            "transitions": _transitions_of(country_action.status, writable)}


def progress_report_form(user: AnyUser, report: ProgressReport) -> dict[str, Any]:
    return {"writable_fields": progress_reports.progress_report_fields_writable_by(user, report),
            "moves": report_moves_for(user, report)}


class FormAction:
    """A viewset's GET …/{id}/form/: `form_serializer` over `form_of(user, record)`."""

    form_serializer: type[FormSerializer]
    form_of: Any  # a staticmethod: (user, record) -> the form's fields but id and version

    def get_serializer_class(self):
        if getattr(self, "action", None) == "form":
            return self.form_serializer
        return super().get_serializer_class()  # type: ignore[misc]

    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def form(self, request, pk=None):
        record = self.get_object()  # type: ignore[attr-defined]
        form = self.form_of(request.user, record)
        return Response(self.form_serializer(
            {"id": record.pk, "version": record.version, **form}).data)
