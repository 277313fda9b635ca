"""The bell in the admin's header: a person's unread notifications, counted in one query."""

from django import template

from ..selectors.access import unread_notifications_of

register = template.Library()


@register.inclusion_tag("admin/notification_bell.html", takes_context=True)
def notification_bell(context):
    return {"unread": unread_notifications_of(context["request"].user).count()}
