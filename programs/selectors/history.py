from datetime import date, datetime, time

from django.db.models import Model, OuterRef, Subquery
from django.utils import timezone


def previous_value(history_model: type[Model], field_name: str) -> Subquery:
    """For annotating history rows: the value `field_name` had in the row before this one."""
    return Subquery(history_model._default_manager.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date"),
    ).order_by("-history_date").values(field_name)[:1])


def start_of(day: date) -> datetime:
    """The first instant of `day` in the site's time zone: history rows carry timestamps, and a
    range on the timestamp itself can use its index."""
    return timezone.make_aware(datetime.combine(day, time.min))
