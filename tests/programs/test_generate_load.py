"""`manage.py generate_load`: a data set on top of the seed, proportional to --scale, whose rows
keep the tracker's invariants, and the same again for the same seed."""

import hashlib
from datetime import date, timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from devtools.load import LOAD_REASON, MEASUREMENT_SOURCE, counts_for
from exporters.models import ExporterProfile, ExporterStatus
from exporters.selectors import measures_fitting
from exporters.validators import validate_corporate_number
from programs.models import (
    KPI,
    Initiative,
    KPIMeasurement,
    Milestone,
    Project,
    SupportMeasure,
    WorkStatus,
)
from programs.services.seed import seed_strategy
from programs.workflow import ALLOWED_TRANSITIONS
from tests.factories import StatusUpdateFactory
from tests.support.shared_data import built_once
from tests.support.tallies import assert_open_tally_agrees, assert_tallies_agree

SCALE = 0.01
ANCHOR = date(2026, 11, 1)
GENERATED = {"code__startswith": "LOAD-"}
HistoricalMilestone = Milestone.history.model


def generate(*options):
    out = StringIO()
    call_command("generate_load", "--scale", str(SCALE), "--anchor", ANCHOR.isoformat(),
                 *options, stdout=out, stderr=StringIO())
    return out.getvalue()


def generated_milestones():
    return Milestone.objects.filter(initiative__code__startswith="LOAD-")


