"""Property-based test of the whole API against its own OpenAPI schema (schemathesis).

For every operation of /api/v1/schema/, schemathesis generates requests, a fixed set of valid
ones plus a few random valid and deliberately invalid ones, sends them in-process to the Django
WSGI application, signed in as each role (manager, officer, administrator, exporter), and
checks every response:

- not_a_server_error: no 5xx;
- status_code_conformance, content_type_conformance, response_headers_conformance and
  response_schema_conformance: the status code, content type, headers and body are the ones the
  schema documents;
- ignored_auth: when an operation answers 2xx, the same request without credentials, and with
  invalid ones, is refused;
- negative_body_rejection (below): a request *body* that breaks the schema is refused with a 4xx.

Left out, because they report correct behaviour as failures here:

- positive_data_acceptance expects a 2xx for every schema-valid request. Whether a request is
  valid here mostly depends on the database and on rules a schema cannot state: ids and codes
  that must name existing rows, the caller's rights (403 is accepted by the check, but a 400
  "invalid_owner" for a manager named as owner is not), workflow moves (`transition`), unique
  codes, the password at /auth/token/ (a well-formed but wrong password is a 400). Every one of
  those correct 400s is reported as "Schema-valid request rejected". (It would also report two
  gaps of the request schemas, which do not say that bodies may not carry other fields,
  `additionalProperties: false`, nor that planning dates lie between 2000 and 2100.)
- negative_data_rejection for query strings: DRF pagination and django-filter deliberately
  ignore query values they cannot use (`page_size=abc` gives the default page size, `owner=`
  and `kind=` mean "no filter"), so "Schema-violating request accepted" would be reported for
  every list. The check is kept for request bodies, which the API validates strictly
  (`StrictInput`).

How it is put together:

- The data is the shared scene (tests.support.scene: people of each role, two initiatives
  with their work, reference data, progress reports, registered exporters, notifications),
  built once for the module, plus the optional references real data leaves empty (a country
  outside the regional tables, an action nobody owns yet, a KPI outside any initiative...) and
  records for the DELETE requests to remove. `world` gives its ids and codes.
- `api_schema` (parametrised: manager, officer, administrator, exporter) gives the user an
  API token and loads the schema from the application itself
  (`schemathesis.openapi.from_wsgi`). Its schemathesis configuration sends the token on every
  request and, through fuzzing dictionaries, fills `{id}` path parameters, references in
  bodies (initiative, owner, project, countries...) and filters with the seeded ids and codes
  most of the time, so that requests reach real rows and valid writes go through; the rest of
  the time the values are generated (404s, 400s).
- `schemathesis.pytest.from_fixture("api_schema")` makes one pytest test per role; each
  operation is reported as a subtest (label "GET /api/v1/milestones/{id}/").
- Everything runs inside the pytest-django `db` transaction: each request gets a savepoint
  (ATOMIC_REQUESTS), writes made by one example are seen by the next, and all is rolled back at
  the end. Works on SQLite and on PostgreSQL (DATABASE_URL).

SCHEMA_FUZZ_EXAMPLES=<n> runs more random examples per operation (default 6);
SCHEMA_FUZZ_SEED=<int> changes the (otherwise fixed, so that runs are repeatable) seed;
SCHEMA_FUZZ_COVERAGE=0 skips the coverage phase (most of the requests of each role).
"""

import os
from decimal import Decimal

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from rest_framework.authtoken.models import Token
from schemathesis import checks
from schemathesis.core.parameters import ParameterLocation

from programs.models import ReminderKind, SupportKind
from programs.services.notifications import CHOOSABLE_KINDS
from tests.factories import (
    CountryActionFactory,
    CountryFactory,
    KPIFactory,
    KPIMeasurementFactory,
    MilestoneFactory,
    NotificationFactory,
    RegionFactory,
    StatusUpdateFactory,
    SupportMeasureFactory,
)
from tests.support.figures import record
from tracker.wsgi import application

SCHEMA_URL = "/api/v1/schema/?format=json"
API = "/api/v1"
MAX_EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "6"))
SEED = int(os.environ.get("SCHEMA_FUZZ_SEED", "20260401"))
COVERAGE = os.environ.get("SCHEMA_FUZZ_COVERAGE", "1") != "0"
# How often a seeded id or code is used rather than a generated value.
REAL_VALUE_PROBABILITY = 0.8

# Request fields and filters that name another record -> the dictionary of seeded values.
REFERENCES = {
    "path.kind": "reminder-kind",
    "body.initiative": "initiative",
    "body.parent": "initiative",
    "body.project": "project",
    "body.owner": "user",
    "body.members[*]": "user",
    "body.countries[*]": "country-code",
    "body.fields[*]": "field-code",
    "body.partners[*]": "organisation-code",
    "body.lead_organisation": "organisation-code",
    "query.initiative": "initiative",
    "query.descendants_of": "initiative",
    "query.parent": "initiative",
    "query.project": "project",
    "query.milestone": "milestone",
    "query.owner": "user",
    "query.author": "user",
    "query.country": "country-code",
    "query.market": "country-code",
    "query.region": "region-code",
    "query.field": "field-code",
    "query.product_category": "category-code",
}


