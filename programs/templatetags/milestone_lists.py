from django import template

from ..admin.filters import quick_filter_links

register = template.Library()


@register.simple_tag(takes_context=True)
def quick_filters(context, changelist):
    return quick_filter_links(changelist, context["request"].user)