def generated_data_digest():
    """A digest of the generated data by content (codes, names, people, dates), not by ids."""
    milestones = generated_milestones().order_by("id")
    ordinal = {pk: n for n, pk in enumerate(milestones.values_list("pk", flat=True))}
    rows = [
        *Initiative.objects.filter(**GENERATED).order_by("code").values_list(
            "code", "path", "depth", "name_ja", "name_en", "owner__username", "status",
            "health", "start_on", "end_on", "created_at"),
        *Project.objects.filter(**GENERATED).order_by("code").values_list(
            "code", "initiative__code", "name_ja", "phase", "theme_en", "created_at"),
        *milestones.values_list(
            "initiative__code", "project__code", "owner__username", "title_ja", "description",
            "baseline_due_on", "planned_due_on", "status", "completed_on", "health",
            "percent_complete", "version", "created_at", "updated_at"),
        *((ordinal[pk], *rest) for pk, *rest in HistoricalMilestone.objects.filter(
            history_change_reason=LOAD_REASON).order_by("id", "history_date").values_list(
            "id", "version", "history_date", "status", "health", "percent_complete",
            "planned_due_on", "completed_on")),
        *KPIMeasurement.objects.filter(source=MEASUREMENT_SOURCE).order_by(
            "kpi__code", "period_on").values_list("kpi__code", "period_on", "value",
                                                  "recorded_by__username"),
        *ExporterProfile.objects.filter(user__username__startswith="load-").order_by(
            "user__username").values_list(
            "user__username", "company_name", "corporate_number", "prefecture", "status",
            "consented_at", "reviewed_by__username"),
        *SupportMeasure.objects.filter(**GENERATED).order_by("code").values_list(
            "code", "name_ja", "kind", "provider__code", "opens_on", "closes_on",
            "is_published"),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest(), len(rows)


@pytest.mark.django_db
def test_the_command_refuses_to_run_without_the_seed():
    with pytest.raises(CommandError, match="seed is missing"):
        generate()
    assert not User.objects.exists()


@pytest.fixture(scope="class")
def generated(django_db_setup, django_db_blocker):
    """The seed and a generated data set, shared by the tests of a class (each test runs in
    its own savepoint) and rolled back after them."""
    def build():
        seed_strategy()
        return generate()

    with built_once(django_db_blocker, build) as output:
        yield output


@pytest.mark.django_db
@pytest.mark.usefixtures("generated")
class TestGeneratedData:
    def test_each_kind_of_row_is_created_in_proportion_to_the_scale(self, generated):
        expected = counts_for(SCALE)
        assert expected["milestones"] == 1000 and expected["milestone history"] == 10_000
        actual = {
            "officers": User.objects.filter(username__startswith="load-officer-").count(),
            "initiatives": Initiative.objects.filter(**GENERATED).count(),
            "projects": Project.objects.filter(**GENERATED).count(),
            "milestones": generated_milestones().count(),
            "milestone history": HistoricalMilestone.objects.filter(
                history_change_reason=LOAD_REASON).count(),
            "KPIs": KPI.objects.filter(**GENERATED).count(),
            "KPI measurements": KPIMeasurement.objects.filter(source=MEASUREMENT_SOURCE).count(),
            "exporters": ExporterProfile.objects.filter(
                user__username__startswith="load-exporter-").count(),
            "support measures": SupportMeasure.objects.filter(**GENERATED).count(),
        }
        assert actual == expected
        assert "milestone history" in generated and "Generated" in generated

    def test_each_milestones_history_ends_with_the_milestone_as_it_stands(self):
        columns = [f.attname for f in Milestone._meta.concrete_fields]
        history = {}
        for row in HistoricalMilestone.objects.filter(
                history_change_reason=LOAD_REASON).order_by("history_date"):
            history.setdefault(row.id, []).append(row)
        milestones = list(generated_milestones())
        assert len(history) == len(milestones)
        for milestone in milestones:
            versions = history[milestone.pk]
            assert [v.version for v in versions] == list(range(1, milestone.version + 1))
            assert [v.history_type for v in versions] == ["+"] + ["~"] * (len(versions) - 1)
            assert versions[0].status == WorkStatus.NOT_STARTED
            assert all(a.history_date < b.history_date for a, b in pairwise(versions))
            assert {c: getattr(versions[-1], c) for c in columns} == {
                c: getattr(milestone, c) for c in columns}
            for before, after in pairwise(versions):
                assert after.status == before.status or (
                    after.status in ALLOWED_TRANSITIONS[before.status]), milestone.pk
            assert all(v.completed_on <= timezone.localtime(v.history_date).date()
                       for v in versions if v.status == WorkStatus.DONE)

    def test_milestones_are_dated_around_the_anchor_day(self):
        milestones = generated_milestones()
        open_ = milestones.exclude(status__in=(WorkStatus.DONE, WorkStatus.CANCELLED))
        overdue = open_.filter(planned_due_on__lt=ANCHOR).count()
        due_soon = open_.filter(planned_due_on__gte=ANCHOR,
                                planned_due_on__lte=ANCHOR + timedelta(days=30)).count()
        total = milestones.count()
        assert 0.08 * total < overdue < 0.3 * total
        assert due_soon > 0
        assert milestones.filter(status=WorkStatus.DONE).count() > 0.2 * total
        assert not milestones.filter(completed_on__gte=ANCHOR).exists()
        latest = HistoricalMilestone.objects.filter(
            history_change_reason=LOAD_REASON).latest("history_date").history_date
        assert timezone.localtime(latest).date() < ANCHOR
        assert {m.planned_due_on.year for m in milestones} >= {2025, 2026, 2027, 2028}

    def test_every_generated_corporate_number_is_valid_and_unique(self):
        numbers = list(ExporterProfile.objects.filter(
            user__username__startswith="load-").values_list("corporate_number", flat=True))
        for number in numbers:
            validate_corporate_number(number)
        assert len(set(numbers)) == len(numbers) == counts_for(SCALE)["exporters"]

    def test_generated_initiatives_sit_below_the_seeded_top_level_with_consistent_paths(self):
        generated = Initiative.objects.filter(**GENERATED).select_related("parent")
        assert any(i.parent.code.startswith("LOAD-") for i in generated)  # nested ones too
        for initiative in generated:
            parent = initiative.parent
            assert initiative.path == f"{parent.path}/{initiative.code}"
            assert initiative.depth == parent.depth + 1 >= 2
            root = Initiative.objects.get(code=initiative.path.split("/")[0])
            assert root.parent is None and not root.code.startswith("LOAD-")
            assert initiative.owner.username.startswith("load-officer-")

    def test_the_tallies_count_every_milestone(self):
        # Rebuilt once at the end on PostgreSQL, kept by the triggers row by row on SQLite.
        assert_tallies_agree()
        assert_open_tally_agrees()

    def test_a_projects_milestones_belong_to_the_projects_initiative(self):
        with_project = generated_milestones().filter(project__isnull=False)
        assert with_project.exists()
        assert not with_project.exclude(project__initiative=F("initiative")).exists()

    def test_approved_exporters_find_support_measures_that_fit_them(self):
        approved = ExporterProfile.objects.filter(
            user__username__startswith="load-", status=ExporterStatus.APPROVED)
        with_fits = [p for p in approved if any(
            fit.measure.code.startswith("LOAD-") for fit in measures_fitting(p, on=ANCHOR))]
        assert len(with_fits) > 0.5 * approved.count()

    def test_a_second_run_refuses_while_generated_rows_are_present(self):
        with pytest.raises(CommandError, match="already present.*--reset"):
            generate()

    def test_a_reset_run_with_the_same_seed_recreates_the_same_data(self):
        digest, rows = generated_data_digest()
        assert rows > counts_for(SCALE)["milestone history"]
        seeded_initiatives = Initiative.objects.exclude(**GENERATED).count()
        # Work recorded on generated data since goes with it.
        StatusUpdateFactory(milestone=generated_milestones().first(),
                            author=User.objects.get(username="load-officer-0001"))
        generate("--reset")
        assert generated_data_digest() == (digest, rows)
        assert Initiative.objects.exclude(**GENERATED).count() == seeded_initiatives
        generate("--reset", "--seed", "7")
        assert generated_data_digest()[0] != digest

    def test_reset_refuses_while_seeded_records_depend_on_generated_ones(self):
        officer = User.objects.get(username="load-officer-0001")
        Initiative.objects.filter(code="AZEC2").update(owner=officer)
        with pytest.raises(CommandError, match="programs.Initiative"):
            generate("--reset")
        assert Initiative.objects.get(code="AZEC2").owner == officer