@pytest.fixture(scope="module")
def add_to_scene():
    return add_fuzz_records


def add_fuzz_records(scene):
    """On the shared scene (tests.support.scene), the optional references real data leaves
    empty (a country outside the regional tables, an action nobody owns yet, a KPI outside any
    initiative, a measure not yet published), a country of another region, a milestone and a
    status update for the DELETE requests to remove, and more of the officer's and the
    manager's notifications."""
    today = timezone.localdate()
    europe = RegionFactory(code="europe", order=3, name_ja="欧州", name_en="Europe")
    scene.germany = CountryFactory(iso2="DE", name_ja="ドイツ", name_en="Germany", region=europe)
    scene.others.countries.add(scene.germany)
    CountryFactory(iso2="BR", name_ja="ブラジル", name_en="Brazil", region=None)
    CountryActionFactory(plan=scene.plan, order=2, owner=None, text_ja="人材育成の協力")
    KPIFactory(code="KPI-VISITORS", initiative=None, name_ja="海外拠点の利用者数", unit="persons")
    KPIMeasurementFactory(kpi=scene.kpi, period_on=today.replace(day=1),
                          value=Decimal("120.25"), recorded_by=scene.officer, source="貿易統計")
    SupportMeasureFactory(code="SM-EC-PORTAL", kind=SupportKind.PORTAL,
                          name_ja="越境EC情報ポータル", is_published=False)
    scene.disposable_milestone = MilestoneFactory(initiative=scene.programme,
                                                  owner=scene.officer, title_ja="誤登録の節目")
    scene.disposable_update = StatusUpdateFactory(milestone=scene.milestone,
                                                  author=scene.officer, summary="重複した報告")
    scene.notifications = [
        scene.notification,
        NotificationFactory(recipient=scene.officer, kind=ReminderKind.OVERDUE,
                            title="期限を過ぎています", subject=scene.milestone,
                            read_at=timezone.now()),
        NotificationFactory(recipient=scene.manager, kind=ReminderKind.MANAGER_DIGEST,
                            title="今週の状況", body="遅延 1 件", subject=scene.milestone),
    ]
    return scene


@pytest.fixture
def world(scene):
    """The fuzzing dictionaries (the scene's ids and codes) and which dictionary fills the
    `{id}` of each detail path."""
    countries = [scene.countries["VN"], scene.countries["TH"], scene.germany]
    return {
        "dictionaries": {
            "country": [country.pk for country in countries],
            "country-action": [scene.action.pk],
            "country-plan": [scene.plan.pk],
            "initiative": [scene.programme.pk, scene.others.pk],
            "kpi": [scene.kpi.pk],
            "milestone": [scene.milestone.pk],
            "disposable-milestone": [scene.disposable_milestone.pk],
            "organisation": [scene.jetro.pk],
            "project": [scene.project.pk],
            "region": [region.pk for region in scene.regions.values()],
            "status-update": [scene.status_update.pk],
            "disposable-status-update": [scene.disposable_update.pk],
            "strategic-field": [scene.gx.pk],
            "support-measure": [scene.support_measure.pk],
            "notification": [notification.pk for notification in scene.notifications],
            # The exporter routes declare their id as a string of digits.
            "exporter": [str(profile.pk) for profile in (scene.company, scene.applicant)],
            "user": [scene.officer.pk, scene.other_officer.pk],
            "country-code": [country.iso2 for country in countries],
            "region-code": list(scene.regions),
            "field-code": [scene.gx.code],
            "organisation-code": [scene.jetro.code],
            "category-code": [scene.seafood.code, scene.sake.code],
            "reminder-kind": [str(kind) for kind in CHOOSABLE_KINDS],
        },
        # (method, or None for all but DELETE; path) -> dictionary of its `{id}`. DELETE gets
        # records of its own, so that the other operations keep theirs.
        "ids": {
            (None, "/countries/{id}/"): "country",
            (None, "/country-actions/{id}/"): "country-action",
            (None, "/country-plans/{id}/"): "country-plan",
            (None, "/initiatives/{id}/"): "initiative",
            (None, "/initiatives/{id}/health/"): "initiative",
            (None, "/initiatives/{id}/status-updates/"): "initiative",
            (None, "/kpis/{id}/"): "kpi",
            (None, "/kpis/{id}/measurements/"): "kpi",
            (None, "/milestones/{id}/"): "milestone",
            ("DELETE", "/milestones/{id}/"): "disposable-milestone",
            (None, "/milestones/{id}/status-updates/"): "milestone",
            (None, "/milestones/{id}/transition/"): "milestone",
            (None, "/organisations/{id}/"): "organisation",
            (None, "/projects/{id}/"): "project",
            (None, "/regions/{id}/"): "region",
            (None, "/status-updates/{id}/"): "status-update",
            ("DELETE", "/status-updates/{id}/"): "disposable-status-update",
            (None, "/strategic-fields/{id}/"): "strategic-field",
            (None, "/support-measures/{id}/"): "support-measure",
            (None, "/notifications/{id}/"): "notification",
            (None, "/notifications/{id}/read/"): "notification",
            (None, "/exporters/{id}/"): "exporter",
            (None, "/exporters/{id}/approve/"): "exporter",
            (None, "/exporters/{id}/reject/"): "exporter",
            (None, "/milestones/{id}/form/"): "milestone",
            (None, "/initiatives/{id}/form/"): "initiative",
            (None, "/country-actions/{id}/form/"): "country-action",
            (None, "/reports/initiatives/{id}/"): "initiative",
            **{(None, f"/reports/initiatives/{{id}}/{extension}/"): "initiative"
               for extension in ("csv", "xlsx", "pdf", "pptx")},
        },
    }


