"""The generator: officers, initiatives, projects, milestones with their history, KPIs,
exporters and support measures, written in bulk in a fixed order from one seeded random
source."""

import random
import string
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from accounts.models import Organisation, Role, User
from exporters.models import ExporterProfile, ExporterStatus
from exporters.prefectures import Prefecture
from exporters.validators import corporate_number_check_digit
from programs.models import (
    KPI,
    Country,
    Health,
    Initiative,
    InitiativeStatus,
    KPIDirection,
    KPIMeasurement,
    KPIUnit,
    Milestone,
    ProductCategory,
    Project,
    ProjectPhase,
    StrategicField,
    SupportKind,
    SupportMeasure,
)
from programs.services.initiatives import initiative_path

from .milestones import MilestoneSpec
from .report import Stage
from .shape import (
    CATEGORY_WEIGHTS,
    CODE_PREFIX,
    COMPANY_CORES,
    COMPANY_FORMS,
    COMPANY_TRADES,
    DEFAULT_THEMES,
    FAMILY_NAMES,
    GENERATED_KPIS,
    GIVEN_NAMES,
    HEALTH_NOTES,
    HISTORY_WEIGHT,
    INITIATIVE_NAMES,
    INITIATIVES_CREATED_DAYS_BEFORE,
    LOAD_REASON,
    MARKET_WEIGHTS,
    MAX_INITIATIVE_DEPTH,
    MEASUREMENT_SOURCE,
    MILESTONE_TITLES,
    OFFICER_ORGANISATIONS,
    PARTNER_ORGANISATIONS,
    PHASE_WORDS,
    PROJECTS_CREATED_DAYS_BEFORE,
    SUPPORT_PROVIDERS,
    SUPPORT_WORDS,
    THEMES,
    USERNAME_PREFIX,
    WHOLE_UNITS,
    counts_for,
)


