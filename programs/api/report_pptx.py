"""The report as a briefing deck (?format=pptx), 16:9: a title slide; a summary slide (RAG,
the headline figures, the KPIs against their targets with the growth they need and the
growth observed, the worst slips); then a slide per pillar (`selectors.briefing`) with its
status, figures, next milestones and KPI chart.

Everything is editable: text in text boxes and tables, the KPI chart a native PowerPoint
chart with its data inside, never a picture. Text is set in Meiryo UI (every Japanese Windows
has it) for Latin and East Asian script alike (`_typeface`). Labels and units come from
`programs.reporting`, as in the PDF and the spreadsheets. Nothing overflows its box: lists
are capped ("他 N 件") and a text longer than its box is cut with "…" (`fit`), by an
estimate of its width that errs on the wide side."""

import io
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt
from rest_framework.renderers import BaseRenderer

from tracker.spreadsheets import UNSTORABLE

from ..charts import HEALTH_COLOURS, kpi_paths, kpi_title
from ..reporting import labels, tables
from ..services.common import today

TYPEFACE = "Meiryo UI"
SLIDE_WIDTH, SLIDE_HEIGHT = 960, 540  # points: 13.33 x 7.5 inches, 16:9
MARGIN = 36
TOP, BOTTOM = 72, SLIDE_HEIGHT - 36  # where a slide's content starts and ends (the footer)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
LINE_SPACING = 1.25  # a line's height, in font sizes
BOX_PADDING = 7.2 + 7.2  # PowerPoint's default text box insets, left and right (0.1 inch)
ROW_PADDING = 3.6 * 2  # top and bottom insets of a table cell (0.05 inch each)
ELLIPSIS = "…"
HEADER_FILL = RGBColor(0xE8, 0xEE, 0xF7)
GREY = RGBColor(0x55, 0x55, 0x55)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
RAG_TEXT = {"amber": RGBColor(0, 0, 0)}  # white on amber would be hard to read
KPI_SUMMARY_ROWS = 4
VERDICT_ORDER = ("off_track", "at_risk", "on_track", "no_trend")
WRAPPING_FLOOR = 80  # points: the least a column of text gets
SMALLEST_TABLE_SIZE = 8
# The KPI chart's lines, as in the PDF and on the page: name, colour, dash.
CHART_SERIES = ((gettext_lazy("Measured"), "000000", None),
                (gettext_lazy("Path to target"), "C62828", MSO_LINE_DASH_STYLE.DASH),
                (gettext_lazy("Current trend"), "1565C0", MSO_LINE_DASH_STYLE.ROUND_DOT))


def _rgb(hex_colour):
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def text_width(text, size):
    """An upper estimate of how wide `text` is set in `size` points: a full-width (Japanese)
    character is one em, a capital at most 0.75 em, any other at most 0.62 em."""
    return sum(size if unicodedata.east_asian_width(char) in "WFA"
               else 0.75 * size if char.isupper() else 0.62 * size for char in str(text))


