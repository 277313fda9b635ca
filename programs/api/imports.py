"""Spreadsheet imports for scripts: POST /api/v1/imports/{milestones,kpi-measurements,
country-actions}/ with the file as multipart `file`. With ?dry_run=true the answer is the
preview (each row new / changed / unchanged / refused, nothing written); without it the
accepted rows are written too, in one transaction, exactly as the admin's confirmation does.
A file that cannot be imported at all is a 400 (413 when too large) in the one error shape."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.api.parsers import RequestTooLarge

from ..imports.applying import import_apply
from ..imports.kinds import KINDS
from ..imports.planning import ImportPlan, plan_import
from ..imports.reading import read_table
from ..imports.template import XLSX_TYPE, template_response
from ..selectors.access import does_initiative_work
from .permissions import SeesInternalTracking

# A multipart body carries the file and a little more (boundaries, headers of its parts).
MULTIPART_OVERHEAD_BYTES = 64 * 1024


class DoesInitiativeWork(SeesInternalTracking):
    message = gettext_lazy("Only programme officers and administrators import work.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and does_initiative_work(request.user)


CHANGE_FIELDS: dict[str, serializers.Field] = {
    "field": serializers.CharField(), "column": serializers.CharField(),
    "old": serializers.JSONField(allow_null=True), "new": serializers.JSONField(allow_null=True),
}
ROW_FIELDS: dict[str, serializers.Field] = {
    "row": serializers.IntegerField(help_text="The row number in the file (as Excel shows it)."),
    "outcome": serializers.ChoiceField(choices=["new", "changed", "unchanged", "refused"]),
    "id": serializers.IntegerField(allow_null=True, help_text="The record the row changes."),
    "describes": serializers.CharField(),
    "changes": inline_serializer("ImportChange", CHANGE_FIELDS, many=True),
    "code": serializers.CharField(help_text="Why the row is refused (stable code), else ''."),
    "message": serializers.CharField(help_text="The same, in the caller's language."),
}
ResultSerializer = inline_serializer("ImportResult", {
    "kind": serializers.CharField(), "file": serializers.CharField(),
    "dry_run": serializers.BooleanField(),
    "written": serializers.IntegerField(help_text="Rows written (0 on a dry run)."),
    "summary": inline_serializer("ImportSummary", {
        name: serializers.IntegerField() for name in ("new", "changed", "unchanged",
                                                      "refused")}),
    "ignored_columns": serializers.ListField(child=serializers.CharField()),
    "rows": inline_serializer("ImportRow", ROW_FIELDS, many=True),
})


def result(plan: ImportPlan, *, file_name: str, dry_run: bool, written: int) -> dict:
    return {
        "kind": plan.kind.key, "file": file_name, "dry_run": dry_run, "written": written,
        "summary": plan.counts(), "ignored_columns": plan.ignored_headings,
        "rows": [{"row": row.row, "outcome": row.outcome, "id": row.record_id,
                  "describes": row.describes,
                  "changes": [{"field": change.field, "column": change.column,
                               "old": change.old, "new": change.new}
                              for change in row.changes],
                  "code": row.code, "message": row.message} for row in plan.rows],
    }


def _size_limit_error() -> RequestTooLarge:
    return RequestTooLarge(_("The file is too large: the limit is %(megabytes)s MB.") % {
        "megabytes": f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:g}"})


class ImportView(APIView):
    permission_classes = [DoesInitiativeWork]
    parser_classes = [MultiPartParser]
    extra_error_codes = ("409",)  # a record changed while the rows were being written
    kind = ""  # set per URL

    def post(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > (
                settings.IMPORT_MAX_BYTES + MULTIPART_OVERHEAD_BYTES):
            raise _size_limit_error()  # before reading the body
        dry_run = request.query_params.get("dry_run", "false")
        if dry_run not in ("true", "false"):
            raise exceptions.ValidationError({"dry_run": [exceptions.ErrorDetail(
                _("Give true or false."), code="invalid")]})
        upload = request.FILES.get("file")
        if upload is None:
            raise exceptions.ValidationError({"file": [exceptions.ErrorDetail(
                _("Send the spreadsheet as the multipart field “file”."), code="required")]})
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise _size_limit_error()
        content = upload.read()
        kind = KINDS[self.kind]
        plan = plan_import(kind=kind, table=read_table(content), user=request.user)
        written = 0
        if dry_run == "false" and plan.accepted():
            written = import_apply(plan=plan, by=request.user, file_name=upload.name,
                                   content=content)
        return Response(result(plan, file_name=upload.name, dry_run=dry_run == "true",
                               written=written))


def import_view(kind: str):
    """The view of one kind, with its own schema."""
    title = {"milestones": "milestones (工程表)", "kpi-measurements": "KPI measurements",
             "country-actions": "country actions"}[kind]
    name = f"Import{kind.title().replace('-', '')}"

    @extend_schema(
        operation_id=f"imports_{kind.replace('-', '_')}",
        summary=f"Import {title} from an XLSX or CSV file (?dry_run=true: preview only)",
        request={"multipart/form-data": inline_serializer(
            f"{name}Upload", {"file": serializers.FileField()})},
        parameters=[OpenApiParameter(
            "dry_run", str, enum=["true", "false"],
            description="true: the preview of every row, nothing written. false (default): "
                        "the accepted rows are written, in one transaction.")],
        responses={200: ResultSerializer},
    )
    def post(self, request):
        return ImportView.post(self, request)

    view: type[ImportView] = type(f"{name}View", (ImportView,), {"kind": kind, "post": post})
    return view.as_view()


class ImportTemplateView(APIView):
    """GET …/imports/<kind>/template/: the XLSX to start from, the caller's own records in the
    import's format (?blank=true: headings only), as the admin's template link gives it."""

    permission_classes = [DoesInitiativeWork]
    extra_error_codes = ("400",)  # ?blank= neither true nor false
    kind = ""

    def get(self, request):
        blank = request.query_params.get("blank", "false")
        if blank not in ("true", "false"):
            raise exceptions.ValidationError({"blank": [exceptions.ErrorDetail(
                _("Give true or false."), code="invalid")]})
        kind = KINDS[self.kind]
        return template_response(kind, request.user, blank=blank == "true",
                                 narrowed_to=request.query_params.get(kind.narrowed_by[0]))


def import_template_view(kind: str):
    name = f"Import{kind.title().replace('-', '')}Template"

    @extend_schema(
        operation_id=f"imports_{kind.replace('-', '_')}_template",
        summary=f"The XLSX template of the {kind} import: your records, ready to edit",
        parameters=[
            OpenApiParameter("blank", str, enum=["true", "false"],
                             description="true: the headings and lists only."),
            OpenApiParameter(KINDS[kind].narrowed_by[0], str,
                             description="Only the records of this code: for more records "
                                         "than a file holds (IMPORT_MAX_ROWS)."),
            OpenApiParameter("X-Template-Rows", int, OpenApiParameter.HEADER, response=True,
                             description="The records in the file."),
            OpenApiParameter("X-Template-Total", int, OpenApiParameter.HEADER, response=True,
                             description="The records it would hold without the limit: more "
                                         "than X-Template-Rows when the file is partial."),
        ],
        responses={(200, XLSX_TYPE): OpenApiTypes.BINARY},
    )
    def get(self, request):
        return ImportTemplateView.get(self, request)

    view: type[ImportTemplateView] = type(f"{name}View", (ImportTemplateView,),
                                          {"kind": kind, "get": get})
    return view.as_view()
