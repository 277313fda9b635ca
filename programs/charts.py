"""The report's charts as plain SVG: drawn on the server, no script and no internet needed,
printable, with Japanese labels. Each function takes report data and returns markup: a
figure holding the chart and, for those who cannot see it, its data as a table.

Colours come from static CSS (programs/report.css) through the classes of the drawing, so that
the admin's dark mode recolours them (the Content-Security-Policy allows no inline style); the
presentation attributes are what a chart shows without that style sheet."""

import math
from datetime import timedelta

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .reporting import labels

FONT = ("'Noto Sans CJK JP', 'Noto Sans JP', 'IPAexGothic', 'IPAGothic', 'Hiragino Sans', "
        "Meiryo, sans-serif")
HEALTH_COLOURS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828"}


def _svg(width, height, body, title):
    # Every text in `body` went through escape() where it was drawn.
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'font-family="{FONT}" font-size="12"><title>{escape(title)}</title>{body}</svg>')


def _title(title):
    return f'<text class="chart-title" x="0" y="16" font-weight="bold">{escape(title)}</text>'


def _figure(svg, title, headers, rows, note=""):
    """The chart, then its data as a table (WCAG 1.1.1), folded away under its title so that
    the page stays short."""
    head = "".join(f'<th scope="col">{escape(header)}</th>' for header in headers)
    body = "".join("<tr>" + "".join(
        f'<th scope="row">{escape(cell)}</th>' if index == 0 else f"<td>{escape(cell)}</td>"
        for index, cell in enumerate(row)) + "</tr>" for row in rows)
    summary = _("%(chart)s: the data as a table") % {"chart": title}
    note = f'<p class="chart-note">{escape(note)}</p>' if note else ""
    return mark_safe(  # nosec B308 B703: every text above went through escape()
        f'<figure class="report-figure">{svg}{note}<details class="chart-data">'
        f"<summary>{escape(summary)}</summary><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></details></figure>")


def count_ticks(highest, most=5):
    """Whole-number ticks from 0 to at least `highest`, at most `most` + 1 of them: a count
    axis never shows half a milestone, and 11 milestones end at 12, not 12.1."""
    step = max(1, math.ceil(highest / most))
    return list(range(0, step * math.ceil(max(highest, 1) / step) + 1, step))


def value_ticks(highest, most=5):
    """Round ticks from 0 to at least `highest`, at most `most` + 1 of them, 1, 2 or 5
    times a power of ten apart: a KPI whose target is 5 gets 0, 1 … 5, one of 17.7 gets
    0, 5 … 20, never 0 and 5.5."""
    if highest <= 0:
        return [0, 1]
    power = 10 ** math.floor(math.log10(highest / most))
    step = next(power * factor for factor in (1, 2, 5, 10)
                if power * factor * most >= highest * (1 - 1e-9))
    ticks = [step * index for index in range(math.ceil(highest / step - 1e-9) + 1)]
    return [int(tick) if float(tick).is_integer() else round(tick, 10) for tick in ticks]


def health_bars(by_health, title=None):
    title = title or _("Milestones by health")
    width, bar_height, label_width = 460, 26, 130
    total = max(sum(by_health.values()), 1)
    rows = []
    for index, (health, count) in enumerate(by_health.items()):
        y = 30 + index * (bar_height + 10)
        length = (width - label_width - 60) * count / total
        rows.append(
            f'<text x="0" y="{y + 17}">{escape(labels.health_label(health))}</text>'
            f'<rect class="chart-{health}" x="{label_width}" y="{y}" width="{length:.1f}" '
            f'height="{bar_height}" fill="{HEALTH_COLOURS.get(health, "#888")}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 17}">{count}</text>')
    height = 30 + len(by_health) * (bar_height + 10)
    svg = _svg(width, height, _title(title) + "".join(rows), title)
    return _figure(svg, title, [_("Health"), _("Milestones")],
                   [(labels.health_label(health), labels.milestone_count(count))
                    for health, count in by_health.items()])


