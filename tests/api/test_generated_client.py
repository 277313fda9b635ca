"""A Python client generated from the live schema works for each role.

Once for the module: the live server's schema (JSON: YAML 1.2 would read `08` as a number)
goes through openapi-python-client (the pinned dev dependency, with the settings we publish in
clients/openapi-python-client.yaml); any warning or a failed generation fails the tests. The
generated package is imported from a temporary folder, and each role's session runs through
its functions only, reading parsed models (never raw JSON): a schema that misstates an answer
shows up as a parse error here, as it would for our users."""

import importlib
import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from django.utils import timezone
from openapi_spec_validator import validate

from programs.services.progress_reports import progress_report_submit
from tests.factories import (
    ExporterProfileFactory,
    InitiativeFactory,
    KPIFactory,
    KPIMeasurementFactory,
    MilestoneFactory,
    ProgressReportFactory,
    SupportMeasureFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("live_server")]
PASSWORD = "secret-pass-2026"  # every factory user's
GENERATOR_SETTINGS = Path(__file__).resolve().parents[2] / "clients" / "openapi-python-client.yaml"


@pytest.fixture(scope="module")
def tracker_api_client(live_server, tmp_path_factory, django_db_blocker):
    """The generated package, imported."""
    folder = tmp_path_factory.mktemp("generated")
    schema = folder / "schema.json"
    with django_db_blocker.unblock():  # each request is a transaction (ATOMIC_REQUESTS)
        response = httpx.get(f"{live_server.url}/api/v1/schema/?format=json", timeout=120)
    assert response.status_code == 200
    validate(response.json())  # openapi-spec-validator: valid OpenAPI before generating
    schema.write_bytes(response.content)
    bin_dir = Path(sys.executable).parent  # the venv's: the generator and its ruff post-hook
    run = subprocess.run(
        [str(bin_dir / "openapi-python-client"), "generate", "--path", str(schema),
         "--meta", "none", "--config", str(GENERATOR_SETTINGS),
         "--output-path", str(folder / "tracker_api_client")],
        capture_output=True, text=True, timeout=600, cwd=folder,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"})
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "warning" not in output.lower(), output
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("tracker_api_client")
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.startswith("tracker_api_client")]:
            del sys.modules[name]


@pytest.fixture
def scene(transactional_db):
    """An officer's programme with an overdue milestone and a measured KPI, a submitted
    quarterly report, a manager, and an approved exporter with a measure that fits it."""
    officer = UserFactory(role="officer", username="officer_c")
    manager = UserFactory(role="manager", username="manager_c")
    exporter = ExporterProfileFactory().user
    programme = InitiativeFactory(code="FOOD-EXPORT", owner=officer)
    overdue = MilestoneFactory(initiative=programme, status="in_progress",
                               planned_due_on=timezone.localdate() - timedelta(days=5))
    kpi = KPIFactory(initiative=programme, baseline_value=Decimal("1.7"), baseline_year=2025,
                     target_value=Decimal("5"), target_year=2030)
    KPIMeasurementFactory(kpi=kpi, period_on=date(2024, 12, 31), value=Decimal("1.5"))
    KPIMeasurementFactory(kpi=kpi, period_on=date(2025, 12, 31), value=Decimal("1.7"))
    report = ProgressReportFactory(initiative=programme, prepared_by=officer,
                                   narrative="第3四半期は順調。")
    progress_report_submit(report=report, by=officer)
    SupportMeasureFactory()
    return {"officer": officer, "manager": manager, "exporter": exporter,
            "milestone": overdue, "report": report}


def sign_in(package, live_server, username):
    """A client with the user's token, from the token endpoint."""
    from tracker_api_client.api.v1 import v1_auth_token_create
    from tracker_api_client.models import TokenInputRequest

    anonymous = package.Client(base_url=live_server.url)
    token = v1_auth_token_create.sync(client=anonymous, body=TokenInputRequest(
        username=username, password=PASSWORD))
    assert isinstance(token, package.models.Token), token
    return package.AuthenticatedClient(base_url=live_server.url, token=token.token,
                                       prefix="Token", raise_on_unexpected_status=True)


