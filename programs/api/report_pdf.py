"""The report as a PDF to hand over: A4 landscape; a title page with the headline figures,
the RAG summary and the KPIs against their targets; then the tables, each column as wide as
its longest number, date, code or name (only titles wrap) with the header row repeated on
every page; and the charts. Every page carries the scope, the as-of date and "page n of m".

Text is set in a Japanese TrueType font embedded in the file (IPAexGothic from Debian's
fonts-ipaexfont, `make fonts`), so it can be searched and copied; without it, in reportlab's
built-in Japanese font (HeiseiKakuGo-W5, which viewers supply).

reportlab reads a Paragraph's text as markup (<b>, <img src>, <a href>, entities), so every
value reaches a Paragraph through `_text`, escaped: a title like `<img src="/etc/hostname">`
prints as written and never makes reportlab open a file or a link. Chart labels and the page
header (`String`, `drawString`) are drawn as plain text and need no escaping."""

import functools
import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)
from reportlab.platypus import Table as _ReportlabTable
from rest_framework.renderers import BaseRenderer

from .. import charts
from ..charts import (
    HEALTH_COLOURS,
    count_ticks,
    kpi_paths,
    kpi_ticks,
    kpi_title,
    month_labels,
)
from ..reporting import labels, tables
from ..services.common import today

# Where Debian's fonts-ipaexfont (and the older fonts-ipafont) put the gothic face.
TRUETYPE_FONTS = [Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
                  Path("/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf"),
                  Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"),
                  Path("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf")]
CID_FONT = "HeiseiKakuGo-W5"


def _register_font():
    """The embedded TrueType font when installed, else the built-in CID font."""
    for path in TRUETYPE_FONTS:
        if path.is_file():
            pdfmetrics.registerFont(TTFont("IPAexGothic", str(path)))
            return "IPAexGothic"
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


FONT = _register_font()
PAGE = landscape(A4)
MARGIN = 15 * mm
WIDTH = PAGE[0] - 2 * MARGIN  # the text width between the margins
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=26, leading=34)
SUBTITLE = ParagraphStyle("subtitle", fontName=FONT, fontSize=15, leading=22)
HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=13, leading=18, spaceBefore=8,
                         spaceAfter=4)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
CELL_PADDING = 6  # points, left and right together
UNBREAKABLE = re.compile(r"[!-~]+")  # printable ASCII without the space
HIRAGANA = re.compile(r"[\u3041-\u309f]")
RAG_COLOURS = {health: colors.HexColor(colour) for health, colour in HEALTH_COLOURS.items()}


