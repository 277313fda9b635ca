from django.db.models import OuterRef, Subquery


def previous_value(history_model, field_name):
    """For annotating history rows: the value `field_name` had in the row before this one."""
    return Subquery(history_model.objects.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date"),
    ).order_by("-history_date").values(field_name)[:1])
