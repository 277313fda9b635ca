"""The report as a PDF: a title page, the figures and lists as tables, and the charts, with
Japanese set in reportlab's built-in Japanese font (no font file needed).

reportlab reads a Paragraph's text as markup (<b>, <img src>, <a href>, entities), so every
value reaches a Paragraph through `_text`, escaped: a title like `<img src="/etc/hostname">`
prints as written and never makes reportlab open a file or a link. Chart labels (`String`)
are drawn as plain text and need no escaping."""

import io
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table
from rest_framework.renderers import BaseRenderer

from ..charts import HEALTH_COLOURS, kpi_paths
from ..reporting import labels, tables

FONT = "HeiseiKakuGo-W5"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=22, leading=30)
HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=13, leading=18, spaceBefore=8)
# CJK wrapping breaks a line between any two characters, so a long unbroken value (Japanese
# or not) wraps inside its cell instead of pushing the table off the page.
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
WIDTH = A4[0] - 2 * 20 * mm  # the text width between the margins
# Relative column widths: the title and the name get the room.
MILESTONE_WIDTHS = [4, 1.6, 1.4, 1.5, 1.5, 1, 1, 1.3, 1]
KPI_WIDTHS = [2.4, 1.4, *[1] * (len(tables.KPI_COLUMNS) - 2)]


def _text(value, style=BODY):
    """A paragraph that shows `value` exactly as written, never as markup (a lone surrogate,
    which no font can draw, becomes "?")."""
    text = "" if value is None else str(value).encode("utf-8", "replace").decode()
    return Paragraph(escape(text), style)


def _table(header, rows, widths=None):
    """A table as wide as the page; `widths` are the columns' relative widths (equal if not
    given). A row taller than a page is split across pages."""
    widths = widths or [1] * len(header)
    cells = [[_text(c) for c in header]]
    cells += [[_text(v) for v in row] for row in rows]
    table = Table(cells, colWidths=[WIDTH * w / sum(widths) for w in widths], repeatRows=1,
                  splitInRow=1)
    table.setStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7"))])
    return table


def _health_chart(by_health):
    drawing = Drawing(160 * mm, 40 * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30 * mm, 5 * mm, 110 * mm, 30 * mm
    chart.data = [list(by_health.values())]
    chart.categoryAxis.categoryNames = [labels.health_label(h) for h in by_health]
    chart.categoryAxis.labels.fontName = FONT
    chart.valueAxis.valueMin = 0
    for index, health in enumerate(by_health):
        chart.bars[(0, index)].fillColor = colors.HexColor(HEALTH_COLOURS[health])
    drawing.add(chart)
    return drawing


def _lines(title, x_values, series):
    """A line chart: `series` is (name, colour, [y or None]) over `x_values`."""
    drawing = Drawing(160 * mm, 60 * mm)
    drawing.add(String(0, 56 * mm, title, fontName=FONT, fontSize=10))
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 15 * mm, 8 * mm, 110 * mm, 42 * mm
    plot.data = [[(x, y) for x, y in zip(x_values, values, strict=True) if y is not None]
                 or [(x_values[0], 0)] for _name, _colour, values in series]
    for index, (name, colour, _values) in enumerate(series):
        plot.lines[index].strokeColor = colors.HexColor(colour)
        drawing.add(String(130 * mm, (46 - 6 * index) * mm, name, fontName=FONT, fontSize=8,
                           fillColor=colors.HexColor(colour)))
    drawing.add(plot)
    return drawing


def report_pdf(report):
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, title="進捗報告書", leftMargin=20 * mm,
                                 rightMargin=20 * mm)
    scope = report["initiative"]["name_ja"] if report["initiative"] else "通商戦略2026 全体"
    story = [Spacer(1, 60 * mm), _text("進捗報告書", TITLE),
             _text(scope, HEADING), _text(f"基準日: {report['as_of']}"),
             PageBreak(), _text("概要", HEADING),
             _table(["項目", "値"], [(name, tables.display(kind, value))
                                   for name, value, kind in tables.summary(report)], [2, 1]),
             Spacer(1, 4 * mm),
             _text("健全性別のマイルストーン数", HEADING),
             _health_chart(report["milestones"]["by_health"])]
    points = report["burn_up"]
    months = list(range(len(points)))
    story += [_lines(f"バーンアップ（累計） {points[0]['month']}〜{points[-1]['month']}", months,
                     [("予定", "#1565c0", [p["planned"] for p in points]),
                      ("完了", "#2e7d32", [p["done"] for p in points])])]
    for key, title in (("overdue", "期限超過"), ("due_soon", "30日以内に期限")):
        story += [_text(title, HEADING),
                  _table([c.header for c in tables.MILESTONE_COLUMNS],
                         [[c.display(row) for c in tables.MILESTONE_COLUMNS]
                          for row in report[key]], MILESTONE_WIDTHS)]
    story += [_text("KPI", HEADING),
              _table([c.header for c in tables.KPI_COLUMNS],
                     [[c.display(kpi) for c in tables.KPI_COLUMNS]
                      for kpi in report["kpis"] if tables.measured(kpi)], KPI_WIDTHS),
              _text(tables.unmeasured_line(report))]
    for kpi in report["kpis"]:
        paths = kpi_paths(kpi)
        if paths:
            years, measured, required, projected = paths
            story.append(_lines(kpi["name_ja"], years, [("実績", "#000000", measured),
                                                        ("必要な推移", "#c62828", required),
                                                        ("現在の傾向", "#1565c0", projected)]))
    document.build(story)
    return out.getvalue()


class PDFReportRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if "milestones" not in (data or {}):
            return str(data).encode()
        return report_pdf(data)