class Table(_ReportlabTable):
    """reportlab's table with its cells set in the embedded font: its default, Helvetica,
    would be listed in the file as a font the viewer must supply."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setStyle([("FONTNAME", (0, 0), (-1, -1), FONT)])


def _text(value, style=BODY):
    """A paragraph that shows `value` exactly as written, never as markup (a lone surrogate,
    which no font can draw, becomes "?")."""
    text = "" if value is None else str(value).encode("utf-8", "replace").decode()
    return Paragraph(escape(text), style)


def _header(header, width, size, style):
    """A header cell: on one line where it fits, else broken where _header_lines says."""
    if _width(header, size) <= width:
        return _text(header, style)
    return Paragraph("<br/>".join(escape(line) for line in _header_lines(header, size)), style)


def _cell_styles(size):
    # CJK wrapping breaks a line between any two characters, so a long title (Japanese or
    # not) wraps inside its cell; the other columns are sized so that nothing in them wraps.
    wrapping = ParagraphStyle(f"wrap{size}", fontName=FONT, fontSize=size,
                              leading=size * 1.3, wordWrap="CJK")
    whole = ParagraphStyle(f"whole{size}", parent=wrapping, wordWrap=None)
    return wrapping, whole


def _width(text, size):
    return pdfmetrics.stringWidth(str(text), FONT, size) + CELL_PADDING + 1


def unbreakable_words(text):
    """The runs of Latin letters, digits and signs in `text` (a code, a figure, a word),
    which a wrapping cell must not break; Japanese may break between any two characters."""
    return UNBREAKABLE.findall(str(text))


def _widest_word(texts, size):
    return max((_width(word, size) for text in texts for word in unbreakable_words(text)),
               default=CELL_PADDING)


def _header_lines(header, size):
    """The header in the two lines it takes when its column is narrower than it: split at a
    space or where a particle ends before the next word (必要な｜年率, 目標年の｜見込み), at
    the point that makes the longer line shortest; a header with no such point stays whole
    (最新実績, 目標値), never 最新実｜績."""
    splits = [(header[:index].rstrip(), header[index:].lstrip())
              for index in range(1, len(header))
              if header[index - 1] == " " or (HIRAGANA.fullmatch(header[index - 1])
                                              and not HIRAGANA.fullmatch(header[index])
                                              and header[index] not in "ー・、。）」")]
    return min(splits, key=lambda lines: max(_width(line, size) for line in lines),
               default=(header,))


def _column_widths(headers, rows, wraps, size, whole_headers):
    """Each unbroken column as wide as its widest value and its header (with
    `whole_headers` off, the header may wrap into two lines); the wrapping columns share
    what is left, by how much text they hold, each at least as wide as its widest Latin word
    or code. Also says whether everything fits, and whether it fits with no text wrapped."""
    widths, floors = [], []
    for index, header in enumerate(headers):
        values = max((_width(row[index], size) for row in rows), default=CELL_PADDING)
        header_width = max(_width(line, size) for line in (
            [header] if whole_headers else _header_lines(header, size)))
        widths.append(min(values, WIDTH) if wraps[index] else max(values, header_width))
        floors.append(max(25 * mm, _widest_word([header, *(row[index] for row in rows)],
                                                size)) if wraps[index] else 0)
    fixed = sum(w for w, wrap in zip(widths, wraps, strict=True) if not wrap)
    wanted = sum(w for w, wrap in zip(widths, wraps, strict=True) if wrap)
    room = WIDTH - fixed
    if wanted <= room:  # nothing needs to wrap: the natural widths
        return widths, True, True
    return ([max(floor, room * w / wanted) if wrap else w
             for w, floor, wrap in zip(widths, floors, wraps, strict=True)],
            room >= sum(floors), False)


# Font sizes a table may take, largest first, and whether its header row stays on one line.
TABLE_SIZES = ((9, True), (8, True), (8, False), (7, False), (6.5, False))
SMALLEST_UNWRAPPED = 8  # the font shrinks to this size to keep names on one line, no further


def _layout(headers, rows, wraps):
    """(font size, column widths): the largest size at which no text wraps (a name such as
    農林水産物・食品の輸出額 broken over two lines reads as two words), down to 8 points;
    failing that, the largest at which the unbroken columns fit (the font shrinks to 6.5
    points), the text columns wrapping in the room left."""
    layouts = [(size, *_column_widths(headers, rows, wraps, size, whole_headers))
               for size, whole_headers in TABLE_SIZES]
    unwrapped = [(size, widths) for size, widths, _fits, whole in layouts
                 if whole and size >= SMALLEST_UNWRAPPED]
    fitting = [(size, widths) for size, widths, fits, _whole in layouts if fits]
    return (unwrapped or fitting or [layouts[-1][:2]])[0]


def _table(headers, rows, wraps=None):
    """A table whose columns fit their content; the header row repeats on each page. The font
    shrinks (9 to 6.5 points) until the unbroken columns fit across the page."""
    headers = [str(header) for header in headers]
    rows = [[str(value) for value in row] for row in rows]
    wraps = wraps or [False] * len(headers)
    size, widths = _layout(headers, rows, wraps)
    wrapping, whole = _cell_styles(size)
    header_style = ParagraphStyle(f"header{size}", parent=wrapping)
    cells = [[_header(header, width, size, header_style)
              for header, width in zip(headers, widths, strict=True)]]
    cells += [[_cell(value, wrapping if wrap else whole, size) for value, wrap in
               zip(row, wraps, strict=True)] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING / 2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING / 2),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7"))])
    return table


def _cell(value, style, size):
    """A cell's paragraph; a name indented by full-width spaces (an initiative below another,
    tables.INDENT) is indented by as many ems, since a paragraph drops leading spaces."""
    text = value.lstrip(tables.INDENT)
    if text == value:
        return _text(value, style)
    depth = len(value) - len(text)
    return _text(text, ParagraphStyle(f"{style.name}-indent{depth}", parent=style,
                                      leftIndent=depth * size))


def _section_table(report, section):
    """The section's table, and under it what a reader must know to read it."""
    rows = tables.section_rows(report, section)
    if not rows:
        return [_text(_("None"))]
    return [_table([column.header for column in section.columns],
                   [[column.display(row) for column in section.columns] for row in rows],
                   [column.kind not in tables.UNBROKEN for column in section.columns]),
            *([Spacer(1, 1.5 * mm), _text(section.note)] if section.note else [])]


def _axis_font(axis, size=8):
    axis.labels.fontName, axis.labels.fontSize = FONT, size


