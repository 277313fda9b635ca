"""The report as a file: CSV (one table, a section column) and XLSX (a sheet per section),
with Japanese headers. DRF renderers, chosen with ?format=csv or ?format=xlsx. Every cell goes
through `inert_cell`: a title starting with "=" is text, not a formula; numbers stay numbers."""

import csv
import io

from openpyxl import Workbook
from rest_framework.renderers import BaseRenderer

from tracker.spreadsheets import inert_cell

MILESTONE_COLUMNS = [("title_ja", "マイルストーン"), ("initiative", "施策"), ("owner", "担当者"),
                     ("planned_due_on", "予定期限"), ("baseline_due_on", "基準期限"),
                     ("days_overdue", "超過日数"), ("slip_days", "遅延日数"),
                     ("status", "ステータス"), ("health", "健全性")]
PLACE_COLUMNS = [("code", "コード"), ("name_ja", "名称"), ("total", "マイルストーン数"),
                 ("overdue", "期限超過"), ("done", "完了"), ("red", "赤"), ("slipped", "遅延")]
KPI_COLUMNS = [("code", "コード"), ("name_ja", "KPI"), ("unit", "単位"),
               ("baseline_value", "基準値"), ("baseline_year", "基準年"),
               ("latest_value", "最新実績"), ("latest_period", "実績期間"),
               ("target_value", "目標値"), ("target_year", "目標年"),
               ("percent_of_way", "達成率（%）"), ("required_annual_growth", "必要年率"),
               ("observed_annual_growth", "実績年率"), ("projected_value", "目標年の見込み"),
               ("verdict", "判定")]
SECTIONS = [("overdue", "期限超過", MILESTONE_COLUMNS), ("due_soon", "30日以内に期限",
                                                        MILESTONE_COLUMNS),
            ("by_region", "地域別", PLACE_COLUMNS), ("by_country", "国別", PLACE_COLUMNS),
            ("by_field", "分野別", PLACE_COLUMNS), ("kpis", "KPI", KPI_COLUMNS)]


def summary_rows(report):
    counts = report["milestones"]
    rows = [("基準日", report["as_of"]), ("マイルストーン数", counts["total"]),
            ("平均進捗率（%）", counts["percent_complete"]), ("期限超過", counts["overdue"]),
            ("30日以内に期限", counts["due_soon"]), ("遅延（件）", counts["slipped"]["count"]),
            ("遅延（合計日数）", counts["slipped"]["total_days"]),
            ("遅延（最大日数）", counts["slipped"]["worst_days"])]
    rows += [(f"ステータス: {status}", n) for status, n in counts["by_status"].items()]
    rows += [(f"健全性: {health}", n) for health, n in counts["by_health"].items()]
    return rows


def _cell(value):
    return "" if value is None else inert_cell(value)


class CSVReportRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if "milestones" not in (data or {}):  # an error: keep its shape, as text
            return str(data).encode()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["区分", "項目", "値", *[""] * 12])
        for name, value in summary_rows(data):
            writer.writerow(["概要", _cell(name), _cell(value)])
        for key, title, columns in SECTIONS:
            writer.writerow([title, *[label for _field, label in columns]])
            for row in data[key]:
                writer.writerow([title, *[_cell(row.get(field)) for field, _label in columns]])
        return out.getvalue().encode("utf-8")


class XLSXReportRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if "milestones" not in (data or {}):
            return str(data).encode()
        book = Workbook()
        summary = book.worksheets[0]  # a new workbook's one sheet
        summary.title = "概要"
        summary.append(["項目", "値"])
        for name, value in summary_rows(data):
            summary.append([_cell(name), _cell(value)])
        for key, title, columns in SECTIONS:
            sheet = book.create_sheet(title)
            sheet.append([label for _field, label in columns])
            for row in data[key]:
                sheet.append([_cell(row.get(field)) for field, _label in columns])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


