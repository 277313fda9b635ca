"""The report's charts on other admin pages: an initiative's milestone timeline on its page."""

from django import template

from .. import charts
from ..selectors import access
from ..selectors.reports import milestone_timeline
from ..services.common import today

register = template.Library()


@register.simple_tag(takes_context=True)
def initiative_timeline(context, initiative):
    """The timeline chart of `initiative`, for those who read its report, else nothing."""
    if initiative is None or not access.can_read_report(context["request"].user, initiative):
        return ""
    return charts.milestone_timeline(milestone_timeline(initiative=initiative, as_of=today()))
