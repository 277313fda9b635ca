"""Progress reports for managers: GET /api/v1/reports/portfolio/ and
/api/v1/reports/initiatives/{id}/, as JSON or, with ?format=csv|xlsx|pdf|pptx, as a file."""

import re
from urllib.parse import quote

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.api.inputs import query_date

from ..reporting import tables
from ..selectors import access
from ..selectors.briefing import briefing
from ..selectors.reports import progress_report
from ..services.common import today
from .report_files import CSV_ENCODINGS, CSVReportRenderer, XLSXReportRenderer
from .report_pdf import PDFReportRenderer
from .report_pptx import PPTXReportRenderer

REPORT_RESPONSES = {
    (200, "application/json"): OpenApiTypes.OBJECT,
    (200, "text/csv"): OpenApiTypes.STR,
    (200, XLSXReportRenderer.media_type): OpenApiTypes.BINARY,
    (200, PDFReportRenderer.media_type): OpenApiTypes.BINARY,
    (200, PPTXReportRenderer.media_type): OpenApiTypes.BINARY,
}
FILE_FORMATS = ("csv", "xlsx", "pdf", "pptx")
# What a file name may not hold on Windows, and white space.
NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')
REPORT_PARAMETERS = [
    OpenApiParameter("as_of", OpenApiTypes.DATE,
                     description="Report date, 2000-01-01 to 2100-12-31 (default: today)."),
    OpenApiParameter("since", OpenApiTypes.DATE,
                     description="Start of 'health changes', 2000-01-01 to 2100-12-31 "
                                 "(default: 30 days before as_of)."),
    OpenApiParameter("format", str, enum=["json", *FILE_FORMATS],
                     description="json (default), or a download (pptx: a briefing deck)."),
    OpenApiParameter("encoding", str, enum=list(CSV_ENCODINGS),
                     description="The CSV's encoding: utf-8 (default, with the byte-order "
                                 "mark Excel needs) or cp932 (Shift_JIS)."),
]


class ReadsReports(permissions.IsAuthenticated):
    """Managers and administrators read every report; officers those of their initiatives."""

    message = _("Reports are for managers, and for officers on their own initiatives.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and access.reads_reports(request.user)


class ReportView(APIView):
    permission_classes = [ReadsReports]
    extra_error_codes = ("400", "404")  # a malformed date; a format we do not offer
    renderer_classes = [ORJSONRenderer, CSVReportRenderer, XLSXReportRenderer,
                        PDFReportRenderer, PPTXReportRenderer]

    def report_response(self, request, initiative=None, name="portfolio"):
        as_of = query_date(request.query_params, "as_of") or today()
        encoding = request.query_params.get("encoding", "utf-8")
        if encoding not in CSV_ENCODINGS:
            raise exceptions.ValidationError({"encoding": [exceptions.ErrorDetail(
                str(_("Choose utf-8 or cp932.")), code="invalid_choice")]})
        extension = getattr(request.accepted_renderer, "format", "json")
        report = progress_report(as_of=as_of, since=query_date(request.query_params, "since"),
                                 initiative=initiative)
        if extension == "pptx":  # the deck's slide per pillar and its worst slips
            report["briefing"] = briefing(as_of=as_of, initiative=initiative)
        response = Response(report)
        if extension == "csv" and encoding == "cp932":
            response.content_type = "text/csv; charset=Shift_JIS"
        if extension in FILE_FORMATS:
            response["Content-Disposition"] = _attachment(
                f"report-{name}-{as_of.isoformat()}.{extension}",
                f"{_('Progress report')}-{tables.scope_name(report)}-{as_of.isoformat()}"
                f".{extension}")
        return response


def _attachment(ascii_name, name):
    """A download named in the reader's language (RFC 6266 `filename*`, which browsers
    read), with an ASCII name for clients that do not."""
    name = NOT_IN_FILE_NAMES.sub("_", name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


class PortfolioReportView(ReportView):
    """The whole portfolio (managers and administrators)."""

    @extend_schema(summary="Portfolio progress report", parameters=REPORT_PARAMETERS,
                   responses=REPORT_RESPONSES)
    def get(self, request):
        if not access.can_read_report(request.user):
            raise exceptions.PermissionDenied(ReadsReports.message)
        return self.report_response(request)


class InitiativeReportView(ReportView):
    """One initiative with everything below it."""

    @extend_schema(summary="Progress report of an initiative and its sub-initiatives",
                   parameters=REPORT_PARAMETERS, responses=REPORT_RESPONSES)
    def get(self, request, pk):
        initiative = get_object_or_404(access.initiatives_visible_to(request.user), pk=pk)
        if not access.can_read_report(request.user, initiative):
            raise exceptions.PermissionDenied(ReadsReports.message)
        return self.report_response(request, initiative, name=initiative.code)