def test_an_officer_updates_an_overdue_milestone_with_its_etag(
        tracker_api_client, live_server, scene):
    from tracker_api_client.api.v1 import (
        v1_milestones_form_retrieve,
        v1_milestones_list,
        v1_milestones_partial_update,
        v1_milestones_retrieve,
        v1_milestones_transition_create,
        v1_notification_preferences_hour_partial_update,
        v1_notification_preferences_hour_retrieve,
    )
    from tracker_api_client.models import (
        Error,
        Milestone,
        PatchedMilestoneUpdateInputRequest,
        PatchedReminderHourInputRequest,
        TransitionInputRequest,
        WorkStatusEnum,
    )

    client = sign_in(tracker_api_client, live_server, "officer_c")
    hour = v1_notification_preferences_hour_retrieve.sync_detailed(client=client)
    assert v1_notification_preferences_hour_partial_update.sync(
        client=client, if_match=hour.headers["ETag"],
        body=PatchedReminderHourInputRequest(hour=7)).hour == 7

    overdue = v1_milestones_list.sync(client=client, overdue=True)
    assert [m.id for m in overdue.results] == [scene["milestone"].pk]
    assert overdue.results[0].is_overdue is True
    milestone_id = overdue.results[0].id

    read = v1_milestones_retrieve.sync_detailed(id=milestone_id, client=client)
    etag = read.headers["ETag"]
    assert isinstance(read.parsed, Milestone)
    form = v1_milestones_form_retrieve.sync(id=milestone_id, client=client)
    assert "percent_complete" in [field.value for field in form.writable_fields]

    changed = v1_milestones_partial_update.sync_detailed(
        id=milestone_id, client=client, if_match=etag,
        body=PatchedMilestoneUpdateInputRequest(percent_complete=60))
    assert changed.status_code == 200
    assert changed.parsed.percent_complete == 60

    stale = v1_milestones_partial_update.sync_detailed(
        id=milestone_id, client=client, if_match=etag,
        body=PatchedMilestoneUpdateInputRequest(percent_complete=70))
    assert stale.status_code == 412
    assert isinstance(stale.parsed, Error) and stale.parsed.code == "stale_version"

    refused = v1_milestones_transition_create.sync_detailed(
        id=milestone_id, client=client, if_match=changed.headers["ETag"],
        body=TransitionInputRequest(to=WorkStatusEnum.NOT_STARTED))
    assert refused.status_code == 409
    assert isinstance(refused.parsed, Error) and refused.parsed.code == "invalid_transition"


def test_a_manager_reads_the_portfolio_downloads_its_csv_and_approves_a_report(
        tracker_api_client, live_server, scene):
    from tracker_api_client.api.v1 import (
        v1_progress_reports_approve_create,
        v1_progress_reports_form_retrieve,
        v1_progress_reports_retrieve,
        v1_reports_portfolio_csv_retrieve,
        v1_reports_portfolio_retrieve,
    )
    from tracker_api_client.models import KPIVerdictEnum, Report, ReportStatusEnum
    from tracker_api_client.types import File

    client = sign_in(tracker_api_client, live_server, "manager_c")
    portfolio = v1_reports_portfolio_retrieve.sync(client=client)
    assert isinstance(portfolio, Report)
    assert portfolio.milestones.overdue == 1
    assert portfolio.kpis[0].verdict in KPIVerdictEnum
    assert portfolio.overdue[0].id == scene["milestone"].pk

    csv = v1_reports_portfolio_csv_retrieve.sync(client=client)
    assert isinstance(csv, File)
    assert csv.payload.read().decode("utf-8-sig").startswith("区分")

    report_id = scene["report"].pk
    read = v1_progress_reports_retrieve.sync_detailed(id=report_id, client=client)
    assert isinstance(read.parsed.figures, Report)
    assert [move.value for move in v1_progress_reports_form_retrieve.sync(
        id=report_id, client=client).moves] == ["approve", "return"]
    approved = v1_progress_reports_approve_create.sync(
        id=report_id, client=client, if_match=read.headers["ETag"])
    assert approved.status == ReportStatusEnum.APPROVED


def test_an_exporter_reads_its_measures_and_parses_a_refusal(
        tracker_api_client, live_server, scene):
    from tracker_api_client.api.v1 import (
        v1_exporters_me_partial_update,
        v1_exporters_me_retrieve,
        v1_exporters_me_support_measures_list,
        v1_milestones_list,
        v1_reports_portfolio_csv_retrieve,
    )
    from tracker_api_client.models import Error, ExporterProfile, PatchedExporterProfileInputRequest

    client = sign_in(tracker_api_client, live_server, scene["exporter"].username)
    fits = v1_exporters_me_support_measures_list.sync(client=client)
    assert fits.count == 1 and len(fits.results) == 1 and fits.results[0].measure.code

    # The profile has no version: its ETag is that of what the company read.
    read = v1_exporters_me_retrieve.sync_detailed(client=client)
    assert isinstance(read.parsed, ExporterProfile)
    changed = v1_exporters_me_partial_update.sync_detailed(
        client=client, if_match=read.headers["ETag"],
        body=PatchedExporterProfileInputRequest(contact_name="輸出 花子"))
    assert changed.status_code == 200 and changed.parsed.contact_name == "輸出 花子"
    stale = v1_exporters_me_partial_update.sync_detailed(
        client=client, if_match=read.headers["ETag"],
        body=PatchedExporterProfileInputRequest(contact_name="輸出 次郎"))
    assert stale.status_code == 412
    assert isinstance(stale.parsed, Error) and stale.parsed.code == "stale_version"
    for refused in (v1_milestones_list.sync_detailed(client=client),
                    v1_reports_portfolio_csv_retrieve.sync_detailed(client=client)):
        assert refused.status_code == 403
        assert isinstance(refused.parsed, Error), refused.content
        assert refused.parsed.code == "permission_denied"
