"""Choice lists shared by several models. Labels are translatable; values are stable codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkStatus(models.TextChoices):
    """Status of a milestone or country action; moves follow `programs.workflow`."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    BLOCKED = "blocked", _("Blocked")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


CLOSED_STATUSES = (WorkStatus.DONE, WorkStatus.CANCELLED)


class Health(models.TextChoices):
    GREEN = "green", _("Green (on track)")
    AMBER = "amber", _("Amber (at risk)")
    RED = "red", _("Red (off track)")


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


class ProjectPhase(models.TextChoices):
    DEMONSTRATION = "demonstration", _("Demonstration")
    COMMERCIALISATION = "commercialisation", _("Commercialisation")
    ROLLOUT = "rollout", _("Roll-out")


class KPIUnit(models.TextChoices):
    TRILLION_JPY = "trillion_jpy", _("trillion yen")
    BILLION_USD = "billion_usd", _("billion US dollars")
    HUNDRED_MILLION_USD = "hundred_million_usd", _("hundred million US dollars")
    PERSONS = "persons", _("persons")
    OFFICES = "offices", _("offices")
    COUNTRIES = "countries", _("countries")
    PROJECTS = "projects", _("projects")
    BUSINESSES = "businesses", _("businesses")
    BASES = "bases", _("bases")
    PERCENT = "percent", _("percent")
    HUNDRED_MILLION_BARRELS_PER_YEAR = (
        "hundred_million_barrels_per_year", _("hundred million barrels a year")
    )


class KPIDirection(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    MAINTAIN = "maintain", _("Maintain")


class SupportKind(models.TextChoices):
    OVERSEAS_BASE = "overseas_base", _("Overseas base")
    SUBSIDY = "subsidy", _("Subsidy")
    ECOMMERCE = "ecommerce", _("E-commerce")
    GUIDEBOOK = "guidebook", _("Guidebook")
    PORTAL = "portal", _("Portal")
    PROMOTION = "promotion", _("Promotion")
    TECHNOLOGY = "technology", _("Technology and demonstration")
    NETWORK = "network", _("Network and advice")


def choice_constraint(field, choices, name):
    """A CheckConstraint that keeps `field` within `choices` at the database level."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=name,
                                  violation_error_message=_("Choose one of the listed values."))
