"""The report's charts as plain SVG: drawn on the server, no script and no internet needed,
printable, with Japanese labels. Each function takes report data and returns markup."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

FONT = "'Noto Sans CJK JP', 'Noto Sans JP', 'IPAGothic', 'Hiragino Sans', Meiryo, sans-serif"
HEALTH_COLOURS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828"}
HEALTH_LABELS = {"green": "緑（順調）", "amber": "黄（要注意）", "red": "赤（遅延）"}


def _svg(width, height, body, title):
    # Every text in `body` went through escape() where it was drawn.
    return mark_safe(  # nosec B308 B703
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="{FONT}" font-size="12">'
        f"<title>{escape(title)}</title>{body}</svg>")


def health_bars(by_health, title="健全性別のマイルストーン数"):
    width, bar_height, label_width = 460, 26, 110
    total = max(sum(by_health.values()), 1)
    rows = []
    for index, (health, count) in enumerate(by_health.items()):
        y = 30 + index * (bar_height + 10)
        length = (width - label_width - 60) * count / total
        rows.append(
            f'<text x="0" y="{y + 17}">{escape(HEALTH_LABELS.get(health, health))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{HEALTH_COLOURS.get(health, "#888")}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 17}">{count}</text>')
    height = 30 + len(by_health) * (bar_height + 10)
    return _svg(width, height, f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>'
                + "".join(rows), title)


def _line_chart(series, labels, title, width=560, height=260):
    """Lines on a shared y axis. `series`: (name, colour, dash, [value or None])."""
    left, right, top, bottom = 50, 130, 30, 40
    values = [v for _n, _c, _d, points in series for v in points if v is not None] or [0]
    top_value = max(values) * 1.1 or 1
    x_step = (width - left - right) / max(len(labels) - 1, 1)

    def x(i):
        return left + i * x_step

    def y(v):
        return top + (height - top - bottom) * (1 - v / top_value)

    body = [f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
            f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" '
            f'y2="{height - bottom}" stroke="#999"/>',
            f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#999"/>',
            f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{top_value:.3g}</text>',
            f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end">0</text>']
    every = max(len(labels) // 6, 1)
    body += [f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
             f'font-size="10">{escape(str(label))}</text>'
             for i, label in enumerate(labels) if i % every == 0 or i == len(labels) - 1]
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


def burn_up(points, title="バーンアップ（累計）"):
    return _line_chart([("予定", "#1565c0", "6 3", [p["planned"] for p in points]),
                        ("完了", "#2e7d32", "", [p["done"] for p in points])],
                       [p["month"] for p in points], title)


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
    return _line_chart([("実績", "#000", "", measured), ("必要な推移", "#c62828", "6 3", required),
                        ("現在の傾向", "#1565c0", "2 3", projected)], years, kpi["name_ja"])
