"""The invariants hold in the database itself, whatever path a write takes (raw updates, bulk
loads, another application)."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from programs.models import KPI, Initiative, Milestone, StatusUpdate
from tests.factories import InitiativeFactory, KPIFactory, MilestoneFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db


def violates(queryset, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**values)


def test_a_milestone_cannot_be_more_than_100_percent_complete():
    milestone = MilestoneFactory()
    violates(Milestone.objects.filter(pk=milestone.pk), percent_complete=101)


def test_a_done_milestone_must_have_a_completion_date():
    milestone = MilestoneFactory()
    violates(Milestone.objects.filter(pk=milestone.pk), status="done", percent_complete=100)


def test_an_open_milestone_cannot_claim_a_completion_date():
    milestone = MilestoneFactory()
    violates(Milestone.objects.filter(pk=milestone.pk), completed_on=date(2026, 1, 1))


def test_a_milestone_status_must_be_one_of_the_workflow_states():
    milestone = MilestoneFactory()
    violates(Milestone.objects.filter(pk=milestone.pk), status="finished")


def test_a_status_update_is_about_exactly_one_subject():
    update = StatusUpdateFactory()
    violates(StatusUpdate.objects.filter(pk=update.pk), initiative=update.milestone.initiative)
    violates(StatusUpdate.objects.filter(pk=update.pk), milestone=None)


def test_an_initiative_that_is_red_must_say_why():
    initiative = InitiativeFactory()
    violates(Initiative.objects.filter(pk=initiative.pk), health="red")


def test_an_initiative_cannot_end_before_it_starts():
    initiative = InitiativeFactory()
    violates(Initiative.objects.filter(pk=initiative.pk),
             start_on=date(2026, 6, 1), end_on=date(2026, 5, 1))


def test_a_kpi_target_cannot_precede_its_baseline():
    kpi = KPIFactory(baseline_value=1, baseline_year=2025, target_value=5, target_year=2030)
    violates(KPI.objects.filter(pk=kpi.pk), target_year=2024)


def test_a_kpi_target_year_needs_a_value():
    kpi = KPIFactory()
    violates(KPI.objects.filter(pk=kpi.pk), target_year=2030)


def test_initiative_codes_are_unique_and_upper_case():
    InitiativeFactory(code="AZEC2")
    with pytest.raises(IntegrityError), transaction.atomic():
        InitiativeFactory(code="AZEC2", path="OTHER")
    violates(Initiative.objects.filter(code="AZEC2"), code="azec 2")
