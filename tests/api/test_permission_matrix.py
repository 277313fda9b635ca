"""Who may do what through /api/v1/: every resource × action × kind of caller.

The table below is the policy. Columns are the callers:

- ``anon``     nobody signed in;
- ``own``      the programme officer ``officer`` acting on the record that hangs off the
               initiative they own (the scene's food-export programme);
- ``others``   the same officer acting on the matching record of someone else's initiative
               (the scene's AZEC2, owned by ``other_officer``);
- ``manager``, ``exporter``, ``admin``: those roles acting on the officer's record.

For reference data (regions, countries, fields, organisations, support measures) there is no
initiative behind the record, so ``own`` and ``others`` are the same officer on the same record.

The nested routes ``/milestones/{id}/status-updates/``, ``/initiatives/{id}/status-updates/``
and ``/kpis/{id}/measurements/`` are collections only (list and create): a status update is
read, corrected and deleted at ``/status-updates/{id}/``. Their ``update``/``delete`` rows are a
PATCH/DELETE sent to the collection URL, which no caller may do (405).

DRF checks authentication and permissions before it looks at the method, so a write to a
read-only internal resource is 401 for nobody, 403 for an exporter and 405 for everyone else.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from programs.models import (
    CountryAction,
    Initiative,
    KPIMeasurement,
    Milestone,
    Project,
    StatusUpdate,
)
from tests.factories import (
    KPIFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/v1"
TODAY = timezone.localdate

CALLERS = ("anon", "own", "others", "manager", "exporter", "admin")

# fmt: off
# resource                     action      anon  own  others manager exporter admin
MATRIX = [
    ("initiatives",               "list",     401, 200, 200,   200,    403,     200),
    ("initiatives",               "retrieve", 401, 200, 200,   200,    403,     200),
    ("initiatives",               "create",   401, 403, 403,   403,    403,     201),
    ("initiatives",               "update",   401, 200, 403,   403,    403,     200),
    ("initiatives",               "delete",   401, 405, 405,   405,    403,     405),

    ("projects",                  "list",     401, 200, 200,   200,    403,     200),
    ("projects",                  "retrieve", 401, 200, 200,   200,    403,     200),
    ("projects",                  "create",   401, 201, 403,   403,    403,     201),
    ("projects",                  "update",   401, 200, 403,   403,    403,     200),
    ("projects",                  "delete",   401, 405, 405,   405,    403,     405),

    ("milestones",                "list",     401, 200, 200,   200,    403,     200),
    ("milestones",                "retrieve", 401, 200, 200,   200,    403,     200),
    ("milestones",                "create",   401, 201, 403,   403,    403,     201),
    ("milestones",                "update",   401, 200, 403,   403,    403,     200),
    ("milestones",                "delete",   401, 204, 403,   403,    403,     204),

    ("status-updates",            "list",     401, 200, 200,   200,    403,     200),
    ("status-updates",            "retrieve", 401, 200, 200,   200,    403,     200),
    ("status-updates",            "create",   401, 405, 405,   405,    403,     405),
    ("status-updates",            "update",   401, 200, 403,   403,    403,     200),
    ("status-updates",            "delete",   401, 204, 403,   403,    403,     204),

    ("milestone-status-updates",  "list",     401, 200, 200,   200,    403,     200),
    ("milestone-status-updates",  "create",   401, 201, 403,   403,    403,     201),
    ("milestone-status-updates",  "update",   401, 405, 405,   405,    403,     405),
    ("milestone-status-updates",  "delete",   401, 405, 405,   405,    403,     405),

    ("initiative-status-updates", "list",     401, 200, 200,   200,    403,     200),
    ("initiative-status-updates", "create",   401, 201, 403,   403,    403,     201),
    ("initiative-status-updates", "update",   401, 405, 405,   405,    403,     405),
    ("initiative-status-updates", "delete",   401, 405, 405,   405,    403,     405),

    ("kpis",                      "list",     401, 200, 200,   200,    403,     200),
    ("kpis",                      "retrieve", 401, 200, 200,   200,    403,     200),
    ("kpis",                      "create",   401, 405, 405,   405,    403,     405),
    ("kpis",                      "update",   401, 405, 405,   405,    403,     405),
    ("kpis",                      "delete",   401, 405, 405,   405,    403,     405),

    ("kpi-measurements",          "list",     401, 200, 200,   200,    403,     200),
    ("kpi-measurements",          "create",   401, 201, 403,   403,    403,     201),
    ("kpi-measurements",          "update",   401, 405, 405,   405,    403,     405),
    ("kpi-measurements",          "delete",   401, 405, 405,   405,    403,     405),

    ("regions",                   "list",     401, 200, 200,   200,    403,     200),
    ("regions",                   "retrieve", 401, 200, 200,   200,    403,     200),
    ("regions",                   "create",   401, 405, 405,   405,    403,     405),
    ("regions",                   "update",   401, 405, 405,   405,    403,     405),
    ("regions",                   "delete",   401, 405, 405,   405,    403,     405),

    ("countries",                 "list",     401, 200, 200,   200,    403,     200),
    ("countries",                 "retrieve", 401, 200, 200,   200,    403,     200),
    ("countries",                 "create",   401, 405, 405,   405,    403,     405),
    ("countries",                 "update",   401, 405, 405,   405,    403,     405),
    ("countries",                 "delete",   401, 405, 405,   405,    403,     405),

    ("strategic-fields",          "list",     401, 200, 200,   200,    403,     200),
    ("strategic-fields",          "retrieve", 401, 200, 200,   200,    403,     200),
    ("strategic-fields",          "create",   401, 405, 405,   405,    403,     405),
    ("strategic-fields",          "update",   401, 405, 405,   405,    403,     405),
    ("strategic-fields",          "delete",   401, 405, 405,   405,    403,     405),

    ("organisations",             "list",     401, 200, 200,   200,    403,     200),
    ("organisations",             "retrieve", 401, 200, 200,   200,    403,     200),
    ("organisations",             "create",   401, 405, 405,   405,    403,     405),
    ("organisations",             "update",   401, 405, 405,   405,    403,     405),
    ("organisations",             "delete",   401, 405, 405,   405,    403,     405),

    ("country-plans",             "list",     401, 200, 200,   200,    403,     200),
    ("country-plans",             "retrieve", 401, 200, 200,   200,    403,     200),
    ("country-plans",             "create",   401, 405, 405,   405,    403,     405),
    ("country-plans",             "update",   401, 405, 405,   405,    403,     405),
    ("country-plans",             "delete",   401, 405, 405,   405,    403,     405),

    ("country-actions",           "list",     401, 200, 200,   200,    403,     200),
    ("country-actions",           "retrieve", 401, 200, 200,   200,    403,     200),
    ("country-actions",           "create",   401, 405, 405,   405,    403,     405),
    ("country-actions",           "update",   401, 200, 403,   403,    403,     200),
    ("country-actions",           "delete",   401, 405, 405,   405,    403,     405),

    ("support-measures",          "list",     401, 200, 200,   200,    200,     200),
    ("support-measures",          "retrieve", 401, 200, 200,   200,    200,     200),
    ("support-measures",          "create",   401, 405, 405,   405,    405,     405),
    ("support-measures",          "update",   401, 405, 405,   405,    405,     405),
    ("support-measures",          "delete",   401, 405, 405,   405,    405,     405),
]
# fmt: on


# --- how each resource is reached ----------------------------------------------------------

def _no_payload(side):
    return {}


@dataclass(frozen=True)
class Resource:
    """Where a resource lives and what a valid write looks like, for one side of the world
    (the officer's own initiative or someone else's)."""

    collection: Callable  # side -> URL of the list (and of create)
    item: Callable | None = None  # side -> URL of one record; None: a collection-only route
    create: Callable = _no_payload  # side -> a valid POST body
    update: Callable = _no_payload  # side -> a valid PATCH body

    def request(self, action, side):
        """(method, url, body) for `action` on `side`."""
        if action == "list":
            return "get", self.collection(side), None
        if action == "create":
            return "post", self.collection(side), self.create(side)
        url = self.item(side) if self.item else self.collection(side)
        if action == "retrieve":
            return "get", url, None
        if action == "update":
            return "patch", url, self.update(side)
        if action == "delete":
            return "delete", url, None
        raise AssertionError(action)


def in_days(days):
    return (TODAY() + timedelta(days=days)).isoformat()


RESOURCES = {
    "initiatives": Resource(
        collection=lambda s: f"{API}/initiatives/",
        item=lambda s: f"{API}/initiatives/{s.initiative.pk}/",
        create=lambda s: {"code": "NEW-INIT", "name_ja": "新しい施策",
                          "parent": s.initiative.pk},
        update=lambda s: {"summary_en": "Revised summary", "status": "active"},
    ),
    "projects": Resource(
        collection=lambda s: f"{API}/projects/",
        item=lambda s: f"{API}/projects/{s.project.pk}/",
        create=lambda s: {"initiative": s.initiative.pk, "code": "NEW-PROJ",
                          "name_ja": "新しい案件", "phase": "demonstration"},
        update=lambda s: {"name_en": "Renamed project"},
    ),
    "milestones": Resource(
        collection=lambda s: f"{API}/milestones/",
        item=lambda s: f"{API}/milestones/{s.milestone.pk}/",
        create=lambda s: {"initiative": s.initiative.pk, "title_ja": "報告書提出",
                          "owner": s.initiative.owner_id, "planned_due_on": in_days(20)},
        update=lambda s: {"percent_complete": 40},
    ),
    "status-updates": Resource(
        collection=lambda s: f"{API}/status-updates/",
        item=lambda s: f"{API}/status-updates/{s.milestone_update.pk}/",
        create=lambda s: {"summary": "進捗あり"},
        update=lambda s: {"summary": "進捗あり(修正)", "health": "amber"},
    ),
    "milestone-status-updates": Resource(
        collection=lambda s: f"{API}/milestones/{s.milestone.pk}/status-updates/",
        create=lambda s: {"summary": "先方と合意", "health": "green",
                          "next_steps": "署名式の準備"},
        update=lambda s: {"summary": "修正"},
    ),
    "initiative-status-updates": Resource(
        collection=lambda s: f"{API}/initiatives/{s.initiative.pk}/status-updates/",
        create=lambda s: {"summary": "全体として順調", "reported_on": TODAY().isoformat()},
        update=lambda s: {"summary": "修正"},
    ),
    "kpis": Resource(
        collection=lambda s: f"{API}/kpis/",
        item=lambda s: f"{API}/kpis/{s.kpi.pk}/",
        create=lambda s: {"code": "KPI-NEW", "name_ja": "新指標", "unit": "persons"},
        update=lambda s: {"name_en": "Exports"},
    ),
    "kpi-measurements": Resource(
        collection=lambda s: f"{API}/kpis/{s.kpi.pk}/measurements/",
        create=lambda s: {"period_on": "2025-12-31", "value": "12.5", "source": "財務省統計"},
        update=lambda s: {"value": "13"},
    ),
    "regions": Resource(
        collection=lambda s: f"{API}/regions/",
        item=lambda s: f"{API}/regions/{s.region.pk}/",
        create=lambda s: {"code": "new-region", "name_ja": "新地域", "name_en": "New"},
        update=lambda s: {"name_en": "Renamed"},
    ),
    "countries": Resource(
        collection=lambda s: f"{API}/countries/",
        item=lambda s: f"{API}/countries/{s.country.pk}/",
        create=lambda s: {"iso2": "QQ", "name_ja": "新国", "name_en": "New"},
        update=lambda s: {"name_en": "Renamed"},
    ),
    "strategic-fields": Resource(
        collection=lambda s: f"{API}/strategic-fields/",
        item=lambda s: f"{API}/strategic-fields/{s.field.pk}/",
        create=lambda s: {"code": "new-field", "name_ja": "新分野", "name_en": "New"},
        update=lambda s: {"name_en": "Renamed"},
    ),
    "organisations": Resource(
        collection=lambda s: f"{API}/organisations/",
        item=lambda s: f"{API}/organisations/{s.organisation.pk}/",
        create=lambda s: {"code": "new-org", "kind": "agency", "name_ja": "新機関"},
        update=lambda s: {"name_en": "Renamed"},
    ),
    "country-plans": Resource(
        collection=lambda s: f"{API}/country-plans/",
        item=lambda s: f"{API}/country-plans/{s.plan.pk}/",
        create=lambda s: {"initiative": s.initiative.pk, "country": s.country.pk},
        update=lambda s: {"fields_quote": "AI・半導体"},
    ),
    "country-actions": Resource(
        collection=lambda s: f"{API}/country-actions/",
        item=lambda s: f"{API}/country-actions/{s.action.pk}/",
        create=lambda s: {"plan": s.plan.pk, "order": 99, "text_ja": "新しいアクション"},
        update=lambda s: {"text_en": "Promote project formation", "status": "in_progress",
                          "due_on": in_days(90)},
    ),
    "support-measures": Resource(
        collection=lambda s: f"{API}/support-measures/",
        item=lambda s: f"{API}/support-measures/{s.support_measure.pk}/",
        create=lambda s: {"code": "SM-NEW", "kind": "subsidy", "name_ja": "新補助金"},
        update=lambda s: {"name_en": "Renamed"},
    ),
}


# --- the data ------------------------------------------------------------------------------

def side(scene, prefix=""):
    """The records of one side of the shared scene (tests.support.scene): the officer's
    initiative (no prefix) or other_officer's ("others_"), with the reference data."""
    own = {name: getattr(scene, prefix + name)
           for name in ("project", "milestone", "initiative_update", "kpi", "plan", "action")}
    return SimpleNamespace(
        initiative=scene.others if prefix else scene.programme,
        milestone_update=getattr(scene, prefix + "status_update"),
        **own,
        region=scene.region, country=scene.countries["VN"],
        other_country=scene.countries["TH"], field=scene.gx, organisation=scene.jetro,
        support_measure=scene.support_measure,
    )