def _health_chart(by_health):
    """Milestones by health, on a whole-number axis."""
    drawing = Drawing(120 * mm, 45 * mm, initialFontName=FONT)
    drawing.add(String(0, 41 * mm, _("Milestones by health"), fontName=FONT, fontSize=10))
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 32 * mm, 6 * mm, 80 * mm, 30 * mm  # type: ignore[assignment]
    by_health = dict(reversed(by_health.items()))  # bars are drawn bottom up: green on top
    chart.data = [list(by_health.values())]
    chart.categoryAxis.categoryNames = [labels.health_label(h) for h in by_health]
    ticks = count_ticks(max(by_health.values(), default=0))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, ticks[-1]
    chart.valueAxis.valueSteps = ticks
    chart.valueAxis.labelTextFormat = labels.number
    _axis_font(chart.categoryAxis)
    _axis_font(chart.valueAxis)
    for index, health in enumerate(by_health):
        chart.bars[(0, index)].fillColor = RAG_COLOURS[health]
    drawing.add(chart)
    return drawing


def _lines(title, x_labels, series, ticks):
    """A line chart over labelled points ("" leaves a point unlabelled): `series` is
    (name, colour, [y or None]); the y axis marked at `ticks`, from 0 to the last."""
    drawing = Drawing(125 * mm, 62 * mm, initialFontName=FONT)
    drawing.add(String(0, 58 * mm, title, fontName=FONT, fontSize=10))
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 14 * mm, 10 * mm, 80 * mm, 42 * mm  # type: ignore[assignment]
    positions = list(range(len(x_labels)))
    plot.data = [[(x, y) for x, y in zip(positions, values, strict=True) if y is not None]
                 or [(0, 0)] for _name, _colour, values in series]
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, max(len(x_labels) - 1, 1)
    plot.xValueAxis.valueSteps = [i for i, label in enumerate(x_labels) if label]
    plot.xValueAxis.labelTextFormat = lambda x: x_labels[int(round(x))]
    plot.yValueAxis.valueMin = 0
    plot.yValueAxis.valueMax, plot.yValueAxis.valueSteps = ticks[-1], ticks
    plot.yValueAxis.labelTextFormat = labels.number
    _axis_font(plot.xValueAxis, 7)
    _axis_font(plot.yValueAxis)
    for index, (name, colour, _values) in enumerate(series):
        plot.lines[index].strokeColor = colors.HexColor(colour)
        plot.lines[index].strokeWidth = 1.5
        y = (50 - 6 * index) * mm
        drawing.add(Line(98 * mm, y + 1.2 * mm, 104 * mm, y + 1.2 * mm,
                         strokeColor=colors.HexColor(colour), strokeWidth=1.5))
        drawing.add(String(105 * mm, y, name, fontName=FONT, fontSize=8))
    drawing.add(plot)
    return drawing


def _burn_up(points):
    highest = max((value for p in points for value in (p["planned"], p["done"])
                   if value is not None), default=0)  # no "done" after the report date
    return _lines(_("Burn-up (cumulative milestones)"), month_labels(points, most=9),
                  [(pgettext("burn-up", "Planned"), "#1565c0", [p["planned"] for p in points]),
                   (_("Done"), "#2e7d32", [p["done"] for p in points])], count_ticks(highest))


def _kpi_chart(kpi):
    paths = kpi_paths(kpi)
    if paths is None:
        return None
    years, measured, required, projected = paths
    return _lines(kpi_title(kpi), [labels.year(year) for year in years],
                  [(_("Measured"), "#000000", measured),
                   (_("Path to target"), "#c62828", required),
                   (_("Current trend"), "#1565c0", projected)], kpi_ticks(kpi, paths))


TIMELINE_ROWS_PER_PAGE = 22


