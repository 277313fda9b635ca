"""Progress reports for managers: GET /api/v1/reports/portfolio/ and
/api/v1/reports/initiatives/{id}/ as typed JSON, and each file format as its own operation,
…/csv/, …/xlsx/, …/pdf/, …/pptx/ (a briefing deck) — one media type each, so that a generated
client knows what it gets.

`?format=csv|xlsx|pdf|pptx` on the JSON routes still gives the file, as before the file routes
existed; the schema leaves it out (one 200 with four media types breaks generated clients)."""

from typing import NamedTuple

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, permissions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.api.inputs import query_date
from tracker.api.schema import TrackerAutoSchema

from ..reporting import tables
from ..selectors import access
from ..selectors.briefing import briefing
from ..selectors.reports import progress_report
from ..services.common import today
from .downloads import attachment
from .report_files import CSV_ENCODINGS, CSVReportRenderer, XLSXReportRenderer
from .report_pdf import PDFReportRenderer
from .report_pptx import PPTXReportRenderer
from .report_schema import ReportSerializer

REPORT_DATES = [
    OpenApiParameter("as_of", OpenApiTypes.DATE,
                     description="Report date, 2000-01-01 to 2100-12-31 (default: today)."),
    OpenApiParameter("since", OpenApiTypes.DATE,
                     description="Start of 'health changes', 2000-01-01 to 2100-12-31 "
                                 "(default: 30 days before as_of)."),
]
CSV_ENCODING = OpenApiParameter(
    "encoding", str, enum=list(CSV_ENCODINGS),
    description="The CSV's encoding: utf-8 (default, with the byte-order mark Excel needs) or "
                "cp932 (Shift_JIS).")


class ReportFile(NamedTuple):
    """A file format of the report: its renderer names the media type and the extension (the
    route's last segment and the file name's), `parameters` what only it reads."""

    renderer: type[BaseRenderer]
    parameters: tuple[OpenApiParameter, ...] = ()


REPORT_FILES = (
    ReportFile(CSVReportRenderer, (CSV_ENCODING,)),
    ReportFile(XLSXReportRenderer),
    ReportFile(PDFReportRenderer),
    ReportFile(PPTXReportRenderer),
)


class ReadsReports(permissions.IsAuthenticated):
    """Managers and administrators read every report; officers those of their initiatives."""

    message = _("Reports are for managers, and for officers on their own initiatives.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and access.reads_reports(request.user)


class TheRoutesFormat(BaseContentNegotiation):
    """A file route answers its one format, whatever Accept or ?format= say (errors are JSON
    anyway: tracker.api.errors)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ReportSchema(TrackerAutoSchema):
    """Each route of ReportView declares its own answer: the JSON report, or one file."""

    @property
    def file(self) -> ReportFile | None:
        return getattr(self.view, "file", None)

    def get_summary(self):
        scope = ("an initiative and its sub-initiatives" if "{id}" in self.path
                 else "the portfolio")
        file = self.file
        return f"Progress report of {scope}" + (f" as {file.renderer.format.upper()}"
                                                if file else " (JSON)")

    def get_description(self):  # type: ignore[override]  # as drf-spectacular's own
        if self.file is None:
            return ("Milestones by status and health, overdue, due soon and slipped ones, health "
                    "changes since `since`, stale and unowned work, figures by initiative, "
                    "region, country and field, a monthly burn-up, an initiative's timeline "
                    "(null for the portfolio) and each KPI against its target with a verdict.")
        return (f"The same report as a {self.file.renderer.format.upper()} file to save "
                "(Content-Disposition: attachment). Errors are JSON, as everywhere.")

    def _get_format_parameters(self):
        return []  # ?format= still works on the JSON routes, but each file has its route

    def get_override_parameters(self):
        return [*REPORT_DATES, *(self.file.parameters if self.file else ())]

    def get_response_serializers(self):
        if self.file is None:
            return {(200, "application/json"): ReportSerializer}
        return {(200, self.file.renderer.media_type): OpenApiTypes.BINARY}


class ReportView(APIView):
    """The portfolio's report (no `pk`) or an initiative's, as JSON or as the route's `file`."""

    file: ReportFile | None = None  # set per route (as_view(file=...))
    permission_classes = [ReadsReports]
    extra_error_codes = ("400", "404")  # a malformed date; a ?format= we do not offer
    schema = ReportSchema()

    def get_renderers(self):
        if self.file is not None:
            return [self.file.renderer()]
        return [ORJSONRenderer(), *(file.renderer() for file in REPORT_FILES)]

    def get_content_negotiator(self):
        return TheRoutesFormat() if self.file is not None else super().get_content_negotiator()

    def get(self, request, pk=None):
        if pk is None:
            initiative, name = None, "portfolio"
            if not access.can_read_report(request.user):
                raise exceptions.PermissionDenied(ReadsReports.message)
        else:
            initiative = get_object_or_404(access.initiatives_visible_to(request.user), pk=pk)
            name = initiative.code
            if not access.can_read_report(request.user, initiative):
                raise exceptions.PermissionDenied(ReadsReports.message)
        as_of = query_date(request.query_params, "as_of") or today()
        encoding = request.query_params.get("encoding", "utf-8")
        if encoding not in CSV_ENCODINGS:
            raise exceptions.ValidationError({"encoding": [exceptions.ErrorDetail(
                str(_("Choose utf-8 or cp932.")), code="invalid_choice")]})
        report = progress_report(as_of=as_of, since=query_date(request.query_params, "since"),
                                 initiative=initiative)
        extension = request.accepted_renderer.format
        if extension == "pptx":  # the deck's slide per pillar and its worst slips
            report["briefing"] = briefing(as_of=as_of, initiative=initiative)
        response = Response(report)
        if extension == "csv" and encoding == "cp932":
            response.content_type = "text/csv; charset=Shift_JIS"
        if extension != "json":
            response["Content-Disposition"] = attachment(
                f"report-{name}-{as_of.isoformat()}.{extension}",
                f"{_('Progress report')}-{tables.scope_name(report)}-{as_of.isoformat()}"
                f".{extension}")
        return response