@contextmanager
def timestamps_as_given():
    """Let bulk_create keep the created/updated times we give instead of stamping now(), so
    that a record's times agree with its history (process-local; restored on exit)."""
    stamped = [f for model in (Initiative, Project, Milestone, KPIMeasurement, SupportMeasure,
                               ExporterProfile)
               for f in model._meta.concrete_fields
               if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    for f in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _batches(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _links(many_field, pairs):
    """Rows of a many-to-many table, from (owner pk, target pk) pairs."""
    through = many_field.remote_field.through
    source = f"{many_field.m2m_field_name()}_id"
    target = f"{many_field.m2m_reverse_field_name()}_id"
    return [through(**{source: a, target: b}) for a, b in pairs]


@dataclass
class _Team:
    """A generated initiative as milestones and projects need it."""

    pk: int
    people: tuple
    countries: list
    fields: list


class Generator:
    def __init__(self, *, scale, seed, anchor, batch_size, report, on_progress):
        # Reproducible test data, not secrets: a seeded generator on purpose.
        self.rng = random.Random(seed)  # nosec B311
        self.counts = counts_for(scale)
        self.anchor = anchor
        self.batch_size = batch_size
        self.report = report
        self.on_progress = on_progress
        self.tz = timezone.get_default_timezone()
        self.use_copy = connection.vendor == "postgresql"

    # Helpers ----------------------------------------------------------------------------

    def _stage(self, name, total):
        stage = Stage(name, total, on_progress=self.on_progress)
        self.report.stages.append(stage)
        return stage

    @contextmanager
    def _running(self, name, total):
        """A stage done in one spell."""
        stage = self._stage(name, total)
        with stage.running():
            yield stage
        stage.finish()

    def _day(self, days_from_anchor):
        return self.anchor + timedelta(days=days_from_anchor)

    def _moment(self, day, first_hour=8, last_hour=20):
        """A time on `day` during office hours."""
        seconds = self.rng.randrange(first_hour * 3600, last_hour * 3600)
        return datetime.combine(day, datetime.min.time(), tzinfo=self.tz) + timedelta(
            seconds=seconds, microseconds=self.rng.randrange(1_000_000))

    def _weighted(self, weights):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _sample_weighted(self, weights, k):
        """k distinct keys of `weights`, drawn by weight."""
        chosen, pool = [], dict(weights)
        for _ in range(min(k, len(pool))):
            key = self._weighted(pool)
            chosen.append(key)
            del pool[key]
        return chosen

    def _insert(self, model, objs, stage, *, history=True):
        """bulk_create in batches, with a creation history row for each object (dated by its
        `_history_date`)."""
        for batch in _batches(objs, self.batch_size):
            model.objects.bulk_create(batch)
            if history:
                model.history.bulk_history_create(batch, default_change_reason=LOAD_REASON)
            stage.advance(len(batch), related=len(batch) if history else 0)

    def _insert_links(self, many_field, pairs, stage):
        links = _links(many_field, pairs)
        for batch in _batches(links, self.batch_size):
            many_field.remote_field.through.objects.bulk_create(batch)
        stage.advance(0, related=len(links))

    # The run ----------------------------------------------------------------------------

    def run(self):
        self._read_seed()
        # Without a demo password (production) the generated people cannot sign in.
        self.password = make_password(settings.DEMO_PASSWORD or None, salt="".join(
            self.rng.choices(string.ascii_letters + string.digits, k=22)))
        for step in (self._officers, self._initiatives, self._projects, self._milestones,
                     self._kpis, self._exporters, self._support_measures):
            step()

    def _read_seed(self):
        """The seeded reference data, in the order of natural keys (not ids), so that the same
        seed draws the same choices on any database."""
        self.countries = sorted(Country.objects.select_related("region"), key=lambda c: c.iso2)
        self.country_by_iso2 = {c.iso2: c for c in self.countries}
        self.regional_countries = [c for c in self.countries if c.region_id] or self.countries
        self.fields = sorted(StrategicField.objects.all(), key=lambda f: f.code)
        self.field_by_code = {f.code: f for f in self.fields}
        organisations = {o.code: o for o in Organisation.objects.all()}
        by_codes = [organisations[code] for code in sorted(organisations)]

        def pick(codes):
            return [organisations[c] for c in codes if c in organisations] or by_codes

        self.officer_organisations = pick(OFFICER_ORGANISATIONS)
        self.partner_organisations = pick(PARTNER_ORGANISATIONS)
        self.support_providers = pick(SUPPORT_PROVIDERS)
        self.categories = sorted(ProductCategory.objects.all(), key=lambda c: (c.order, c.code))
        self.seeded_initiatives = sorted(
            Initiative.objects.exclude(code__startswith=CODE_PREFIX).prefetch_related(
                "countries", "fields"), key=lambda i: i.code)
        self.seeded_kpis = sorted(KPI.objects.exclude(code__startswith=CODE_PREFIX),
                                  key=lambda k: k.code)
        self.measured = set(KPIMeasurement.objects.values_list("kpi_id", "period_on"))
        self.corporate_numbers = set(
            ExporterProfile.objects.values_list("corporate_number", flat=True))

    # Officers ---------------------------------------------------------------------------

    def _person(self):
        return self.rng.choice(FAMILY_NAMES), self.rng.choice(GIVEN_NAMES)

    def _officers(self):
        total = self.counts["officers"]
        with self._running("officers", total) as stage:
            users = []
            for number in range(1, total + 1):
                family, given = self._person()
                username = f"{USERNAME_PREFIX}officer-{number:04d}"
                user = User(
                    username=username, email=f"{username}@example.jp", last_name=family,
                    first_name=given, role=Role.OFFICER, is_staff=True, password=self.password,
                    organisation=self.rng.choice(self.officer_organisations),
                    language="en" if self.rng.random() < 0.1 else "ja",
                    date_joined=self._moment(self._day(-self.rng.randint(820, 1100))))
                user._history_date = user.date_joined
                users.append(user)
            self._insert(User, users, stage)
        self.officer_ids = [u.pk for u in users]

    # Initiatives ------------------------------------------------------------------------

    def _initiative_name(self, countries, fields):
        country, field_ = countries[0], fields[0]
        region = country.region or country
        template_ja, template_en = self.rng.choice(INITIATIVE_NAMES)
        return (template_ja.format(country=country.name_ja, field=field_.name_ja,
                                   region=region.name_ja),
                template_en.format(country=country.name_en, field=field_.name_en,
                                   region=region.name_en))

    def _initiatives(self):
        """Initiatives under the seeded tree (below its top level), a third of them under
        other generated initiatives; each takes its countries and fields from its parent."""
        total = self.counts["initiatives"]
        rng = self.rng
        with self._running("initiatives", total) as stage:
            parents = [(i, sorted(i.countries.all(), key=lambda c: c.iso2),
                        sorted(i.fields.all(), key=lambda f: f.code))
                       for i in self.seeded_initiatives if i.depth >= 1]
            generated, nestable = [], []
            for number in range(1, total + 1):
                parent, parent_countries, parent_fields = rng.choice(
                    nestable if nestable and rng.random() < 0.35 else parents)
                countries = (rng.sample(parent_countries,
                                        rng.randint(1, min(3, len(parent_countries))))
                             if parent_countries else
                             rng.sample(self.regional_countries, rng.randint(1, 2)))
                fields = ([rng.choice(parent_fields)] if parent_fields
                          else rng.sample(self.fields, rng.randint(1, 2)))
                people = tuple(rng.sample(self.officer_ids,
                                          min(len(self.officer_ids), rng.randint(3, 5))))
                initiative = self._initiative(number, parent, countries, fields, owner=people[0])
                generated.append((initiative, people, countries, fields))
                if initiative.depth < MAX_INITIATIVE_DEPTH:
                    nestable.append((initiative, countries, fields))
            # Parents before children, so that each child's parent has its id.
            initiatives = [i for i, *_ in generated]
            for depth in sorted({i.depth for i in initiatives}):
                self._insert(Initiative, [i for i in initiatives if i.depth == depth], stage)
            for name, pairs in (
                    ("members", [(i.pk, pk) for i, people, *_ in generated for pk in people[1:]]),
                    ("countries", [(i.pk, c.pk) for i, _, countries, _ in generated
                                   for c in countries]),
                    ("fields", [(i.pk, f.pk) for i, *_, fields in generated for f in fields])):
                self._insert_links(Initiative._meta.get_field(name), pairs, stage)
        self.teams = [_Team(i.pk, people, countries, fields)
                      for i, people, countries, fields in generated]

    def _initiative(self, number, parent, countries, fields, *, owner):
        rng = self.rng
        code = f"{CODE_PREFIX}I{number:05d}"
        name_ja, name_en = self._initiative_name(countries, fields)
        created_at = self._moment(self._day(-rng.randint(*reversed(
            INITIATIVES_CREATED_DAYS_BEFORE))))
        status = self._weighted({InitiativeStatus.ACTIVE: 75, InitiativeStatus.PLANNED: 12,
                                 InitiativeStatus.COMPLETED: 8, InitiativeStatus.SUSPENDED: 5})
        health = self._weighted({Health.GREEN: 65, Health.AMBER: 25, Health.RED: 10})
        judged = health != Health.GREEN
        start_on = self._day(-rng.randint(0, 720))
        initiative = Initiative(
            code=code, parent=parent, path=initiative_path(code, parent), depth=parent.depth + 1,
            name_ja=name_ja, name_en=name_en,
            summary_ja=f"{countries[0].name_ja}と連携し、{fields[0].name_ja}分野における"
                       "協力案件の形成と実施を推進する。",
            summary_en=f"Form and carry out cooperation projects with {countries[0].name_en} "
                       f"in {fields[0].name_en}.",
            lead_organisation=rng.choice(self.officer_organisations), owner_id=owner,
            start_on=start_on,
            end_on=(start_on + timedelta(days=rng.randint(365, 1800))
                    if rng.random() < 0.7 else None),
            status=status, health=health,
            # Amber and red say why, signed by the owner (a database constraint).
            health_note=rng.choice(HEALTH_NOTES) if judged else "",
            health_set_by_id=owner if judged else None,
            health_set_at=created_at if judged else None,
            created_at=created_at, updated_at=created_at)
        initiative._history_date = created_at
        return initiative

    # Projects ---------------------------------------------------------------------------

    def _theme(self, fields):
        return self.rng.choice(THEMES.get(self.rng.choice(fields).code, DEFAULT_THEMES))

    def _projects(self):
        total = self.counts["projects"]
        rng = self.rng
        with self._running("projects", total) as stage:
            projects, self.project_info, countries, partners = [], [], [], []
            for number in range(1, total + 1):
                team_index = rng.randrange(len(self.teams))
                team = self.teams[team_index]
                country = rng.choice(team.countries)
                theme_ja, theme_en = self._theme(team.fields)
                phase = self._weighted({ProjectPhase.DEMONSTRATION: 45,
                                        ProjectPhase.COMMERCIALISATION: 35,
                                        ProjectPhase.ROLLOUT: 20})
                created_at = self._moment(self._day(-rng.randint(
                    PROJECTS_CREATED_DAYS_BEFORE[1], PROJECTS_CREATED_DAYS_BEFORE[0])))
                suffix = rng.choice(("", "", "", "（第2期）", "（第3期）"))
                project = Project(
                    code=f"{CODE_PREFIX}P{number:05d}", initiative_id=team.pk,
                    name_ja=f"{country.name_ja}{theme_ja}プロジェクト{suffix}",
                    name_en=f"{theme_en.capitalize()} project in {country.name_en}",
                    summary_ja=f"{country.name_ja}における{theme_ja}の{PHASE_WORDS[phase][0]}事業。",
                    summary_en=f"{PHASE_WORDS[phase][1]} of the {theme_en} in {country.name_en}.",
                    theme_ja=theme_ja, theme_en=theme_en, phase=phase,
                    created_at=created_at, updated_at=created_at)
                project._history_date = created_at
                projects.append(project)
                extra = [rng.choice(team.countries)] if rng.random() < 0.2 else []
                countries.append({country.pk, *(c.pk for c in extra)})
                partners.append({o.pk for o in rng.sample(
                    self.partner_organisations,
                    min(len(self.partner_organisations), rng.randint(0, 2)))})
                self.project_info.append((team_index, country, (theme_ja, theme_en)))
            self._insert(Project, projects, stage)
            self.project_ids = [p.pk for p in projects]
            self._insert_links(Project._meta.get_field("countries"), [
                (p.pk, c) for p, ids in zip(projects, countries, strict=True)
                for c in sorted(ids)], stage)
            self._insert_links(Project._meta.get_field("partners"), [
                (p.pk, o) for p, ids in zip(projects, partners, strict=True)
                for o in sorted(ids)], stage)

    # Milestones and their history --------------------------------------------------------

    def _milestones(self):
        """Milestones a batch at a time: draw each one's current state and the story of
        versions that led to it, insert the milestones, then their history rows."""
        total, history_total = self.counts["milestones"], self.counts["milestone history"]
        milestones = self._stage("milestones", total)
        history = self._stage("milestone history", history_total)
        history_model = Milestone.history.model
        # `id` first: a story is told before its milestone has an id.
        columns = ["id", *(f.attname for f in history_model._meta.concrete_fields
                           if f.attname not in ("id", "history_id"))]
        for start in range(0, total, self.batch_size):
            end = min(total, start + self.batch_size)
            with milestones.running():
                specs = [self._milestone_spec() for _ in range(start, end)]
                # This batch's share of the history rows, so that the total comes out exact.
                self._allocate_versions(
                    specs, history_total * end // total - history_total * start // total)
            with history.running():
                stories = [spec.story(self.rng, columns[1:]) for spec in specs]
            with milestones.running():
                objs = [Milestone(**current) for _, current in stories]
                Milestone.objects.bulk_create(objs)
                milestones.advance(len(objs))
            with history.running():
                rows = ((obj.pk, *version) for obj, (versions, _) in zip(objs, stories, strict=True)
                        for version in versions)
                history.advance(self._write_rows(history_model, columns, rows))
        milestones.finish()
        history.finish()

    def _milestone_spec(self):
        rng = self.rng
        if rng.random() < 0.7:
            project_index = rng.randrange(len(self.project_ids))
            team_index, country, theme = self.project_info[project_index]
            project_id = self.project_ids[project_index]
        else:
            team_index = rng.randrange(len(self.teams))
            project_id, country, theme = None, None, None
        team = self.teams[team_index]
        country = country or rng.choice(team.countries)
        theme = theme or self._theme(team.fields)
        field_ = rng.choice(team.fields)
        owner = rng.choice(team.people) if rng.random() < 0.8 else rng.choice(self.officer_ids)
        template_ja, template_en = rng.choice(MILESTONE_TITLES)
        n = rng.randint(1, 12)
        return MilestoneSpec(
            self, initiative_id=team.pk, project_id=project_id, owner_id=owner,
            title_ja=template_ja.format(country=country.name_ja, theme=theme[0],
                                        field=field_.name_ja, n=n),
            title_en=template_en.format(country=country.name_en, theme=theme[1],
                                        field=field_.name_en, n=n))

    def _allocate_versions(self, specs, budget):
        """Give each milestone its number of versions: at least what its story needs, and the
        rest of `budget` shared by weight (busy milestones have more history)."""
        for spec in specs:
            spec.versions = spec.minimum_versions()
        spare = budget - sum(spec.versions for spec in specs)
        if spare <= 0:
            return
        weights = [HISTORY_WEIGHT[spec.status] * self.rng.uniform(0.5, 1.5) for spec in specs]
        scale = spare / sum(weights)
        shares = [int(w * scale) for w in weights]
        for index in range(spare - sum(shares)):
            shares[index % len(shares)] += 1
        for spec, share in zip(specs, shares, strict=True):
            spec.versions += share

    def _write_rows(self, model, columns, rows):
        """Insert `rows` (tuples in the order of `columns`): COPY on PostgreSQL, by far the
        fastest way in; bulk_create elsewhere. Returns the number of rows."""
        written = 0
        if self.use_copy:
            quote = connection.ops.quote_name
            names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
            with connection.cursor() as cursor, cursor.copy(
                    f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        while batch := list(islice(rows, self.batch_size)):
            model.objects.bulk_create([model(**dict(zip(columns, row, strict=True)))
                                       for row in batch])
            written += len(batch)
        return written

    # KPIs and measurements ---------------------------------------------------------------

    def _kpis(self):
        total, measurements_total = self.counts["KPIs"], self.counts["KPI measurements"]
        rng = self.rng
        with self._running("KPIs", total) as stage:
            kpis = []
            for number in range(1, total + 1):
                team = rng.choice(self.teams)
                country, field_ = rng.choice(team.countries), rng.choice(team.fields)
                name_ja, name_en, unit, typical = rng.choice(GENERATED_KPIS)
                baseline = Decimal(max(1, round(typical * rng.uniform(0.5, 1.5))))
                kpi = KPI(
                    code=f"{CODE_PREFIX}K{number:04d}", initiative_id=team.pk,
                    name_ja=name_ja.format(country=country.name_ja, field=field_.name_ja),
                    name_en=name_en.format(country=country.name_en, field=field_.name_en),
                    unit=unit, direction=KPIDirection.INCREASE, baseline_value=baseline,
                    baseline_year=self.anchor.year - rng.randint(1, 2),
                    target_value=Decimal(round(baseline * Decimal(rng.uniform(1.5, 3.0)))),
                    target_year=self.anchor.year + rng.randint(2, 4))
                kpi._history_date = self._moment(self._day(-INITIATIVES_CREATED_DAYS_BEFORE[1]))
                kpis.append(kpi)
            self._insert(KPI, kpis, stage)
        with self._running("KPI measurements", measurements_total) as stage:
            every_kpi = self.seeded_kpis + kpis
            per_kpi = Counter(every_kpi[i % len(every_kpi)].pk for i in range(measurements_total))
            measurements = []
            for kpi in every_kpi:
                measurements += self._measurements(kpi, per_kpi[kpi.pk])
            self._insert(KPIMeasurement, measurements, stage)

    def _month_ends_before_anchor(self):
        day = self.anchor.replace(day=1) - timedelta(days=1)
        while True:
            yield day
            day = day.replace(day=1) - timedelta(days=1)

    def _measurements(self, kpi, count):
        """`count` monthly values of `kpi`, latest first, along a plausible trend."""
        rng = self.rng
        reference = kpi.baseline_value or (kpi.target_value or Decimal(100)) * Decimal("0.5")
        reference_year = kpi.baseline_year or self.anchor.year - 1
        if kpi.direction == KPIDirection.MAINTAIN:
            growth = 0.0
        elif kpi.baseline_value and kpi.target_value and kpi.target_year and (
                kpi.target_year > kpi.baseline_year):
            required = (float(kpi.target_value) / float(kpi.baseline_value)) ** (
                1 / (kpi.target_year - kpi.baseline_year)) - 1
            growth = required * rng.uniform(0.6, 1.1)
        else:
            growth = rng.uniform(0.02, 0.12)
        if kpi.direction == KPIDirection.DECREASE:
            growth = -abs(growth)
        rows = []
        for period_on in self._month_ends_before_anchor():
            if len(rows) == count:
                break
            if (kpi.pk, period_on) in self.measured:
                continue
            years = (period_on - date(reference_year, 12, 31)).days / 365.25
            value = float(reference) * (1 + growth) ** years * rng.uniform(0.97, 1.03)
            if kpi.unit == KPIUnit.PERCENT:
                value = min(value, 100.0)
            quantum = Decimal(1) if kpi.unit in WHOLE_UNITS else Decimal("0.0001")
            recorded = self._moment(min(period_on + timedelta(days=rng.randint(15, 40)),
                                        self._day(-1)))
            measurement = KPIMeasurement(
                kpi_id=kpi.pk, period_on=period_on,
                value=Decimal(str(max(value, 0.0))).quantize(quantum),
                source=MEASUREMENT_SOURCE, recorded_by_id=rng.choice(self.officer_ids),
                created_at=recorded)
            measurement._history_date = recorded
            rows.append(measurement)
        return rows

    # Exporters --------------------------------------------------------------------------

    def _corporate_number(self):
        while True:
            base = f"{self.rng.randrange(10**11, 10**12):012d}"
            number = f"{corporate_number_check_digit(base)}{base}"
            if number not in self.corporate_numbers:
                self.corporate_numbers.add(number)
                return number

    def _markets(self, k):
        weights = {iso2: w for iso2, w in MARKET_WEIGHTS.items() if iso2 in self.country_by_iso2}
        return [self.country_by_iso2[iso2] for iso2 in self._sample_weighted(
            weights or {c.iso2: 1 for c in self.countries}, k)]

    def _categories(self, k):
        weights = {c.code: CATEGORY_WEIGHTS.get(c.code, 1) for c in self.categories}
        by_code = {c.code: c for c in self.categories}
        return [by_code[code] for code in self._sample_weighted(weights, k)]

    def _exporters(self):
        """Registered exporters: an account and a profile each, with a valid and unique
        法人番号, product categories and target markets; mostly approved."""
        total = self.counts["exporters"]
        with self._running("exporter accounts", total) as accounts:
            drawn = [self._exporter(number) for number in range(1, total + 1)]
            self._insert(User, [user for user, *_ in drawn], accounts)
        with self._running("exporters", total) as stage:
            profiles = [profile for _, profile, *_ in drawn]
            self._insert(ExporterProfile, profiles, stage)
            self._insert_links(ExporterProfile._meta.get_field("product_categories"), [
                (profile.pk, c.pk) for _, profile, categories, _ in drawn for c in categories],
                stage)
            self._insert_links(ExporterProfile._meta.get_field("target_markets"), [
                (profile.pk, c.pk) for _, profile, _, markets in drawn for c in markets], stage)

    def _exporter(self, number):
        rng = self.rng
        family, given = self._person()
        email = f"{USERNAME_PREFIX}exporter-{number:05d}@example.jp"
        consented_at = self._moment(self._day(-rng.randint(2, 600)))
        status = self._weighted({ExporterStatus.APPROVED: 85, ExporterStatus.PENDING_APPROVAL: 8,
                                 ExporterStatus.PENDING_VERIFICATION: 4,
                                 ExporterStatus.REJECTED: 3})
        verified_at = (None if status == ExporterStatus.PENDING_VERIFICATION
                       else consented_at + timedelta(minutes=rng.randint(2, 600)))
        reviewed_at = None
        if status in (ExporterStatus.APPROVED, ExporterStatus.REJECTED):
            reviewed_at = min(verified_at + timedelta(hours=rng.randint(2, 240)),
                              self._moment(self._day(-1), 20, 24))
            reviewed_at = max(reviewed_at, verified_at + timedelta(minutes=1))
        categories = self._categories(rng.choices((1, 2, 3), (5, 3, 2))[0])
        markets = self._markets(rng.choices((1, 2, 3, 4), (3, 4, 2, 1))[0])
        core_ja, core_en = rng.choice(COMPANY_CORES)
        trade_ja, trade_en = rng.choice(COMPANY_TRADES.get(categories[0].code,
                                                           (("商事", "Trading"),)))
        form_ja, form_en = rng.choice(COMPANY_FORMS)
        # Registration makes the e-mail address the user name.
        user = User(username=email, email=email, last_name=family, first_name=given,
                    role=Role.EXPORTER, is_staff=False, password=self.password,
                    language="en" if rng.random() < 0.05 else "ja", date_joined=consented_at)
        user._history_date = consented_at
        profile = ExporterProfile(
            user=user, company_name=form_ja.format(core=core_ja, trade=trade_ja),
            company_name_en=form_en.format(core=core_en, trade=trade_en),
            corporate_number=self._corporate_number(), prefecture=rng.choice(Prefecture.values),
            contact_name=f"{family} {given}", status=status, consented_at=consented_at,
            email_verified_at=verified_at,
            reviewed_by_id=rng.choice(self.officer_ids) if reviewed_at else None,
            reviewed_at=reviewed_at,
            rejection_reason=("法人番号と登記上の所在地が一致しないため。"
                              if status == ExporterStatus.REJECTED else ""),
            created_at=consented_at, updated_at=reviewed_at or verified_at or consented_at)
        profile._history_date = profile.updated_at
        return user, profile, categories, markets

    # Support measures -------------------------------------------------------------------

    def _support_measures(self):
        total = self.counts["support measures"]
        rng = self.rng
        with self._running("support measures", total) as stage:
            food = [i for i in self.seeded_initiatives if i.code.startswith("FOOD-EXPORT")]
            measures, categories, markets = [], [], []
            for number in range(1, total + 1):
                kind = rng.choice(SupportKind.values)
                words_ja, words_en = SUPPORT_WORDS[kind]
                # No category or no market means "all of them": a share is open to everyone.
                chosen_categories = (self._categories(rng.randint(1, 2))
                                     if rng.random() < 0.85 else [])
                chosen_markets = self._markets(rng.randint(1, 3)) if rng.random() < 0.7 else []
                opens_on = closes_on = None
                if rng.random() < 0.65:
                    opens_on = self._day(rng.randint(-240, 90))
                    if rng.random() < 0.8:
                        closes_on = opens_on + timedelta(days=rng.randint(14, 240))
                year = (opens_on or self.anchor).year
                markets_ja = "・".join(c.name_ja for c in chosen_markets) or "海外市場"
                markets_en = ", ".join(c.name_en for c in chosen_markets) or "all markets"
                categories_ja = ("・".join(c.name_ja for c in chosen_categories)
                                 or "農林水産物・食品")
                categories_en = (", ".join(c.name_en for c in chosen_categories)
                                 or "agri-food products")
                code = f"{CODE_PREFIX}S{number:05d}"
                created_at = self._moment(self._day(-rng.randint(30, 400)))
                measure = SupportMeasure(
                    code=code, initiative=rng.choice(food) if food else None,
                    provider=rng.choice(self.support_providers), kind=kind,
                    name_ja=f"{year}年度 {markets_ja}向け{categories_ja}{words_ja}",
                    name_en=f"FY{year} {words_en}: {categories_en} for {markets_en}",
                    summary_ja=f"{categories_ja}を{markets_ja}へ輸出する事業者を対象とした{words_ja}。",
                    summary_en=f"{words_en.capitalize()} for exporters of {categories_en} to "
                               f"{markets_en}.",
                    opens_on=opens_on, closes_on=closes_on,
                    url=f"https://www.example.jp/support/{code.lower()}",
                    is_published=rng.random() < 0.9, created_at=created_at,
                    updated_at=created_at)
                measure._history_date = created_at
                measures.append(measure)
                categories.append(chosen_categories)
                markets.append(chosen_markets)
            self._insert(SupportMeasure, measures, stage)
            self._insert_links(SupportMeasure._meta.get_field("product_categories"), [
                (m.pk, c.pk) for m, chosen in zip(measures, categories, strict=True)
                for c in chosen], stage)
            self._insert_links(SupportMeasure._meta.get_field("target_markets"), [
                (m.pk, c.pk) for m, chosen in zip(measures, markets, strict=True)
                for c in chosen], stage)

