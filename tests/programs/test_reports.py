"""Progress report figures, checked against hand-computed expectations."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from programs.models import KPIMeasurement, Region
from programs.selectors.reports import kpi_forecast, progress_report
from tests.factories import (
    CountryFactory,
    InitiativeFactory,
    KPIFactory,
    KPIMeasurementFactory,
    MilestoneFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 12, 1)


def days(n):
    return AS_OF + timedelta(days=n)


@pytest.fixture
def portfolio(officer):
    asia = RegionFactory(code="ASIA_PACIFIC", name_ja="アジア大洋州", name_en="Asia-Pacific")
    vietnam = CountryFactory(iso2="VN", region=asia, name_ja="ベトナム")
    parent = InitiativeFactory(code="AZEC2", owner=officer)
    child = InitiativeFactory(code="POWERER-ASIA", parent=parent, owner=officer)
    child.countries.add(vietnam)
    other = InitiativeFactory(code="FOOD-EXPORT", owner=officer)
    # child: one overdue by 5 days, one due in 10 days slipped by 20, one done.
    MilestoneFactory(initiative=child, planned_due_on=days(-5), baseline_due_on=days(-5),
                     status="in_progress", health="red", percent_complete=40)
    MilestoneFactory(initiative=child, planned_due_on=days(10), baseline_due_on=days(-10),
                     status="in_progress", health="amber", percent_complete=60)
    MilestoneFactory(initiative=child, planned_due_on=days(-30), baseline_due_on=days(-30),
                     status="done", completed_on=days(-31), percent_complete=100)
    # parent: not started, due in 60 days, slipped by 5.
    MilestoneFactory(initiative=parent, planned_due_on=days(60), baseline_due_on=days(55))
    # elsewhere: overdue by 1 day.
    MilestoneFactory(initiative=other, planned_due_on=days(-1), baseline_due_on=days(-1),
                     status="blocked", health="red")
    return parent, child, other


def test_portfolio_counts(portfolio):
    report = progress_report(as_of=AS_OF)
    counts = report["milestones"]
    assert counts["total"] == 5
    assert counts["by_status"] == {"not_started": 1, "in_progress": 2, "blocked": 1,
                                   "done": 1, "cancelled": 0}
    assert counts["by_health"] == {"green": 2, "amber": 1, "red": 2}
    assert counts["overdue"] == 2
    assert counts["due_soon"] == 1
    assert counts["slipped"] == {"count": 2, "total_days": 25, "worst_days": 20}
    assert counts["percent_complete"] == 40.0  # (40 + 60 + 100 + 0 + 0) / 5
    assert [row["days_overdue"] for row in report["overdue"]] == [5, 1]


def test_an_initiative_report_covers_its_subtree_only(portfolio):
    parent, child, _other = portfolio
    report = progress_report(as_of=AS_OF, initiative=parent)
    assert report["milestones"]["total"] == 4
    assert report["milestones"]["overdue"] == 1
    assert progress_report(as_of=AS_OF, initiative=child)["milestones"]["total"] == 3


def test_counts_per_region_and_country(portfolio):
    report = progress_report(as_of=AS_OF)
    asia = Region.objects.get(code="ASIA_PACIFIC")
    assert report["by_region"] == [{"id": asia.pk, "code": "ASIA_PACIFIC",
                                    "name_ja": "アジア大洋州", "name_en": "Asia-Pacific",
                                    "total": 3, "overdue": 1, "done": 1, "red": 1, "slipped": 1}]
    assert [row["code"] for row in report["by_country"]] == ["VN"]


def test_the_agrifood_kpi_needs_24_percent_a_year_and_is_off_track_at_13():
    kpi = KPIFactory(code="AGRIFOOD", baseline_value=Decimal("1.7"), baseline_year=2025,
                     target_value=Decimal("5"), target_year=2030)
    measurements = [
        KPIMeasurementFactory(kpi=kpi, period_on=date(2024, 12, 31), value=Decimal("1.5044")),
        KPIMeasurementFactory(kpi=kpi, period_on=date(2025, 12, 31), value=Decimal("1.7")),
    ]
    forecast = kpi_forecast(kpi, measurements, AS_OF)
    assert forecast["required_annual_growth"] == pytest.approx(0.241, abs=0.001)
    assert forecast["observed_annual_growth"] == pytest.approx(0.13, abs=0.001)
    assert forecast["projected_value"] == pytest.approx(1.7 * 1.13 ** 5, rel=0.01)
    assert forecast["percent_of_way"] == 0.0
    assert forecast["verdict"] == "off_track"
    assert "on_track" in forecast["verdict_rule"]


@pytest.mark.parametrize("last_value, verdict", [  # projected = last ** 4 against 5
    ("1.5", "on_track"), ("1.47", "at_risk"), ("1.3", "off_track")])
def test_kpi_verdicts(last_value, verdict):
    kpi = KPIFactory(baseline_value=Decimal("1"), baseline_year=2024,
                     target_value=Decimal("5"), target_year=2028)
    measurements = [KPIMeasurement(kpi=kpi, period_on=date(2024, 12, 31), value=Decimal("1")),
                    KPIMeasurement(kpi=kpi, period_on=date(2025, 12, 31),
                                   value=Decimal(last_value))]
    assert kpi_forecast(kpi, measurements, AS_OF)["verdict"] == verdict


def test_a_kpi_with_one_value_has_no_trend():
    kpi = KPIFactory(baseline_value=Decimal("76"), baseline_year=2026)
    forecast = kpi_forecast(kpi, [], AS_OF)
    assert (forecast["verdict"], forecast["observed_annual_growth"]) == ("no_trend", None)


def test_the_portfolio_report_runs_a_fixed_number_of_queries(portfolio,
                                                           django_assert_max_num_queries):
    _parent, child, _other = portfolio
    MilestoneFactory.create_batch(30, initiative=child, planned_due_on=days(-3),
                                  baseline_due_on=days(-4), status="in_progress")
    # Eight, and the stale thresholds in use, the two unowned-work lists and the slipped list.
    with django_assert_max_num_queries(12):
        report = progress_report(as_of=AS_OF)
    assert report["milestones"]["total"] == 35


def test_the_burn_up_counts_milestones_planned_and_done_month_by_month(portfolio):
    points = {p["month"]: p for p in progress_report(as_of=AS_OF)["burn_up"]}
    # Planned by the end of November: the three due before AS_OF (days -30, -5, -1);
    # done by then: the one completed on day -31 (31 October).
    assert (points["2026-11"]["planned"], points["2026-11"]["done"]) == (3, 1)
    assert (points["2026-10"]["planned"], points["2026-10"]["done"]) == (0, 1)
    assert points["2026-12"]["planned"] == 4 and points["2027-01"]["planned"] == 5
    assert points["2027-01"]["done"] is None  # the future has no "done" yet
    # It starts with the first month anything is planned or done, not 17 months back.
    assert min(points) == "2026-10"


def test_a_burn_up_with_nothing_yet_starts_at_the_report_date():
    burn_up = progress_report(as_of=AS_OF)["burn_up"]
    assert [p["month"] for p in burn_up] == ["2026-12", "2027-01", "2027-02", "2027-03"]
    assert burn_up[0] == {"month": "2026-12", "planned": 0, "done": 0}


def test_managers_download_csv_and_xlsx(api, manager, portfolio):
    client = api.as_user(manager)
    csv_response = client.get("/api/v1/reports/portfolio/",
                              {"format": "csv", "as_of": AS_OF.isoformat()})
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["区分", "項目", "値"]
    assert ["概要", "期限超過", "2件"] in rows
    xlsx = client.get("/api/v1/reports/portfolio/", {"format": "xlsx", "as_of": AS_OF.isoformat()})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[:3] == ["概要", "期限超過", "30日以内に期限"]
    assert ("期限超過", 2) in [tuple(row) for row in book["概要"].iter_rows(values_only=True)]
    assert book["概要"]["B3"].number_format == "#,##0"


def test_who_reads_which_report(api, manager, officer, other_officer, exporter, portfolio):
    parent, _child, _other = portfolio
    url = f"/api/v1/reports/initiatives/{parent.pk}/"
    assert api.as_user(manager).get("/api/v1/reports/portfolio/").status_code == 200
    assert api.as_user(officer).get("/api/v1/reports/portfolio/").status_code == 403
    assert api.as_user(officer).get(url).status_code == 200
    assert api.as_user(other_officer).get(url).status_code == 403
    assert api.as_user(exporter).get(url).status_code == 403
    assert api.as_user(manager).get("/api/v1/reports/initiatives/999999/").status_code == 404
    bad = api.as_user(manager).get("/api/v1/reports/portfolio/", {"as_of": "2026-13-01"})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_date")


def test_the_pdf_has_a_japanese_title_page_tables_and_charts(api, manager, portfolio):
    response = api.as_user(manager).get("/api/v1/reports/portfolio/",
                                        {"format": "pdf", "as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from programs.api.report_pdf import FONT

    assert FONT.encode() in response.content  # the Japanese font the text is set in
    assert '.pdf"; filename*=UTF-8' in response["Content-Disposition"]
    document = PdfReader(io.BytesIO(response.content))
    assert document.metadata.title == "進捗報告書"
    assert len(document.pages) >= 3  # the title page, the figures, the lists and charts


def test_the_dashboard_shows_charts_and_links_to_the_downloads(client, manager, portfolio):
    client.force_login(manager)
    page = client.get("/admin/reports/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") >= 2
    assert "健全性別のマイルストーン数" in html and "バーンアップ" in html
    for fmt in ("pdf", "pptx", "xlsx", "csv"):
        assert f"/api/v1/reports/portfolio/?format={fmt}" in html
    assert "https://" not in html.split("<body")[1].split("</svg>")[0]  # nothing fetched


def test_an_initiatives_report_page_is_for_its_officers_and_managers(client, officer,
                                                                   other_officer, manager,
                                                                   portfolio):
    parent, _child, _other = portfolio
    url = f"/admin/reports/initiatives/{parent.pk}/"
    client.force_login(officer)
    assert client.get(url).status_code == 200
    assert client.get("/admin/reports/").status_code == 403
    client.force_login(other_officer)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200


def test_kpi_trajectory_chart_draws_measured_required_and_projected_paths():
    from programs import charts

    kpi = {"name_ja": "輸出額", "baseline_year": 2024, "target_year": 2030,
           "required_annual_growth": 0.24, "observed_annual_growth": 0.13,
           "measurements": [{"period_on": "2024-12-31", "value": "1.5"},
                            {"period_on": "2025-12-31", "value": "1.7"}]}
    svg = charts.kpi_trajectory(kpi)
    assert svg.count("<polyline") == 3
    assert "必要な推移" in svg and "現在の傾向" in svg


def test_an_officer_starts_a_quarterly_report_in_admin(client, officer, own_initiative):
    from programs.models import ProgressReport
    from programs.models.progress_report import recent_periods

    client.force_login(officer)
    last_offered = recent_periods(timezone.localdate())[-1]  # the add page offers recent ones
    response = client.post("/admin/programs/progressreport/add/",
                           {"initiative": own_initiative.pk, "period": last_offered})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.status, report.prepared_by, report.figures_as_of) == (
        "draft", officer, timezone.localdate())  # the figures are taken that day


def test_the_dashboard_lists_work_nobody_can_be_reminded_of(client, manager, portfolio):
    orphan = InitiativeFactory(owner=None, code="ORPHAN-1", name_ja="担当者のいない施策")
    client.force_login(manager)
    html = client.get("/admin/reports/").content.decode()
    assert "担当者のいない施策" in html and f"/initiative/{orphan.pk}/change/" in html


def test_work_is_unowned_when_neither_its_owner_nor_its_initiatives_can_be_told(officer):
    gone, silent = UserFactory(is_active=False), UserFactory(email="")
    led_by_gone = InitiativeFactory(owner=gone)
    led_by_officer = InitiativeFactory(owner=officer)
    orphan = MilestoneFactory(initiative=led_by_gone, owner=silent, title_ja="届かない")
    MilestoneFactory(initiative=led_by_officer, owner=silent)  # its initiative's owner hears
    MilestoneFactory(initiative=led_by_gone, owner=officer)  # its owner hears
    MilestoneFactory(initiative=led_by_gone, owner=gone, status="done",
                     completed_on=days(-1), percent_complete=100)  # closed: nothing to tell
    unowned = progress_report(as_of=AS_OF)["unowned"]["milestones"]
    assert [row["id"] for row in unowned] == [orphan.pk]

