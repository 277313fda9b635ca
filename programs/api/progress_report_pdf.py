"""A quarterly progress report as the official document it becomes once approved: its
initiative and period, where it stands in the review and who moved it when, the narrative,
and the figures frozen with it (the headline figures, then the report's tables).

Built with the report PDF's own parts (programs.api.report_pdf: the embedded Japanese font,
the escaped paragraphs, tables whose numbers never wrap, the numbered pages), with the
labels and units of programs.reporting, so it reads like the other report files."""

import functools
import io

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, SimpleDocTemplate, Spacer
from rest_framework.renderers import BaseRenderer

from ..models import ProgressReport, ReportStatus
from ..reporting import labels, tables
from .report_pdf import (
    HEADING,
    MARGIN,
    PAGE,
    SUBTITLE,
    TITLE,
    WIDTH,
    Table,
    _health_chart,
    _NumberedCanvas,
    _section_table,
    _side_by_side,
    _table,
    _text,
)

LABEL_WIDTH = 45 * mm  # the record's left column: "提出日", "承認者"...


def _person(user):
    return user.display_name if user else "—"


def _when(moment):
    return labels.day(timezone.localdate(moment)) if moment else "—"


def _field(name):
    return capfirst(ProgressReport._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def _record(report):
    """Who did what, and when: (label, value) rows."""
    if report.status == ReportStatus.RETURNED:
        reviewer, reviewed_on = _("Returned by"), _("Returned on")
    else:
        reviewer, reviewed_on = _("Approved by"), _("Approved on")
    return [(_field("initiative"), f"{labels.in_language(report.initiative, 'name')}"
                                   f"（{report.initiative.code}）"),
            (_field("period"), labels.quarter(report.period)),
            (_field("status"), report.get_status_display()),
            (_field("figures_as_of"), labels.day(report.figures_as_of)),
            (_field("prepared_by"), _person(report.prepared_by)),
            (_field("submitted_by"), _person(report.submitted_by)),
            (_("Submitted on"), _when(report.submitted_at)),
            (reviewer, _person(report.reviewed_by)),
            (reviewed_on, _when(report.reviewed_at))]


def _record_table(rows):
    table = Table([[_text(name), _text(value)] for name, value in rows],
                  colWidths=[LABEL_WIDTH, WIDTH - LABEL_WIDTH], hAlign="LEFT")
    table.setStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#e8eef7")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP")])
    return table


def _figures(report):
    """The frozen figures: the headline figures beside the health chart, then each table of
    the report that has rows."""
    figures = report.figures
    heading = _text(_("Figures as of %(day)s") % {"day": labels.day(report.figures_as_of)},
                    HEADING)
    if not tables.complete(figures):
        return [heading, _text("—")]
    story = [CondPageBreak(110 * mm), heading,
             _side_by_side(_table([_("Item"), _("Value")],
                                  [(name, tables.display(kind, value))
                                   for name, value, kind in tables.summary(figures)]),
                           _health_chart(figures["milestones"]["by_health"]))]
    for section in tables.SECTIONS:
        if tables.section_rows(figures, section):
            story += [CondPageBreak(40 * mm), _text(section.title, HEADING),
                      *_section_table(figures, section)]
    if unmeasured := tables.unmeasured_line(figures):
        story += [Spacer(1, 3 * mm), _text(_("KPIs not measured yet") + _(": ") + unmeasured)]
    return story


def progress_report_pdf(report: ProgressReport) -> bytes:
    out = io.BytesIO()
    title = _("Quarterly progress report")
    period = labels.quarter(report.period)
    document = SimpleDocTemplate(out, pagesize=PAGE, title=f"{title} {period}",
                                 leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                 bottomMargin=MARGIN)
    # The date of the frozen figures on every page, where the other reports show their as-of
    # date, and where the report stands in the review.
    as_of = _("As of %(day)s") % {"day": labels.day(report.figures_as_of)}
    # The period before the initiative's name: a long name is what gives way (shortened_to).
    name = labels.in_language(report.initiative, "name")
    header = (f"{title} — {period} — {name}",
              f"{report.get_status_display()}　{as_of}")
    story = [_text(title, TITLE), _text(f"{name}　{period}", SUBTITLE),
             Spacer(1, 8 * mm), _record_table(_record(report))]
    if report.status == ReportStatus.RETURNED and report.return_reason:
        story += [_text(_field("return_reason"), HEADING), _text(report.return_reason)]
    story += [_text(_field("narrative"), HEADING)]
    story += [_text(paragraph) for paragraph in report.narrative.splitlines()
              if paragraph.strip()] or [_text("—")]
    story += _figures(report)
    document.build(story, canvasmaker=functools.partial(_NumberedCanvas, header=header))
    return out.getvalue()


class ProgressReportPDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, ProgressReport):  # an error is answered in JSON upstream
            return str(data).encode()
        return progress_report_pdf(data)