def _line_chart(series, x_labels, title, ticks, width=560, height=260):
    """Lines on a shared y axis marked at `ticks` (from 0 up, the last one the axis's top).
    `series`: (name, kind, colour, dash, [value or None]), kind naming its style
    (chart-<kind>). Returns the SVG alone."""
    left, right, top, bottom = 50, 130, 30, 40
    top_value = ticks[-1]
    x_step = (width - left - right) / max(len(x_labels) - 1, 1)

    def x(i):
        return left + i * x_step

    def y(v):
        return top + (height - top - bottom) * (1 - v / top_value)

    body = [_title(title),
            f'<line class="chart-axis" x1="{left}" y1="{height - bottom}" x2="{width - right}" '
            f'y2="{height - bottom}" stroke="#767676"/>',
            f'<line class="chart-axis" x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" '
            f'stroke="#767676"/>']
    body += [f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
             f'{escape(labels.number(tick))}</text>' for tick in ticks]
    body += [f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
             f'font-size="10">{escape(str(label))}</text>'
             for i, label in enumerate(x_labels) if label]
    for index, (name, kind, colour, dash, points) in enumerate(series):
        coordinates = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(points)
                               if v is not None)
        if coordinates:
            body.append(f'<polyline class="chart-{kind}" points="{coordinates}" fill="none" '
                        f'stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>')
        legend_y = top + 16 * index
        body.append(f'<line class="chart-{kind}" x1="{width - right + 10}" y1="{legend_y}" '
                    f'x2="{width - right + 30}" y2="{legend_y}" stroke="{colour}" '
                    f'stroke-width="2" stroke-dasharray="{dash}"/>'
                    f'<text x="{width - right + 34}" y="{legend_y + 4}">{escape(name)}</text>')
    return _svg(width, height, "".join(body), title)


def _series_table(series, row_labels, number):
    """A line chart's data: a row per point, a column per series."""
    return [(label, *(number(points[i]) for *_style, points in series))
            for i, label in enumerate(row_labels)]


def month_labels(points, most=7):
    """Labels for a monthly time axis: at most `most` of them, evenly spaced so that they
    never overlap ("" for a month left unlabelled), with the year on the first one shown and
    whenever it changes: 2025年7月, 10月, 2026年1月 …"""
    every = max(math.ceil(len(points) / most), 1)
    shown, last_year = [], None
    for index, point in enumerate(points):
        if index % every:
            shown.append("")
            continue
        year = point["month"][:4]
        shown.append(labels.month(point["month"], short=year == last_year))
        last_year = year
    return shown


def burn_up(points, title=None):
    title = title or _("Burn-up (cumulative milestones)")
    series = [(pgettext("burn-up", "Planned"), "planned", "#1565c0", "6 3",
               [p["planned"] for p in points]),
              (_("Done"), "done", "#2e7d32", "", [p["done"] for p in points])]
    done = [value for *_style, points in series for value in points if value is not None]
    svg = _line_chart(series, month_labels(points), title, count_ticks(max(done, default=0)))
    return _figure(svg, title, [_("Month"), *(name for name, *_style in series)],
                   _series_table(series, [labels.month(p["month"]) for p in points],
                                 labels.number))


def kpi_paths(kpi):
    """Years and three paths: measured, the path the target requires, the observed trend."""
    measured = {int(str(m["period_on"])[:4]): float(m["value"]) for m in kpi["measurements"]}
    start_year = min([*measured, kpi.get("baseline_year") or 9999])
    end_year = kpi.get("target_year")
    if not measured or not end_year or start_year > end_year:
        return None
    years = list(range(start_year, end_year + 1))
    last_year, last_value = max(measured), measured[max(measured)]
    required = kpi.get("required_annual_growth")
    observed = kpi.get("observed_annual_growth")

    def path(growth):
        if growth is None:
            return [None] * len(years)
        return [last_value * (1 + growth) ** (year - last_year) if year >= last_year else None
                for year in years]

    return years, [measured.get(year) for year in years], path(required), path(observed)


