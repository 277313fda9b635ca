"""Every list endpoint reads the database a fixed number of times, whatever the page size and
however many rows there are: no N+1.

Each list is requested twice over the same data (the shared scene, built once for the module,
with ROWS rows added to every list, each with its related objects filled in): once with
?page_size=5 and once with ?page_size=50. Both requests must stay within the endpoint's
budget, and both must issue exactly the same number of queries, so a serializer that starts
reading a relation row by row fails here.

Budget per request (as counted by pytest-django, i.e. every SQL statement on the connection).
ATOMIC_REQUESTS is on, so inside a test every request also issues SAVEPOINT and RELEASE
SAVEPOINT: the "total" column is the data queries + 2.

| endpoint                                   | data queries                              | total |
|--------------------------------------------|-------------------------------------------|-------|
| GET /api/v1/regions/                       | count, page                               |   4   |
| GET /api/v1/countries/                     | count, page (+region joined)              |   4   |
| GET /api/v1/strategic-fields/              | count, page                               |   4   |
| GET /api/v1/organisations/                 | count, page                               |   4   |
| GET /api/v1/milestones/                    | count, page (+initiative, owner), countries|   5   |
| GET /api/v1/status-updates/                | count, page (+author joined)              |   4   |
| GET /api/v1/country-actions/               | count, page (+owner, plan, country joined)|   4   |
| GET /api/v1/kpis/                          | count, page, measurements                 |   5   |
| GET /api/v1/projects/                      | count, page, countries, partners          |   6   |
| GET /api/v1/country-plans/                 | count, page, plan fields, actions         |   6   |
| GET /api/v1/support-measures/              | count, page, categories, markets          |   6   |
|   (same, as a registered exporter)         |                                           |   6   |
| GET /api/v1/initiatives/                   | count, page, members, countries, fields   |   7   |
| GET /api/v1/milestones/{id}/status-updates/| milestone, count, page                    |   5   |
| GET /api/v1/kpis/{id}/measurements/        | KPI, count, page                          |   5   |
| GET /api/v1/initiatives/{id}/status-updates/| initiative, count, page                  |   5   |
| GET /api/v1/exporters/me/support-measures/ | scope, its codes' ids, ranked page with   |   6   |
|   (an exporter every measure fits)         | its count, the page's categories+markets  |       |

The simple lists (no to-many relation shown) stay within 5 queries in all. A list that shows a
to-many relation spends one prefetch query per relation, never one per row. The nested lists
fetch their parent without the relations only the parent's own page shows. An exporter's
matched measures are ranked by the database (the score in correlated COUNT subqueries), so
their page costs the same however many measures fit; the company's profile is already on the
signed-in user here (a token request reads it too: one more).
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import OrganisationKind
from programs.models import (
    CountryAction,
    CountryPlanField,
    Health,
    KPIMeasurement,
    StatusUpdate,
    SupportKind,
    WorkStatus,
)
from tests.factories import (
    CountryFactory,
    CountryPlanFactory,
    ExporterProfileFactory,
    InitiativeFactory,
    KPIFactory,
    MilestoneFactory,
    OrganisationFactory,
    ProductCategoryFactory,
    ProjectFactory,
    RegionFactory,
    StrategicFieldFactory,
    SupportMeasureFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROWS = 36  # rows of every list; page_size=50 shows all of them (or 50 when there are more)
SMALL, LARGE = 5, 50
API = "/api/v1/"


def iso2(i):
    return f"{chr(65 + i // 26)}{chr(65 + i % 26)}"


@pytest.fixture(scope="module")
def add_to_scene():
    return add_rows


@pytest.fixture
def world(scene):
    """The parents of the nested lists: the first of the rows added to the scene."""
    return scene.parents


def add_rows(scene):
    """On the shared scene (tests.support.scene), ROWS rows of every listed model, each with all
    its relations filled in."""
    today = timezone.localdate()
    officers = [
        UserFactory(username=f"qc_officer_{i}", role="officer", first_name=f"太郎{i}",
                    last_name="経産") for i in range(6)
    ]
    organisations = [
        OrganisationFactory(
            code=f"qc-org-{i:02d}", kind=list(OrganisationKind.values)[i % 7],
            name_ja=f"機関{i}", name_en=f"Organisation {i}", abbreviation=f"ORG{i}",
            source_quote=f"機関{i}") for i in range(ROWS)
    ]
    for i, officer in enumerate(officers):
        officer.organisation = organisations[i]
        officer.save(update_fields=["organisation"])
    regions = [
        RegionFactory(code=f"qc-region-{i:02d}", order=i, name_ja=f"地域{i}",
                      name_en=f"Region {i}", source_quote=f"地域{i}")
        for i in range(ROWS)
    ]
    countries = [
        CountryFactory(iso2=iso2(i), name_ja=f"国{i}", name_en=f"Country {i}",
                       region=regions[i % ROWS], source_quote=f"国{i}")
        for i in range(ROWS)
    ]
    fields = [
        StrategicFieldFactory(code=f"qc-field-{i:02d}", name_ja=f"分野{i}",
                              name_en=f"Field {i}", variants=[f"分野{i}の別表記"],
                              source_quote=f"分野{i}")
        for i in range(ROWS)
    ]
    categories = [
        ProductCategoryFactory(code=f"qc-cat-{i}", order=i, name_ja=f"品目{i}",
                               name_en=f"Category {i}") for i in range(6)
    ]

    def pick(items, i, k):
        return [items[(i + j) % len(items)] for j in range(k)]

    roots = []
    initiatives = []
    for i in range(ROWS):
        parent = roots[i % len(roots)] if i >= 6 else None
        health = (Health.GREEN, Health.AMBER, Health.RED)[i % 3]
        initiative = InitiativeFactory(
            code=f"QC-INIT-{i:02d}", parent=parent, name_ja=f"施策{i}",
            name_en=f"Initiative {i}", summary_ja="概要", summary_en="Summary",
            aliases=[f"別名{i}"], lead_organisation=organisations[i],
            owner=officers[i % 6], start_on=date(2026, 4, 1), end_on=date(2030, 3, 31),
            health=health, health_note="" if health == Health.GREEN else "遅延の懸念",
            health_set_by=officers[(i + 1) % 6], health_set_at=timezone.now(),
            source_quote=f"施策{i}")
        initiative.members.set(pick(officers, i + 1, 3))
        initiative.countries.set(pick(countries, i, 3))
        initiative.fields.set(pick(fields, i, 2))
        initiatives.append(initiative)
        if parent is None:
            roots.append(initiative)

    projects = []
    for i in range(ROWS):
        project = ProjectFactory(
            code=f"QC-PROJ-{i:02d}", initiative=initiatives[i], name_ja=f"案件{i}",
            name_en=f"Project {i}", summary_ja="概要", theme_ja="GX", theme_en="GX")
        project.countries.set(pick(countries, i, 2))
        project.partners.set(pick(organisations, i + 1, 2))
        projects.append(project)

    milestones = [
        MilestoneFactory(
            initiative=initiatives[i], project=projects[i], title_ja=f"マイルストーン{i}",
            title_en=f"Milestone {i}", description="説明", owner=officers[i % 6],
            planned_due_on=today + timedelta(days=i - 10),
            baseline_due_on=today + timedelta(days=i - 15),
            status=(WorkStatus.NOT_STARTED, WorkStatus.IN_PROGRESS, WorkStatus.BLOCKED)[i % 3],
            health=Health.GREEN, percent_complete=i)
        for i in range(ROWS)
    ]

    def status_update(i, **subject):
        return StatusUpdate(
            author=officers[i % 6], reported_on=today - timedelta(days=i), summary=f"進捗{i}",
            risks="為替", next_steps="協議", health=Health.GREEN, **subject)

    # ROWS updates on the first milestone, ROWS on the first initiative, one on every other
    # milestone and initiative.
    StatusUpdate.objects.bulk_create(
        [status_update(i, milestone=milestones[0]) for i in range(ROWS)]
        + [status_update(i, initiative=initiatives[0]) for i in range(ROWS)]
        + [status_update(i, milestone=milestones[i]) for i in range(1, ROWS)]
        + [status_update(i, initiative=initiatives[i]) for i in range(1, ROWS)]
    )

    kpis = [
        KPIFactory(
            code=f"QC-KPI-{i:02d}", initiative=initiatives[i], name_ja=f"指標{i}",
            name_en=f"KPI {i}", unit="trillion_jpy", baseline_value=Decimal("1.5"),
            baseline_year=2024, target_value=Decimal("3.0"), target_year=2030,
            source_quote=f"指標{i}")
        for i in range(ROWS)
    ]
    # Three measurements on every KPI, ROWS on the first one.
    KPIMeasurement.objects.bulk_create(
        [KPIMeasurement(kpi=kpi, period_on=date(2023 + y, 12, 31), value=Decimal(y + 1),
                        source="統計", recorded_by=officers[y % 6])
         for kpi in kpis[1:] for y in range(3)]
        + [KPIMeasurement(kpi=kpis[0], period_on=date(2000 + y, 12, 31), value=Decimal(y),
                          source="統計", recorded_by=officers[y % 6]) for y in range(ROWS)]
    )

    plans = [
        CountryPlanFactory(initiative=roots[i % len(roots)], country=countries[i],
                           fields_quote=f"分野{i}、分野{i + 1}")
        for i in range(ROWS)
    ]
    CountryPlanField.objects.bulk_create(
        [CountryPlanField(plan=plan, field=field, order=j, mp_adopted=j == 0)
         for i, plan in enumerate(plans) for j, field in enumerate(pick(fields, i, 3))]
    )
    CountryAction.objects.bulk_create(
        [CountryAction(plan=plan, order=j + 1, text_ja=f"アクション{i}-{j}",
                       text_en=f"Action {i}-{j}", owner=officers[(i + j) % 6],
                       status=WorkStatus.IN_PROGRESS, due_on=today + timedelta(days=j))
         for i, plan in enumerate(plans) for j in range(3)]
    )

    for i in range(ROWS):
        SupportMeasureFactory(
            code=f"QC-SUP-{i:02d}", initiative=initiatives[i], provider=organisations[i],
            kind=list(SupportKind.values)[i % 8], name_ja=f"支援策{i}",
            name_en=f"Support {i}", summary_ja="概要", summary_en="Summary",
            opens_on=today - timedelta(days=30), closes_on=today + timedelta(days=300),
            url=f"https://example.jp/support/{i}", source_quote=f"支援策{i}",
            product_categories=pick(categories, i, 3), target_markets=pick(countries, i, 3))

    # An exporter that every one of these measures fits (the scene's own fits none of them).
    scene.exporter_of_all = ExporterProfileFactory(product_categories=categories,
                                                   target_markets=countries).user
    scene.parents = {"milestone": milestones[0], "initiative": initiatives[0], "kpi": kpis[0]}
    return scene


# name -> (path, query budget per request); a path with {id} is a nested list whose parent is
# the world's first milestone / initiative / KPI.
ENDPOINTS = {
    "regions": ("regions/", 4),
    "countries": ("countries/", 4),
    "strategic-fields": ("strategic-fields/", 4),
    "organisations": ("organisations/", 4),
    "milestones": ("milestones/", 5),
    "status-updates": ("status-updates/", 4),
    "country-actions": ("country-actions/", 4),
    "kpis": ("kpis/", 5),
    "projects": ("projects/", 6),
    "country-plans": ("country-plans/", 6),
    "support-measures": ("support-measures/", 6),
    "initiatives": ("initiatives/", 7),
    "milestone-status-updates": ("milestones/{milestone}/status-updates/", 5),
    "kpi-measurements": ("kpis/{kpi}/measurements/", 5),
    "initiative-status-updates": ("initiatives/{initiative}/status-updates/", 5),
}
# An exporter's own list (the manager above may not read it): its scope, count, page,
# categories, markets.
MATCHED_MEASURES_BUDGET = 6


def url_of(path, world):
    return API + path.format(**{key: obj.pk for key, obj in world.items()})


def show(captured):
    return "\n".join(f"  {n + 1}. {q['sql'][:300]}" for n, q in enumerate(captured))


def assert_constant_queries(client, url, budget, django_assert_max_num_queries):
    """Ask for `url` with a small and a large page: both within `budget`, and equal."""
    with django_assert_max_num_queries(budget) as small:
        small_page = client.get(url, {"page_size": SMALL})
    with django_assert_max_num_queries(budget) as large:
        large_page = client.get(url, {"page_size": LARGE})

    assert small_page.status_code == 200, small_page.content
    assert large_page.status_code == 200, large_page.content
    total = large_page.json()["count"]
    assert total >= 30, f"{url}: only {total} rows, the check needs at least 30"
    assert len(small_page.json()["results"]) == SMALL
    assert len(large_page.json()["results"]) == min(total, LARGE)
    assert len(small.captured_queries) == len(large.captured_queries), (
        f"{url}: {len(small.captured_queries)} queries for {SMALL} rows but "
        f"{len(large.captured_queries)} for {min(total, LARGE)} rows (N+1)\n"
        f"page_size={SMALL}:\n{show(small.captured_queries)}\n"
        f"page_size={LARGE}:\n{show(large.captured_queries)}"
    )
    return len(small.captured_queries)


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_list_query_count_does_not_grow_with_rows(name, api, manager, world,
                                                  django_assert_max_num_queries):
    path, budget = ENDPOINTS[name]
    assert_constant_queries(api.as_user(manager), url_of(path, world), budget,
                            django_assert_max_num_queries)


def test_support_measures_query_count_for_an_exporter(api, scene, world,
                                                      django_assert_max_num_queries):
    path, budget = ENDPOINTS["support-measures"]
    assert_constant_queries(api.as_user(scene.exporter), url_of(path, world), budget,
                            django_assert_max_num_queries)


def test_an_exporters_matched_measures_query_count(api, scene, django_assert_max_num_queries):
    """Ranked in SQL and paged: a page of 50 fitting measures costs what a page of 5 does."""
    client = api.as_user(scene.exporter_of_all)
    url = f"{API}exporters/me/support-measures/"
    assert_constant_queries(client, url, MATCHED_MEASURES_BUDGET, django_assert_max_num_queries)
    fit = client.get(url, {"page_size": SMALL}).json()["results"][0]
    assert fit["matched_categories"] and fit["matched_markets"]
    assert fit["measure"]["provider"] and fit["measure"]["product_categories"]


def test_the_checked_rows_really_carry_their_relations(api, manager, world):
    """Guard against a vacuous pass: the pages measured above show filled relations. Where
    the scene's own records would come first, the rows are ordered so that one of the rows
    added here does."""
    client = api.as_user(manager)

    def first(path, ordering=None):
        query = {"page_size": SMALL, **({"ordering": ordering} if ordering else {})}
        return client.get(url_of(path, world), query).json()["results"][0]

    initiative = first("initiatives/", "-path")
    assert initiative["owner"] and initiative["lead_organisation"]
    assert initiative["health_set_by"]
    assert initiative["members"] and initiative["countries"] and initiative["fields"]
    project = first("projects/", "-code")
    assert project["initiative"] and project["countries"] and project["partners"]
    milestone = first("milestones/")
    assert milestone["initiative"] and milestone["owner"] and milestone["project"]
    assert milestone["countries"]
    assert first("status-updates/")["author"]
    assert first("kpis/", "-code")["measurements"][0]["recorded_by"]
    assert first("countries/")["region"]
    plan = first("country-plans/", "-id")
    assert plan["country"]["region"] and plan["initiative"]
    assert plan["fields"] and plan["actions"][0]["owner"]
    action = first("country-actions/", "-id")
    assert action["owner"] and action["country"]
    support = first("support-measures/")
    assert support["provider"] and support["product_categories"] and support["target_markets"]
    assert first("milestones/{milestone}/status-updates/")["author"]
    assert first("initiatives/{initiative}/status-updates/")["author"]
    assert first("kpis/{kpi}/measurements/")["recorded_by"]


# The portfolio: 13 with the slipped list; an initiative's report also reads the initiative
# and draws its milestones' timeline.
REPORT_QUERY_BUDGETS = {"reports/portfolio/": 13, "reports/initiatives/{initiative}/": 15}


@pytest.mark.parametrize("path", list(REPORT_QUERY_BUDGETS))
def test_reports_read_the_database_a_fixed_number_of_times(path, manager, world):
    """At most its budget of statements, token authentication included (transaction
    control aside), however many milestones, places and KPIs there are."""
    token = Token.objects.create(user=manager)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url_of(path, world))
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["milestones"]["total"] and report["kpis"] and report["by_country"]
    queries = [q["sql"] for q in captured.captured_queries
               if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(queries) <= REPORT_QUERY_BUDGETS[path], "\n".join(q[:200] for q in queries)