def _fitted(text, width, size):
    """`text` cut (with …) to fit `width` points."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"


def _timeline(timeline):
    """The milestone timeline as on the report page (charts.milestone_timeline): a row per
    milestone, ◇ its baseline and ● its planned due date joined when it slipped, its state in
    words, a dashed line at the report date, months labelled; a drawing per page."""
    if not timeline or not timeline["milestones"]:
        return []
    first, last, months = charts.timeline_axis(timeline, most=12)
    rows = timeline["milestones"]
    label_width, state_width, row_height, top, bottom = 78 * mm, 32 * mm, 6 * mm, 16 * mm, 8 * mm
    span = max((last - first).days, 1)
    grey = colors.HexColor("#5f5f5f")

    def x(day):
        return label_width + (WIDTH - label_width - state_width) * (
            labels.as_date(day) - first).days / span

    drawings = []
    for start in range(0, len(rows), TIMELINE_ROWS_PER_PAGE):
        chunk = rows[start:start + TIMELINE_ROWS_PER_PAGE]
        height = top + len(chunk) * row_height + bottom
        drawing = Drawing(WIDTH, height, initialFontName=FONT)
        drawing.add(String(0, height - 5 * mm, charts.timeline_title(), fontName=FONT,
                           fontSize=10))
        legend_y, offset = height - 11 * mm, 0.0
        for mark, name in ((None, _("Baseline due date")),
                           ("open", _("Planned due date")), ("done", labels.status_label("done")),
                           ("overdue", _("Overdue"))):
            if mark is None:
                drawing.add(_pdf_diamond(offset + 2 * mm, legend_y + 1 * mm, grey, 1.8 * mm))
            else:
                drawing.add(Circle(offset + 2 * mm, legend_y + 1 * mm, 1.3 * mm,
                                   fillColor=colors.HexColor(charts.TIMELINE_COLOURS[mark]),
                                   strokeColor=None))
            drawing.add(String(offset + 5 * mm, legend_y, str(name), fontName=FONT,
                               fontSize=8))
            offset += 9 * mm + pdfmetrics.stringWidth(str(name), FONT, 8)
        plot_top, plot_bottom = height - top + 2 * mm, bottom
        for month, name in months:
            if name:
                drawing.add(Line(x(month), plot_bottom, x(month), plot_top,
                                 strokeColor=colors.lightgrey, strokeWidth=0.4))
                drawing.add(String(x(month), plot_bottom - 4 * mm, name, fontName=FONT,
                                   fontSize=7, textAnchor="middle"))
        for index, row in enumerate(chunk):
            y = height - top - (index + 0.5) * row_height
            planned, baseline = x(row["planned_due_on"]), x(row["baseline_due_on"])
            drawing.add(String(0, y - 1 * mm, _fitted(row["title_ja"], label_width - 3 * mm, 8),
                               fontName=FONT, fontSize=8))
            if row["slip_days"]:
                drawing.add(Line(baseline, y, planned, y, strokeColor=grey, strokeWidth=0.8,
                                 strokeDashArray=[2, 1.5]))
            drawing.add(_pdf_diamond(baseline, y, grey))
            drawing.add(Circle(planned, y, 1.3 * mm, strokeColor=None, fillColor=colors.HexColor(
                charts.TIMELINE_COLOURS[charts.timeline_state(row)])))
            drawing.add(String(WIDTH - state_width + 3 * mm, y - 1 * mm,
                               charts.timeline_state_label(row), fontName=FONT, fontSize=8))
        today = x(timeline["as_of"])
        drawing.add(Line(today, plot_bottom, today, plot_top + 1 * mm,
                         strokeColor=colors.HexColor(charts.TIMELINE_COLOURS["overdue"]),
                         strokeWidth=1, strokeDashArray=[3, 2]))
        drawing.add(String(today + 1 * mm, plot_top + 0.5 * mm,
                           charts.timeline_today_label(timeline), fontName=FONT, fontSize=7))
        drawings.append(drawing)
    return [CondPageBreak(60 * mm), *drawings]


def _pdf_diamond(x, y, colour, size=2.4 * mm):
    return Polygon([x, y + size, x + size, y, x, y - size, x - size, y], fillColor=None,
                   strokeColor=colour, strokeWidth=0.8)


def _side_by_side(*flowables):
    row = [flowable for flowable in flowables if flowable is not None]
    if not row:
        return Spacer(1, 0)
    table = Table([row], colWidths=[WIDTH / 2] * len(row), hAlign="LEFT")
    table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    return table


def _title_page(report):
    counts = report["milestones"]
    figures = [(_("Milestones"), labels.milestone_count(counts["total"])),
               (_("Average completion"), labels.percent(counts["percent_complete"])),
               (_("Overdue"), labels.milestone_count(counts["overdue"])),
               (_("Due in the next 30 days"), labels.milestone_count(counts["due_soon"])),
               (_("Slipped against baseline"),
                labels.milestone_count(counts["slipped"]["count"]))]
    figure_style = ParagraphStyle("figure", fontName=FONT, fontSize=16, leading=20)
    headline = Table([[_text(name) for name, _figure in figures],
                      [_text(figure, figure_style) for _name, figure in figures]],
                     colWidths=[WIDTH / len(figures)] * len(figures), hAlign="LEFT")
    headline.setStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.grey),
                       ("INNERGRID", (0, 0), (-1, -1), 0.3, colors.lightgrey),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7"))])
    rag = Table([[_text(f"{labels.health_label(health)}  {labels.milestone_count(n)}",
                        figure_style) for health, n in counts["by_health"].items()]],
                colWidths=[WIDTH / 3] * len(counts["by_health"]), hAlign="LEFT")
    rag.setStyle([("BACKGROUND", (i, 0), (i, 0), RAG_COLOURS[health].clone(alpha=0.25))
                  for i, health in enumerate(counts["by_health"])]
                 + [("BOX", (0, 0), (-1, -1), 0.5, colors.grey)])
    kpis = [kpi for kpi in report["kpis"] if tables.measured(kpi)]
    story = [Spacer(1, 18 * mm), _text(_("Progress report"), TITLE),
             _text(tables.scope_name(report), SUBTITLE),
             _text(_("As of %(day)s") % {"day": labels.day(report["as_of"])}, SUBTITLE),
             *([_text(note)] if (note := tables.as_of_note(report, today())) else []),
             Spacer(1, 10 * mm), headline, Spacer(1, 6 * mm),
             _text(_("Milestones by health"), HEADING), rag]
    if kpis:
        columns = [c for c in tables.KPI_COLUMNS if c.key in (
            "name_ja", "latest_value", "target_value", "target_year",
            "required_annual_growth", "observed_annual_growth", "verdict")]
        story += [_text(_("KPIs against their targets"), HEADING),
                  _table([c.header for c in columns],
                         [[c.display(kpi) for c in columns] for kpi in kpis],
                         [c.kind not in tables.UNBROKEN for c in columns])]
    return [*story, PageBreak()]


def shortened_to(text, width, size):
    """`text` as drawn in `width` points at `size`: whole where it fits, else cut with "…"
    (a long initiative's name ran into the as-of date on the same line)."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text.rstrip(" —") + "…"


class _NumberedCanvas(canvas.Canvas):
    """Pages that know how many there are: the header (scope, as-of date) and "n / m" are
    drawn once the document is complete."""

    def __init__(self, *args, header=("", ""), **kwargs):
        # Each page starts in the embedded font: the document template's default, Helvetica,
        # would be listed in the file as a font the viewer must supply.
        super().__init__(*args, **{**kwargs, "initialFontName": FONT})
        self._header = header
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]

    def save(self):
        for number, page in enumerate(self._pages, start=1):
            self.__dict__.update(page)
            self._decorate(number, len(self._pages))
            super().showPage()
        super().save()

    def _decorate(self, number, total):
        scope, as_of = self._header
        self.setFont(FONT, 8)
        self.setFillColor(colors.dimgrey)
        top = PAGE[1] - 9 * mm
        room = PAGE[0] - 2 * MARGIN - pdfmetrics.stringWidth(as_of, FONT, 8) - 6 * mm
        self.drawString(MARGIN, top, shortened_to(scope, room, 8))
        self.drawRightString(PAGE[0] - MARGIN, top, as_of)
        self.drawCentredString(PAGE[0] / 2, 8 * mm, _("Page %(number)d of %(total)d") % {
            "number": number, "total": total})