def lines_needed(text, width, size):
    """How many lines `text` takes in a box `width` points wide: a line that wraps may break
    early (before a word), so each wrapped line is allowed an em of slack."""
    total = 0
    for line in str(text).split("\n"):
        wide = text_width(line, size)
        lines = max(1, -(-int(wide) // int(width)))
        if lines > 1:
            lines = -(-int(wide + lines * size) // int(width))
        total += lines
    return total


def fit(text, width, size, lines=1):
    """`text` as it fits `lines` lines of `width` points: cut with "…" when it does not."""
    text = _clean(text)
    if lines_needed(text, width, size) <= lines:
        return text
    while text and lines_needed(text + ELLIPSIS, width, size) > lines:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def fitting_size(texts, width, size, smallest, lines=lambda size: 1):
    """The largest size from `size` down to `smallest` (in steps of one point) at which each
    of `texts` fits the `lines(size)` lines of `width` points; `smallest` if none does."""
    while size > smallest and any(lines_needed(_clean(text), width, size) > lines(size)
                                  for text in texts):
        size -= 1
    return size


def _clean(value):
    """Text XML can hold: control characters and lone surrogates become U+FFFD."""
    text = "" if value is None else str(value)
    return UNSTORABLE.sub("\N{REPLACEMENT CHARACTER}", text).encode(
        "utf-8", "replace").decode()


def _typeface(font):
    """Meiryo UI for Latin and for Japanese (the East Asian face, which python-pptx does
    not set itself)."""
    font.name = TYPEFACE
    properties = font._rPr
    east_asian = properties.find(qn("a:ea"))
    if east_asian is None:
        east_asian = properties.makeelement(qn("a:ea"), {})
        properties.find(qn("a:latin")).addnext(east_asian)
    east_asian.set("typeface", TYPEFACE)


def _style(font, size, bold=False, colour=None):
    _typeface(font)
    font.size, font.bold = Pt(size), bold
    if colour is not None:
        font.color.rgb = colour


def _write(text_frame, paragraphs, size, bold=False, colour=None, align=None):
    """`paragraphs` into `text_frame` in the deck's face: each a string (in `size`) or a
    (string, size) pair."""
    text_frame.word_wrap = True
    for index, text in enumerate(paragraphs):
        text, text_size = text if isinstance(text, tuple) else (text, size)
        paragraph = text_frame.paragraphs[0] if index == 0 else text_frame.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        run = paragraph.add_run()
        run.text = text
        _style(run.font, text_size, bold, colour)


def _text_box(slide, x, y, width, height, paragraphs, size, bold=False, colour=None,
              align=None, smallest=None):
    """A text box whose paragraphs share the lines its height holds (one each at least),
    set from `size` down to `smallest` points until they fit, and cut if they still do not."""
    shape = slide.shapes.add_textbox(Pt(x), Pt(y), Pt(width), Pt(height))

    def lines_each(size):
        lines = max(1, int((height - ROW_PADDING) // (size * LINE_SPACING)))
        return max(1, lines // max(len(paragraphs), 1))

    if smallest is not None:
        size = fitting_size(paragraphs, width - BOX_PADDING, size, smallest, lines_each)
    each = lines_each(size)
    _write(shape.text_frame, [fit(text, width - BOX_PADDING, size, each)
                              for text in paragraphs],
           size, bold, colour, align)
    return shape


def column_widths(headers, rows, wraps, width, size):
    """Each column that must not wrap (a date, a figure, a code, a label) as wide as its
    widest value, and as half its header (which may take two lines); the wrapping columns
    share the rest by how much text they hold. None when the unbroken ones leave the
    wrapping ones less than WRAPPING_FLOOR each."""
    natural = []
    for index, header in enumerate(headers):
        widest = max((text_width(_clean(row[index]), size) for row in rows), default=0)
        natural.append(max(widest, text_width(header, size) / 2 + size) + BOX_PADDING + 1)
    fixed = sum(w for w, wrap in zip(natural, wraps, strict=True) if not wrap)
    wanted = sum(w for w, wrap in zip(natural, wraps, strict=True) if wrap)
    room = width - fixed
    if room < WRAPPING_FLOOR * sum(wraps) or (not any(wraps) and room < 0):
        return None
    if not any(wraps):  # the spare room to every column, by its width
        return [w * width / fixed for w in natural]
    return [max(WRAPPING_FLOOR, room * w / wanted) if wrap else w
            for w, wrap in zip(natural, wraps, strict=True)]


def _table(slide, x, y, width, headers, rows, wraps, size=11, lines=1):
    """A table of `rows` (text) under `headers`: the columns whose `wraps` is false never
    break a value (their width is their widest value's, the font shrinking down to
    SMALLEST_TABLE_SIZE until they fit); the others wrap, cut to `lines` lines, so that each
    row is as high as planned. Returns the shape and its height."""
    headers = [_clean(header) for header in headers]
    rows = [[_clean(value) for value in row] for row in rows]
    while (widths := column_widths(headers, rows, wraps, width, size)) is None \
            and size > SMALLEST_TABLE_SIZE:
        size -= 1
    widths = widths or [width / len(headers)] * len(headers)
    header_lines = min(2, max(lines_needed(header, w - BOX_PADDING, size)
                              for header, w in zip(headers, widths, strict=True)))
    row_height = size * LINE_SPACING * lines + ROW_PADDING
    header_height = size * LINE_SPACING * header_lines + ROW_PADDING
    height = header_height + row_height * len(rows)
    shape = slide.shapes.add_table(len(rows) + 1, len(headers), Pt(x), Pt(y), Pt(width),
                                   Pt(height))
    table = shape.table
    for index, column_width in enumerate(widths):
        table.columns[index].width = Pt(column_width)
    table.rows[0].height = Pt(header_height)
    for row in list(table.rows)[1:]:
        row.height = Pt(row_height)
    for row_index, values in enumerate([headers, *rows]):
        header = row_index == 0
        for column_index, value in enumerate(values):
            cell = table.cell(row_index, column_index)
            cell.margin_top = cell.margin_bottom = Pt(ROW_PADDING / 2)
            cell.vertical_anchor = MSO_ANCHOR.TOP
            cell.text_frame.word_wrap = True
            run = cell.text_frame.paragraphs[0].add_run()
            run.text = fit(value, widths[column_index] - BOX_PADDING, size,
                           header_lines if header else lines)
            _style(run.font, size, bold=header, colour=RGBColor(0, 0, 0))
            cell.fill.solid()
            cell.fill.fore_color.rgb = HEADER_FILL if header else WHITE
    return shape, height


def _column_table(slide, x, y, width, columns, rows, size=10, lines=1):
    """A table of report rows in `columns` (programs.reporting.tables): text wraps, every
    other kind of value stays whole."""
    return _table(slide, x, y, width, [str(c.header) for c in columns],
                  [[c.display(row) for c in columns] for row in rows],
                  [c.kind not in tables.UNBROKEN for c in columns], size, lines)


def more(count):
    """The line under a capped list: 他 3 件."""
    return ngettext("and %(count)s more", "and %(count)s more", count) % {
        "count": labels.number(count)}


def _capped(rows, total, most):
    """The first `most` rows, and how many more there are."""
    return rows[:most], max(total - min(len(rows), most), 0)


class Deck:
    """The slides of one report, each with the scope, as-of date and page in its footer."""

    def __init__(self, report):
        self.report = report
        self.presentation = Presentation()
        self.presentation.slide_width = Pt(SLIDE_WIDTH)
        self.presentation.slide_height = Pt(SLIDE_HEIGHT)
        self.blank = self.presentation.slide_layouts[6]
        self.as_of = _("As of %(day)s") % {"day": labels.day(report["as_of"])}
        self.kpis = {kpi["id"]: kpi for kpi in report["kpis"]}

    def slide(self, title):
        slide = self.presentation.slides.add_slide(self.blank)
        _text_box(slide, MARGIN, 18, CONTENT_WIDTH, TOP - 22, [title], 24, bold=True,
                  smallest=16)
        return slide

    def footers(self):
        slides = self.presentation.slides
        scope = f"{_('Progress report')} — {tables.scope_name(self.report)}"
        for number, slide in enumerate(slides, start=1):
            page = _("Page %(number)d of %(total)d") % {"number": number, "total": len(slides)}
            width = (CONTENT_WIDTH - 160) / 2
            _text_box(slide, MARGIN, BOTTOM + 6, width, 22, [scope], 9, colour=GREY)
            _text_box(slide, MARGIN + width, BOTTOM + 6, 160, 22, [page], 9,
                      colour=GREY, align=PP_ALIGN.CENTER)
            _text_box(slide, MARGIN + width + 160, BOTTOM + 6, width, 22,
                      [self.as_of], 9, colour=GREY, align=PP_ALIGN.RIGHT)

    def title_slide(self):
        slide = self.presentation.slides.add_slide(self.blank)
        _text_box(slide, MARGIN + 24, 150, CONTENT_WIDTH - 48, 60, [_("Progress briefing")], 36,
                  bold=True)
        _text_box(slide, MARGIN + 24, 220, CONTENT_WIDTH - 48, 80,
                  [tables.scope_name(self.report)], 24)
        _text_box(slide, MARGIN + 24, 310, CONTENT_WIDTH - 48, 36, [self.as_of], 18,
                  colour=GREY)
        if note := tables.as_of_note(self.report, today()):
            _text_box(slide, MARGIN + 24, 350, CONTENT_WIDTH - 48, 40, [note], 12, smallest=9,
                      colour=GREY)

    def rag(self, slide, x, y, width, by_health):
        """One coloured box per health with its count of milestones."""
        each = width / len(by_health)
        for index, (health, count) in enumerate(by_health.items()):
            box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Pt(x + index * each), Pt(y),
                                         Pt(each - 6), Pt(48))
            box.fill.solid()
            box.fill.fore_color.rgb = _rgb(HEALTH_COLOURS[health])
            box.line.fill.background()
            room = each - 6 - BOX_PADDING
            label = labels.health_label(health)
            size = fitting_size([label], room, 11, smallest=8)
            _write(box.text_frame, [(fit(label, room, size), size),
                                    (fit(labels.milestone_count(count), room, 14), 14)],
                   12, bold=True, colour=RAG_TEXT.get(health, WHITE), align=PP_ALIGN.CENTER)

    def summary_slide(self):
        counts = self.report["milestones"]
        slide = self.slide(_("Summary"))
        self.rag(slide, MARGIN, 76, CONTENT_WIDTH, counts["by_health"])
        left = 290
        figures = [(_("Milestones"), labels.milestone_count(counts["total"])),
                   (_("Average completion"), labels.percent(counts["percent_complete"])),
                   (_("Overdue"), labels.milestone_count(counts["overdue"])),
                   (_("Due in the next 30 days"), labels.milestone_count(counts["due_soon"])),
                   (_("Slipped against baseline"),
                    labels.milestone_count(counts["slipped"]["count"])),
                   (_("Worst slip"), labels.day_count(counts["slipped"]["worst_days"]))]
        _table(slide, MARGIN, TOP + 60, left, [_("Item"), _("Value")], figures, [True, False],
               size=12)
        right = MARGIN + left + 24
        width = SLIDE_WIDTH - MARGIN - right
        y = self.kpi_table(slide, right, TOP + 60, width)
        self.slips_table(slide, right, y + 14, width)

    def kpi_table(self, slide, x, y, width):
        columns = [c for c in tables.KPI_COLUMNS if c.key in (
            "name_ja", "latest_value", "target_value", "target_year",
            "required_annual_growth", "observed_annual_growth", "verdict")]
        kpis = self.by_urgency(kpi for kpi in self.report["kpis"] if tables.measured(kpi))
        _text_box(slide, x, y, width, 24, [_("KPIs against their targets")], 13, bold=True)
        if not kpis:
            _text_box(slide, x, y + 26, width, 22, [_("None")], 11)
            return y + 50
        shown, hidden = _capped(kpis, len(kpis), KPI_SUMMARY_ROWS)
        _shape, height = _column_table(slide, x, y + 26, width, columns, shown, lines=2)
        y += 26 + height
        if hidden:
            _text_box(slide, x, y, width, 20, [more(hidden)], 10, colour=GREY)
            y += 20
        return y

    def slips_table(self, slide, x, y, width):
        open_slips = self.report["briefing"]["open_slips"]
        slips = open_slips["worst"]
        _text_box(slide, x, y, width, 24, [_("Open milestones furthest behind their baseline")],
                  13, bold=True)
        if not slips:
            _text_box(slide, x, y + 26, width, 22, [_("None")], 11)
            return
        columns = [c for c in tables.MILESTONE_COLUMNS if c.key in (
            "title_ja", "initiative", "planned_due_on", "slip_days", "status")]
        # As many rows as fit above the footer, below a header of up to two lines and the
        # "他 N 件" line.
        room = BOTTOM - (y + 26) - (20 + ROW_PADDING) - 20
        most = max(1, int(room // (10 * LINE_SPACING + ROW_PADDING)))
        shown, hidden = _capped(slips, open_slips["count"], most)
        _shape, height = _column_table(slide, x, y + 26, width, columns, shown)
        if hidden:
            _text_box(slide, x, y + 26 + height, width, 20, [more(hidden)], 10, colour=GREY)

    def pillar_slide(self, pillar):
        slide = self.slide(f"{pillar['code']}  {pillar['name_ja']}")
        figures = [(_("Initiative status"), labels.initiative_status_label(pillar["status"])),
                   (_("Health"), labels.health_label(pillar["health"])),
                   (_("Milestones"), labels.milestone_count(pillar["total"])),
                   (_("Average completion"), labels.percent(pillar["percent_complete"])),
                   (_("Overdue"), labels.milestone_count(pillar["overdue"]))]
        _table(slide, MARGIN, TOP + 4, CONTENT_WIDTH, [name for name, _value in figures],
               [[value for _name, value in figures]], [False] * len(figures), size=12)
        left = 430
        _text_box(slide, MARGIN, TOP + 60, left, 24, [_("Milestones by health")], 13,
                  bold=True)
        self.rag(slide, MARGIN, TOP + 86, left, pillar["by_health"])
        self.next_milestones(slide, MARGIN, TOP + 146, left, pillar)
        self.pillar_kpis(slide, MARGIN + left + 24, TOP + 60, CONTENT_WIDTH - left - 24,
                         pillar)

    def next_milestones(self, slide, x, y, width, pillar):
        _text_box(slide, x, y, width, 24, [_("Next milestones")], 13, bold=True)
        milestones = pillar["next_milestones"]
        if not milestones:
            _text_box(slide, x, y + 26, width, 22, [_("None")], 11)
            return
        columns = [c for c in tables.MILESTONE_COLUMNS if c.key in (
            "planned_due_on", "title_ja", "status", "health")]
        columns = [columns[1], columns[0], *columns[2:]]  # the date first
        _shape, height = _column_table(slide, x, y + 26, width, columns, milestones, lines=2)
        if hidden := pillar["upcoming"] - len(milestones):
            _text_box(slide, x, y + 26 + height, width, 20, [more(hidden)], 10, colour=GREY)

    def pillar_kpis(self, slide, x, y, width, pillar):
        kpis = self.by_urgency(self.kpis[kpi_id] for kpi_id in pillar["kpis"])
        charted = next((kpi for kpi in kpis if kpi_paths(kpi) is not None), None)
        if charted is not None:
            self.kpi_chart(slide, x, y, width, 236, charted)
            growth = [f"{c.header}{_(': ')}{c.display(charted)}" for c in tables.KPI_COLUMNS
                      if c.key in ("required_annual_growth", "observed_annual_growth")
                      and c.value(charted) is not None]
            caption = [self.kpi_line(charted), "　".join(growth)]
            _text_box(slide, x, y + 238, width, 2 * 10 * LINE_SPACING + ROW_PADDING + 2,
                      caption, 10)
            y += 238 + 44
        others = [kpi for kpi in kpis if kpi is not charted]
        if not kpis:
            _text_box(slide, x, y, width, 24, [_("KPIs")], 13, bold=True)
            _text_box(slide, x, y + 26, width, 22, [_("None")], 11)
            return
        if not others:
            return
        _text_box(slide, x, y, width, 22, [_("Other KPIs")], 12, bold=True)
        room = BOTTOM - (y + 24) - ROW_PADDING - 2
        most = max(1, int(room // (10 * LINE_SPACING)) - 1)
        shown, hidden = _capped(others, len(others), most)
        lines = [self.kpi_line(kpi) for kpi in shown] + ([more(hidden)] if hidden else [])
        _text_box(slide, x, y + 24, width, (len(lines)) * 10 * LINE_SPACING + ROW_PADDING + 2,
                  lines, 10)

    @staticmethod
    def by_urgency(kpis):
        """The KPIs furthest from their targets first (by code among equals)."""
        return sorted(kpis, key=lambda kpi: VERDICT_ORDER.index(kpi["verdict"]))

    @staticmethod
    def kpi_line(kpi):
        """A KPI in a line: its latest figure against its target and the verdict, or what is
        known of one not measured yet."""
        if not tables.measured(kpi):
            return next(str(entry) for entry in tables.unmeasured_kpis({"kpis": [kpi]}))
        figures = {"name": kpi["name_ja"],
                   "latest": labels.quantity(kpi["latest_value"], kpi["unit"]),
                   "verdict": labels.verdict_label(kpi["verdict"])}
        if kpi["target_value"] is None:
            return _("%(name)s: %(latest)s (%(verdict)s)") % figures
        return _("%(name)s: %(latest)s, target %(target)s (%(verdict)s)") % {
            **figures, "target": labels.quantity(kpi["target_value"], kpi["unit"])}

    @staticmethod
    def kpi_chart(slide, x, y, width, height, kpi):
        """The KPI's measured path, the path its target needs and its current trend: a
        native line chart, its figures in the unit its title names."""
        years, *paths = kpi_paths(kpi)
        data = CategoryChartData(number_format="#,##0.##")
        data.categories = [labels.year(year) for year in years]
        for (name, _colour, _dash), values in zip(CHART_SERIES, paths, strict=True):
            data.add_series(str(name), [None if v is None else round(v, 4) for v in values])
        chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Pt(x), Pt(y), Pt(width),
                                       Pt(height), data).chart
        _style(chart.font, 10)
        chart.has_title = True
        title = chart.chart_title.text_frame
        title.text = fit(kpi_title(kpi), width - 20, 12, 2)
        _style(title.paragraphs[0].runs[0].font, 12, bold=True)
        chart.has_legend = True
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
        axis = chart.value_axis
        axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = (
            "#,##0.##", False)
        axis.has_major_gridlines = True
        for series, (_name, colour, dash) in zip(chart.plots[0].series, CHART_SERIES,
                                                 strict=True):
            series.smooth = False
            series.format.line.color.rgb = _rgb(colour)
            series.format.line.width = Pt(2)
            if dash is not None:
                series.format.line.dash_style = dash
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = _rgb(colour)


def report_pptx(report):
    """The deck of a report that carries its `briefing` (selectors.briefing)."""
    deck = Deck(report)
    deck.title_slide()
    deck.summary_slide()
    for pillar in report["briefing"]["pillars"]:
        deck.pillar_slide(pillar)
    deck.footers()
    out = io.BytesIO()
    deck.presentation.save(out)
    return out.getvalue()


class PPTXReportRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    format = "pptx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if "milestones" not in (data or {}):
            return str(data).encode()
        return report_pptx(data)