@pytest.fixture
def world(scene):
    """Two matching sets of records: `own` under the officer's initiative, `others` under
    other_officer's. Reference data is shared by both."""
    return SimpleNamespace(own=side(scene), others=side(scene, "others_"))


@pytest.fixture
def callers(scene):
    return {"anon": None, "own": scene.officer, "others": scene.officer,
            "manager": scene.manager, "exporter": scene.exporter,
            "admin": scene.administrator}


# --- helpers -------------------------------------------------------------------------------

def send(client, method, url, body=None):
    # The matrix is about who may, not about versions: writes overwrite whatever is current.
    headers = {} if method == "get" else {"HTTP_IF_MATCH": "*"}
    if body is None:
        return getattr(client, method)(url, **headers)
    return getattr(client, method)(url, body, format="json", **headers)


def describe(response):
    try:
        body = response.json()
    except ValueError:
        body = response.content[:300]
    return f"{response.status_code} {body!r}"


def assert_error_shape(response):
    """Every error body is {"code", "detail", "fields"}."""
    if not response.content:
        return
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"code", "detail", "fields"}, body
    assert isinstance(body["code"], str) and body["code"], body
    assert isinstance(body["detail"], str) and body["detail"], body
    assert isinstance(body["fields"], dict), body


EXPECTED_ERROR_CODES = {401: "not_authenticated", 403: "permission_denied",
                        404: "not_found", 405: "method_not_allowed"}