def schemathesis_config(token, world, seed):
    def seeded(dictionary):
        return {"dictionary": dictionary, "probability": REAL_VALUE_PROBABILITY}

    operations = []
    for (method, path), dictionary in world["ids"].items():
        operation = {"include-path": API + path, "parameters": {"path.id": seeded(dictionary)}}
        if method:
            operation["include-method"] = method
        else:
            operation["exclude-method"] = "DELETE"
        operations.append(operation)
    return schemathesis.Config.from_dict({
        "seed": seed,
        "headers": {"Authorization": f"Token {token}"},
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
        "phases": {
            # Besides the random examples, the coverage phase sends a fixed set of valid requests
            # (only the required parameters, then each optional one at its boundary values):
            # the unfiltered lists, which show every seeded row, are always among them. Its
            # invalid requests (hundreds per write operation) are left to the random examples.
            "coverage": {"enabled": COVERAGE, "generation": {"mode": "positive"}},
            # Sequences of calls (create, then read...) are not what this test is about.
            "stateful": {"enabled": False},
        },
        "dictionaries": {name: {"values": values}
                         for name, values in world["dictionaries"].items()},
        "parameters": {key: seeded(dictionary) for key, dictionary in REFERENCES.items()},
        "operations": operations,
    })


ROLES = ["manager", "officer", "administrator", "exporter"]
# Each role's run must send at least this many requests (CI: at least 2,000 in all).
MIN_REQUESTS_PER_ROLE = 500
requests_sent = []


@pytest.fixture(params=ROLES)
def api_schema(request, settings, world):
    # schemathesis 4.32's lazy loader reads and rewrites `item._nodeid`, which pytest 9.2 no
    # longer has (the node id now lives in `item._id`); give it one to work with.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
    # The WSGI client sends `Host: localhost`.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # Like django.test.Client: the requests must not close the test's connection (and with it
    # the transaction holding the data set) when they start and finish.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request.addfinalizer(lambda: request_started.connect(close_old_connections))
    request.addfinalizer(lambda: request_finished.connect(close_old_connections))

    requests_sent.clear()
    request.addfinalizer(lambda: check_requests_sent(request))

    user = getattr(request.getfixturevalue("scene"), request.param)
    token = Token.objects.create(user=user)
    # A seed of its own for each role, so that the roles' runs try different requests.
    seed = SEED + ROLES.index(request.param)
    return schemathesis.openapi.from_wsgi(SCHEMA_URL, application,
                                          config=schemathesis_config(token.key, world, seed))


def check_requests_sent(request):
    sent = len(requests_sent)
    record(f"schema fuzz as {request.param}: {sent} requests sent")
    assert sent >= MIN_REQUESTS_PER_ROLE * MAX_EXAMPLES / 6, (
        f"only {sent} requests were sent as {request.param}")


def negative_body_rejection(ctx, response, case):
    """schemathesis's negative_data_rejection, for requests whose *body* breaks the schema."""
    negated = {location for location, info in (case.meta.components if case.meta else {}).items()
               if info.mode.is_negative}
    if ParameterLocation.BODY not in negated:
        return None
    return checks.negative_data_rejection(ctx, response, case)


schema = schemathesis.pytest.from_fixture("api_schema")


@hypothesis.settings(
    max_examples=MAX_EXAMPLES, deadline=None, database=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture,
                           hypothesis.HealthCheck.too_slow,
                           hypothesis.HealthCheck.filter_too_much])
@schema.parametrize()
def test_every_operation_answers_as_its_schema_says(case):
    requests_sent.append(case.operation.label)
    case.call_and_validate(
        excluded_checks=[checks.positive_data_acceptance, checks.negative_data_rejection],
        additional_checks=[negative_body_rejection],
    )