def kpi_ticks(kpi, paths):
    """The ticks of a KPI chart's value axis: round numbers up to the highest value drawn or
    the target, whichever is higher, so that the target has a tick at or above it."""
    _years, *lines = paths
    values = [float(value) for line in lines for value in line if value is not None]
    if kpi.get("target_value") is not None:
        values.append(float(kpi["target_value"]))
    return value_ticks(max(values, default=0))


def kpi_trajectory(kpi):
    paths = kpi_paths(kpi)
    if paths is None:
        return ""
    years, measured, required, projected = paths
    title = kpi_title(kpi)
    series = [(_("Measured"), "measured", "#000", "", measured),
              (_("Path to target"), "required", "#c62828", "6 3", required),
              (_("Current trend"), "trend", "#1565c0", "2 3", projected)]
    year_labels = [labels.year(year) for year in years]
    svg = _line_chart(series, year_labels, title, kpi_ticks(kpi, paths))
    return _figure(svg, title, [_("Year"), *(name for name, *_style in series)],
                   _series_table(series, year_labels,
                                 lambda value: labels.quantity(value, kpi.get("unit"))
                                 if kpi.get("unit") else labels.number(value)))


def kpi_title(kpi):
    """A KPI chart's title, naming the unit its axis is in: 輸出額（兆円）."""
    if not kpi.get("unit"):
        return kpi["name_ja"]
    return _("%(name)s (%(unit)s)") % {"name": kpi["name_ja"],
                                       "unit": labels.unit_label(kpi["unit"])}


# --- the milestone timeline ---------------------------------------------------------------

TIMELINE_COLOURS = {"done": "#2e7d32", "overdue": "#c62828", "open": "#1565c0",
                    "cancelled": "#767676"}


def timeline_state(milestone):
    """What a timeline marks a milestone as: done, overdue (as of the report date), open or
    cancelled."""
    if milestone["status"] in ("done", "cancelled"):
        return milestone["status"]
    return "overdue" if milestone["overdue"] else "open"


def timeline_state_label(milestone):
    """The state in words, so that a printout in grey still says it: 完了, 期限超過 12日 …"""
    state = timeline_state(milestone)
    if state == "overdue":
        return _("Overdue %(days)s") % {"days": labels.day_count(milestone["days_overdue"])}
    return labels.status_label(milestone["status"])


def _month_after(day):
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def timeline_axis(timeline, most=10):
    """The time axis of a timeline: (first day, last day, [(month's first day, label or "")]):
    whole months from the earliest date shown (or the report date) to the latest, labelled as
    the burn-up's are, at most `most` labels."""
    as_of = labels.as_date(timeline["as_of"])
    days = [as_of, *(labels.as_date(m[key]) for m in timeline["milestones"]
                     for key in ("planned_due_on", "baseline_due_on"))]
    first, last = min(days).replace(day=1), _month_after(max(days))
    months, month = [], first
    while month < last:
        months.append(month)
        month = _month_after(month)
    month_names = month_labels([{"month": m.strftime("%Y-%m")} for m in months], most=most)
    return first, last, list(zip(months, month_names, strict=True))


def timeline_title():
    return _("Milestone timeline (planned against baseline)")


def _shorten(text, most=20):
    return text if len(text) <= most else text[:most - 1] + "…"


def _diamond(x, y, size=8):
    return (f'<polygon class="chart-baseline" points="{x:.1f},{y - size} {x + size},{y} '
            f'{x:.1f},{y + size} {x - size},{y}" fill="none" stroke="#5f5f5f" '
            f'stroke-width="1.5"/>')