def _cases():
    for resource, action, *expected in MATRIX:
        for caller, status in zip(CALLERS, expected, strict=True):
            yield pytest.param(resource, action, caller, status,
                               id=f"{resource}-{action}-{caller}")


# --- the matrix ----------------------------------------------------------------------------

def test_the_matrix_covers_every_resource_and_action():
    rows = {(resource, action) for resource, action, *_ in MATRIX}
    assert len(rows) == len(MATRIX), "a resource × action row is repeated"
    assert {resource for resource, _ in rows} == set(RESOURCES)
    for resource, spec in RESOURCES.items():
        actions = {"list", "create", "update", "delete"} | ({"retrieve"} if spec.item else set())
        assert {a for r, a in rows if r == resource} == actions, resource


@pytest.mark.parametrize("resource, action, caller, expected", list(_cases()))
def test_permission_matrix(api, world, callers, resource, action, caller, expected):
    side = world.others if caller == "others" else world.own
    method, url, body = RESOURCES[resource].request(action, side)

    response = send(api.as_user(callers[caller]), method, url, body)

    assert response.status_code == expected, f"{method.upper()} {url}: {describe(response)}"
    if response.status_code >= 300:
        assert_error_shape(response)
        assert response.json()["code"] == EXPECTED_ERROR_CODES[expected], describe(response)
    elif response.status_code == 204:
        assert not response.content
    else:
        payload = response.json()
        if action == "list":
            assert "results" in payload and payload["count"] >= 1, payload
        else:
            assert "id" in payload, payload


