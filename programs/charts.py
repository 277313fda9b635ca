"""The report's charts as plain SVG: drawn on the server, no script and no internet needed,
printable, with Japanese labels. Each function takes report data and returns markup."""

import math

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
    return mark_safe(  # nosec B308 B703
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="{FONT}" font-size="12">'
        f"<title>{escape(title)}</title>{body}</svg>")


def count_ticks(highest, most=5):
    """Whole-number ticks from 0 to at least `highest`, at most `most` + 1 of them: a count
    axis never shows half a milestone, and 11 milestones end at 12, not 12.1."""
    step = max(1, math.ceil(highest / most))
    return list(range(0, step * math.ceil(max(highest, 1) / step) + 1, step))


def health_bars(by_health, title=None):
    title = title or _("Milestones by health")
    width, bar_height, label_width = 460, 26, 110
    total = max(sum(by_health.values()), 1)
    rows = []
    for index, (health, count) in enumerate(by_health.items()):
        y = 30 + index * (bar_height + 10)
        length = (width - label_width - 60) * count / total
        rows.append(
            f'<text x="0" y="{y + 17}">{escape(labels.health_label(health))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{HEALTH_COLOURS.get(health, "#888")}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 17}">{count}</text>')
    height = 30 + len(by_health) * (bar_height + 10)
    return _svg(width, height, f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>'
                + "".join(rows), title)


def _line_chart(series, x_labels, title, width=560, height=260, counts=False):
    """Lines on a shared y axis. `series`: (name, colour, dash, [value or None]); `counts`:
    the values are whole things, so the axis has whole-number ticks."""
    left, right, top, bottom = 50, 130, 30, 40
    values = [v for _n, _c, _d, points in series for v in points if v is not None] or [0]
    ticks = count_ticks(max(values)) if counts else [0, float(max(values)) * 1.1 or 1]
    top_value = ticks[-1]
    x_step = (width - left - right) / max(len(x_labels) - 1, 1)

    def x(i):
        return left + i * x_step

    def y(v):
        return top + (height - top - bottom) * (1 - v / top_value)

    body = [f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
            f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" '
            f'y2="{height - bottom}" stroke="#999"/>',
            f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#999"/>']
    body += [f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
             f'{escape(labels.number(tick))}</text>' for tick in ticks]
    body += [f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
             f'font-size="10">{escape(str(label))}</text>'
             for i, label in enumerate(x_labels) if label]
    for index, (name, colour, dash, points) in enumerate(series):
        coordinates = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(points)
                               if v is not None)
        if coordinates:
            body.append(f'<polyline points="{coordinates}" fill="none" stroke="{colour}" '
                        f'stroke-width="2" stroke-dasharray="{dash}"/>')
        legend_y = top + 16 * index
        body.append(f'<line x1="{width - right + 10}" y1="{legend_y}" x2="{width - right + 30}"'
                    f' y2="{legend_y}" stroke="{colour}" stroke-width="2" '
                    f'stroke-dasharray="{dash}"/>'
                    f'<text x="{width - right + 34}" y="{legend_y + 4}">{escape(name)}</text>')
    return _svg(width, height, "".join(body), title)


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
    return _line_chart([(pgettext("burn-up", "Planned"), "#1565c0", "6 3",
                         [p["planned"] for p in points]),
                        (_("Done"), "#2e7d32", "", [p["done"] for p in points])],
                       month_labels(points), title or _("Burn-up (cumulative milestones)"),
                       counts=True)


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


def kpi_trajectory(kpi):
    paths = kpi_paths(kpi)
    if paths is None:
        return ""
    years, measured, required, projected = paths
    return _line_chart([(_("Measured"), "#000", "", measured),
                        (_("Path to target"), "#c62828", "6 3", required),
                        (_("Current trend"), "#1565c0", "2 3", projected)],
                       [labels.year(year) for year in years], kpi_title(kpi))


def kpi_title(kpi):
    """A KPI chart's title, naming the unit its axis is in: 輸出額（兆円）."""
    if not kpi.get("unit"):
        return kpi["name_ja"]
    return _("%(name)s (%(unit)s)") % {"name": kpi["name_ja"],
                                       "unit": labels.unit_label(kpi["unit"])}