def milestone_timeline(timeline):
    """Each milestone on a row: its baseline (◇) and planned (●) due dates joined when it
    slipped, coloured and worded by its state; a line at the report date; months labelled."""
    if not timeline or not timeline["milestones"]:
        return ""
    title = timeline_title()
    rows = timeline["milestones"]
    first, last, months = timeline_axis(timeline)
    width, left, right, top, row_height, bottom = 960, 250, 120, 62, 22, 28
    height = top + len(rows) * row_height + bottom
    span = max((last - first).days, 1)

    def x(day):
        return left + (width - left - right) * (labels.as_date(day) - first).days / span

    body = [_title(title)]
    # The legend: what each mark means.
    legend = [(_diamond(8, 36), _("Baseline due date")),
              *((f'<circle class="chart-{state}" cx="8" cy="36" r="4.5" '
                 f'fill="{TIMELINE_COLOURS[state]}"/>', name)
                for state, name in (("open", _("Planned due date")),
                                    ("done", labels.status_label("done")),
                                    ("overdue", _("Overdue"))))]
    offset = 0
    for mark, name in legend:
        body.append(f'<g transform="translate({offset},0)">{mark}'
                    f'<text x="20" y="40">{escape(name)}</text></g>')
        offset += 36 + 13 * len(str(name))
    plot_bottom = top + len(rows) * row_height
    for month, name in months:
        if name:
            body.append(f'<line class="chart-grid" x1="{x(month):.1f}" y1="{top - 6}" '
                        f'x2="{x(month):.1f}" y2="{plot_bottom}" stroke="#d0d0d0"/>'
                        f'<text x="{x(month):.1f}" y="{plot_bottom + 16}" text-anchor="middle" '
                        f'font-size="11">{escape(name)}</text>')
    for index, row in enumerate(rows):
        y = top + index * row_height + row_height / 2
        state = timeline_state(row)
        planned, baseline = x(row["planned_due_on"]), x(row["baseline_due_on"])
        body.append(f'<text x="0" y="{y + 4:.1f}"><title>{escape(row["title_ja"])}</title>'
                    f'{escape(_shorten(row["title_ja"]))}</text>')
        if row["slip_days"]:
            body.append(f'<line class="chart-slip" x1="{baseline:.1f}" y1="{y}" '
                        f'x2="{planned:.1f}" y2="{y}" stroke="#5f5f5f" stroke-width="1.5" '
                        f'stroke-dasharray="3 2"/>')
        body.append(_diamond(baseline, y))
        body.append(f'<circle class="chart-{state}" cx="{planned:.1f}" cy="{y}" r="4.5" '
                    f'fill="{TIMELINE_COLOURS[state]}"/>')
        body.append(f'<text x="{width - right + 10}" y="{y + 4:.1f}" font-size="11">'
                    f'{escape(timeline_state_label(row))}</text>')
    today = x(timeline["as_of"])
    body.append(f'<line class="chart-today" x1="{today:.1f}" y1="{top - 10}" x2="{today:.1f}" '
                f'y2="{plot_bottom}" stroke="#c62828" stroke-width="1.5" '
                f'stroke-dasharray="5 3"/>'
                f'<text class="chart-today-label" x="{today + 4:.1f}" y="{top - 4}" '
                f'font-size="11">{escape(timeline_today_label(timeline))}</text>')
    svg = _svg(width, height, "".join(body), title)
    note = _("The first %(count)s milestones by planned due date; the milestone list has "
             "them all.") % {"count": len(rows)} if timeline.get("more") else ""
    return _figure(svg, title, [_("Milestone"), _("Baseline due date"), _("Planned due date"),
                                _("Slip"), _("Status"), _("Completed on")],
                   [(row["title_ja"], labels.day(row["baseline_due_on"]),
                     labels.day(row["planned_due_on"]), labels.day_count(row["slip_days"]),
                     timeline_state_label(row), labels.day(row["completed_on"]))
                    for row in rows], note)


def timeline_today_label(timeline):
    """The line at the report date: "today" when the report is as of today."""
    as_of = labels.as_date(timeline["as_of"])
    if as_of == timezone.localdate():
        return _("Today")
    return _("As of %(day)s") % {"day": labels.day(as_of)}
