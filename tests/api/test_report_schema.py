"""The reports as the schema types them: real report JSON, and a progress report's figures,
validate against the schema's `Report` component (so a generated client parses every section),
and each download is its own operation with one media type."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from jsonschema import Draft202012Validator

from programs.models import Health
from programs.services.milestones import milestone_update
from tests.factories import (
    CountryFactory,
    InitiativeFactory,
    KPIFactory,
    KPIMeasurementFactory,
    MilestoneFactory,
    ProgressReportFactory,
    ProjectFactory,
    RegionFactory,
    StrategicFieldFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        return APIClient().get("/api/v1/schema/", {"format": "json"}).json()


def as_json_schema(node):
    """OpenAPI 3.0's `nullable` as JSON Schema says it, as generators and schemathesis read it:
    the schema, or null (also around an `allOf` of a component, where 3.0 puts it)."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: as_json_schema(value) for key, value in node.items()
                 if key not in ("nullable", "readOnly", "writeOnly")}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def validate(schema, component, instance):
    """`instance` against `#/components/schemas/<component>`, formats (dates) included."""
    document = {"$ref": f"#/components/schemas/{component}",
                "components": as_json_schema(schema["components"])}
    Draft202012Validator(document, format_checker=Draft202012Validator.FORMAT_CHECKER
                         ).validate(instance)


@pytest.fixture
def programme(officer):
    """An initiative with a sub-initiative, a project in a country of a region, a field,
    milestones overdue, slipped, done and due soon, a health change and a measured KPI."""
    today = timezone.localdate()
    region = RegionFactory(code="asia")
    parent = InitiativeFactory(code="FOOD", owner=officer)
    child = InitiativeFactory(code="FOOD-SG", parent=parent, owner=officer)
    child.fields.add(StrategicFieldFactory())
    project = ProjectFactory(initiative=child)
    project.countries.add(CountryFactory(iso2="SG", region=region))
    MilestoneFactory(initiative=child, project=project, planned_due_on=today - timedelta(5),
                     baseline_due_on=today - timedelta(20), status="in_progress",
                     health="red")
    MilestoneFactory(initiative=parent, planned_due_on=today + timedelta(10))
    MilestoneFactory(initiative=parent, planned_due_on=today - timedelta(40),
                     status="done", completed_on=today - timedelta(41), percent_complete=100)
    turning = MilestoneFactory(initiative=child, planned_due_on=today + timedelta(90))
    milestone_update(milestone=turning, by=officer, data={"health": Health.AMBER})
    kpi = KPIFactory(initiative=parent, baseline_value=Decimal("1.7"), baseline_year=2025,
                     target_value=Decimal("5"), target_year=2030)
    KPIMeasurementFactory(kpi=kpi, period_on=date(2024, 12, 31), value=Decimal("1.5"))
    KPIMeasurementFactory(kpi=kpi, period_on=date(2025, 12, 31), value=Decimal("1.7"))
    KPIFactory(initiative=child)  # never measured
    return parent


def test_the_portfolio_and_an_initiatives_report_match_the_report_component(
        api, manager, schema, programme):
    client = api.as_user(manager)
    portfolio = client.get("/api/v1/reports/portfolio/").json()
    validate(schema, "Report", portfolio)
    assert portfolio["timeline"] is None
    report = client.get(f"/api/v1/reports/initiatives/{programme.pk}/").json()
    validate(schema, "Report", report)
    # Every section has something in it, so every component was checked on real rows.
    for section in ("overdue", "due_soon", "slipped", "burn_up", "health_changes",
                    "by_region", "by_country", "by_field", "by_initiative", "kpis"):
        assert report[section], section
    assert report["timeline"]["milestones"]
    assert {kpi["verdict"] for kpi in report["kpis"]} <= set(
        schema["components"]["schemas"]["KPIVerdictEnum"]["enum"])


def test_a_progress_reports_figures_match_the_report_component(api, manager, schema,
                                                               programme):
    progress_report = ProgressReportFactory(initiative=programme)
    body = api.as_user(manager).get(f"/api/v1/progress-reports/{progress_report.pk}/").json()
    assert body["figures"]["milestones"]["total"] == 4
    validate(schema, "ProgressReport", body)
    figures = schema["components"]["schemas"]["ProgressReport"]["properties"]["figures"]
    assert figures["allOf"] == [{"$ref": "#/components/schemas/Report"}]


def test_each_download_is_an_operation_with_one_media_type_and_json_errors(schema):
    for scope in ("portfolio", "initiatives/{id}"):
        report = schema["paths"][f"/api/v1/reports/{scope}/"]["get"]
        assert list(report["responses"]["200"]["content"]) == ["application/json"]
        assert "format" not in {parameter["name"] for parameter in report["parameters"]}
        for extension, media_type in [
                ("csv", "text/csv"), ("pdf", "application/pdf"),
                ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                ("pptx", "application/vnd.openxmlformats-officedocument.presentationml."
                         "presentation")]:
            responses = schema["paths"][f"/api/v1/reports/{scope}/{extension}/"]["get"][
                "responses"]
            assert responses["200"]["content"] == {
                media_type: {"schema": {"type": "string", "format": "binary"}}}
            for code in ("400", "403"):
                assert list(responses[code]["content"]) == ["application/json"]


@pytest.mark.parametrize(("extension", "media_type", "starts_with"), [
    ("csv", "text/csv", "\ufeff".encode()),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
    ("pdf", "application/pdf", b"%PDF"),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", b"PK"),
])
def test_a_download_route_gives_its_file_whatever_the_client_accepts(
        api, manager, programme, extension, media_type, starts_with):
    response = api.as_user(manager).get(
        f"/api/v1/reports/initiatives/{programme.pk}/{extension}/?as_of=2026-12-01",
        HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(media_type)
    # An ASCII name, and the reader's-language name (filename*) beside it.
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="report-FOOD-2026-12-01.{extension}"; filename*=UTF-8\'\'')
    assert response.content.startswith(starts_with)


def test_the_csv_route_writes_shift_jis_on_request(api, manager):
    response = api.as_user(manager).get("/api/v1/reports/portfolio/csv/?encoding=cp932")
    assert response["Content-Type"] == "text/csv; charset=Shift_JIS"
    assert response.content.decode("cp932").startswith("区分")


def test_format_on_the_json_route_still_downloads_for_existing_scripts(api, manager):
    response = api.as_user(manager).get("/api/v1/reports/portfolio/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