# --- what the writes did (and did not) change ----------------------------------------------

def test_allowed_writes_are_made_and_refused_ones_change_nothing(api, world, officer,
                                                                 manager):
    own, others = world.own, world.others
    refused = [
        send(api.as_user(officer), "patch", f"{API}/milestones/{others.milestone.pk}/",
             {"percent_complete": 90}),
        send(api.as_user(officer), "delete",
             f"{API}/status-updates/{others.milestone_update.pk}/"),
        send(api.as_user(manager), "patch", f"{API}/country-actions/{own.action.pk}/",
             {"text_en": "manager was here"}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403], [describe(r) for r in refused]
    assert Milestone.objects.get(pk=others.milestone.pk).percent_complete == 0
    assert StatusUpdate.objects.filter(pk=others.milestone_update.pk).exists()
    assert CountryAction.objects.get(pk=own.action.pk).text_en == ""

    client = api.as_user(officer)
    created = send(client, "post", f"{API}/milestones/{own.milestone.pk}/status-updates/",
                   {"summary": "先方と合意"})
    assert created.status_code == 201, describe(created)
    update = StatusUpdate.objects.get(pk=created.json()["id"])
    assert (update.author, update.milestone_id, update.initiative_id) == (
        officer, own.milestone.pk, None)
    measured = send(client, "post", f"{API}/kpis/{own.kpi.pk}/measurements/",
                    {"period_on": "2025-12-31", "value": "12.5"})
    assert measured.status_code == 201, describe(measured)
    recorded = KPIMeasurement.objects.get(kpi=own.kpi, period_on="2025-12-31")
    assert recorded.recorded_by == officer


def test_administrator_creates_an_initiative_under_a_parent(api, world, administrator):
    response = send(api.as_user(administrator), "post", f"{API}/initiatives/",
                    {"code": "NEW-INIT", "name_ja": "新しい施策",
                     "parent": world.own.initiative.pk})
    assert response.status_code == 201, describe(response)
    created = Initiative.objects.get(code="NEW-INIT")
    assert (created.parent, created.depth) == (world.own.initiative, 1)


# --- members, owners and authors -----------------------------------------------------------

@pytest.fixture
def member_world(world, officer):
    """The officer is a member (not the owner) of other_officer's initiative."""
    world.others.initiative.members.add(officer)
    return world.others


@pytest.mark.parametrize("method, url, body, expected", [
    # The initiative record is its owner's: a member may not change it.
    ("patch", "/initiatives/{s.initiative.pk}/", {"summary_en": "x"}, 403),
    # Its work is every officer's of the initiative, members included.
    ("patch", "/projects/{s.project.pk}/", {"name_en": "x"}, 200),
    ("post", "/projects/", "project", 201),
    ("patch", "/milestones/{s.milestone.pk}/", {"percent_complete": 10}, 200),
    ("post", "/milestones/", "milestone", 201),
    # …but not a milestone carrying a colleague's status update (the narrative is theirs).
    ("delete", "/milestones/{s.milestone.pk}/", None, 400),
    ("patch", "/country-actions/{s.action.pk}/", {"text_en": "x"}, 200),
    ("post", "/milestones/{s.milestone.pk}/status-updates/", {"summary": "追加"}, 201),
    ("post", "/initiatives/{s.initiative.pk}/status-updates/", {"summary": "追加"}, 201),
    ("post", "/kpis/{s.kpi.pk}/measurements/", {"period_on": "2025-12-31", "value": "1"}, 201),
    # A status update is its author's word: a colleague adds their own instead.
    ("patch", "/status-updates/{s.milestone_update.pk}/", {"summary": "書き換え"}, 403),
    ("delete", "/status-updates/{s.milestone_update.pk}/", None, 403),
    ("patch", "/status-updates/{s.initiative_update.pk}/", {"summary": "書き換え"}, 403),
    ("delete", "/status-updates/{s.initiative_update.pk}/", None, 403),
], ids=lambda v: v if isinstance(v, str) and v.startswith("/") else None)
def test_a_member_works_on_the_initiative_but_is_not_its_owner(api, member_world, officer,
                                                               method, url, body, expected):
    s = member_world
    if body in ("project", "milestone"):
        body = RESOURCES[f"{body}s"].create(s)
    response = send(api.as_user(officer), method, API + url.format(s=s), body)
    assert response.status_code == expected, describe(response)
    if expected >= 300:
        assert_error_shape(response)


def test_the_owner_may_not_rewrite_a_colleagues_status_update(api, world, officer,
                                                              other_officer):
    """Owning the initiative does not make someone else's narrative yours."""
    world.own.initiative.members.add(other_officer)
    colleague_update = StatusUpdateFactory(milestone=world.own.milestone, author=other_officer)
    client = api.as_user(officer)
    url = f"{API}/status-updates/{colleague_update.pk}/"
    patched = send(client, "patch", url, {"summary": "書き換え"})
    deleted = send(client, "delete", url)
    assert (patched.status_code, deleted.status_code) == (403, 403), (
        describe(patched), describe(deleted))
    assert_error_shape(patched)
    assert_error_shape(deleted)
    assert StatusUpdate.objects.get(pk=colleague_update.pk).summary == "順調に進捗"
    # ...while the colleague may correct it.
    own_word = send(api.as_user(other_officer), "patch", url, {"summary": "訂正"})
    assert own_word.status_code == 200, describe(own_word)


def test_an_officer_of_the_kpis_initiative_records_but_a_kpi_without_one_is_admin_only(
        api, world, officer, administrator):
    orphan = KPIFactory(initiative=None)
    url = f"{API}/kpis/{orphan.pk}/measurements/"
    body = {"period_on": "2025-12-31", "value": "3"}
    refused = send(api.as_user(officer), "post", url, body)
    assert refused.status_code == 403, describe(refused)
    assert_error_shape(refused)
    allowed = send(api.as_user(administrator), "post", url, body)
    assert allowed.status_code == 201, describe(allowed)


# --- ids that do not exist -----------------------------------------------------------------

MISSING = 987654

NOT_FOUND = [
    ("get", "/initiatives/{id}/"),
    ("patch", "/initiatives/{id}/"),
    ("get", "/initiatives/{id}/status-updates/"),
    ("post", "/initiatives/{id}/status-updates/"),
    ("get", "/projects/{id}/"),
    ("patch", "/projects/{id}/"),
    ("get", "/milestones/{id}/"),
    ("patch", "/milestones/{id}/"),
    ("delete", "/milestones/{id}/"),
    ("get", "/milestones/{id}/status-updates/"),
    ("post", "/milestones/{id}/status-updates/"),
    ("get", "/status-updates/{id}/"),
    ("patch", "/status-updates/{id}/"),
    ("delete", "/status-updates/{id}/"),
    ("get", "/kpis/{id}/"),
    ("get", "/kpis/{id}/measurements/"),
    ("post", "/kpis/{id}/measurements/"),
    ("get", "/regions/{id}/"),
    ("get", "/countries/{id}/"),
    ("get", "/strategic-fields/{id}/"),
    ("get", "/organisations/{id}/"),
    ("get", "/country-plans/{id}/"),
    ("get", "/country-actions/{id}/"),
    ("patch", "/country-actions/{id}/"),
    ("get", "/support-measures/{id}/"),
]

WRITE_BODIES = {
    "/initiatives/{id}/": {"summary_en": "x"},
    "/projects/{id}/": {"name_en": "x"},
    "/milestones/{id}/": {"percent_complete": 10},
    "/status-updates/{id}/": {"summary": "x"},
    "/country-actions/{id}/": {"text_en": "x"},
    "/initiatives/{id}/status-updates/": {"summary": "x"},
    "/milestones/{id}/status-updates/": {"summary": "x"},
    "/kpis/{id}/measurements/": {"period_on": "2025-12-31", "value": "1"},
}


@pytest.mark.parametrize("caller", ["officer", "manager", "administrator"])
@pytest.mark.parametrize("method, url", NOT_FOUND, ids=[f"{m}-{u}" for m, u in NOT_FOUND])
def test_a_missing_id_is_404_for_internal_roles(api, world, request, caller, method, url):
    user = request.getfixturevalue(caller)
    body = WRITE_BODIES.get(url) if method in ("post", "patch") else None
    response = send(api.as_user(user), method, API + url.format(id=MISSING), body)
    assert response.status_code == 404, describe(response)
    assert_error_shape(response)
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("caller, url, expected", [
    ("anon", "/milestones/{id}/", 401),
    ("anon", "/support-measures/{id}/", 401),
    # Permissions are checked before the lookup: an exporter learns nothing about ids.
    ("exporter", "/milestones/{id}/", 403),
    ("exporter", "/support-measures/{id}/", 404),
])
def test_a_missing_id_for_outside_callers(api, callers, caller, url, expected):
    response = send(api.as_user(callers[caller]), "get", API + url.format(id=MISSING))
    assert response.status_code == expected, describe(response)
    assert_error_shape(response)


def test_a_manager_on_the_team_still_changes_nothing(api, world, manager):
    """Work is changed by officers of the initiative; a manager listed as a member reviews."""
    own = world.own
    own.initiative.members.add(manager)
    client = api.as_user(manager)
    responses = [
        send(client, "patch", f"{API}/milestones/{own.milestone.pk}/", {"percent_complete": 5}),
        send(client, "post", f"{API}/milestones/{own.milestone.pk}/status-updates/",
             {"summary": "x"}),
        send(client, "patch", f"{API}/country-actions/{own.action.pk}/", {"text_en": "x"}),
        send(client, "post", f"{API}/kpis/{own.kpi.pk}/measurements/",
             {"period_on": "2025-12-31", "value": "1"}),
    ]
    assert [r.status_code for r in responses] == [403] * 4, [describe(r) for r in responses]


def test_projects_are_not_deleted_through_the_api(api, world, administrator):
    response = send(api.as_user(administrator), "delete",
                    f"{API}/projects/{world.own.project.pk}/")
    assert response.status_code == 405
    assert Project.objects.filter(pk=world.own.project.pk).exists()