def report_pdf(report):
    out = io.BytesIO()
    title = str(_("Progress report"))
    document = SimpleDocTemplate(out, pagesize=PAGE, title=title, leftMargin=MARGIN,
                                 rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN)
    header = (f"{title} — {tables.scope_name(report)}",
              _("As of %(day)s") % {"day": labels.day(report["as_of"])})
    story = _title_page(report)
    story += [_text(_("Summary"), HEADING),
              *([_text(note), Spacer(1, 2 * mm)]
                if (note := tables.as_of_note(report, today())) else []),
              _side_by_side(_table([_("Item"), _("Value")],
                                   [(name, tables.display(kind, value))
                                    for name, value, kind in tables.summary(report)]),
                            _health_chart(report["milestones"]["by_health"])),
              _burn_up(report["burn_up"]), *_timeline(report.get("timeline"))]
    for section in tables.sections_in(report):
        story += [CondPageBreak(40 * mm), _text(section.heading(report), HEADING),
                  *_section_table(report, section)]
    if unmeasured := tables.unmeasured_line(report):
        story += [Spacer(1, 3 * mm),
                  _text(_("KPIs not measured yet") + _(": ") + unmeasured)]
    charts = [chart for kpi in report["kpis"] if (chart := _kpi_chart(kpi))]
    for index in range(0, len(charts), 2):
        story.append(KeepTogether(_side_by_side(*charts[index:index + 2])))
    document.build(story, canvasmaker=functools.partial(_NumberedCanvas, header=header))
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

