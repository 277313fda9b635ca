"""What the tracker's lists share to fit 1366 px and tell at a glance: the page's width for
the table (no navigation sidebar: the breadcrumbs and the home page lead everywhere it does),
status and health as coloured badges, completion as a bar, long filters as drop-downs."""

from django import forms
from django.utils.html import format_html


def badge(kind, code, label):
    """A coloured label: its colour says the code at a glance, its words say it exactly."""
    return format_html('<span class="badge {}-{}">{}</span>', kind, code, label)


def initiative_code(initiative):
    """An initiative by its code (its name on hover): its name would take the row's width."""
    if initiative is None:
        return "-"
    return format_html('<span class="initiative-code" title="{}">{}</span>', initiative.name_ja,
                       initiative.code)


def percent_bar(percent):
    return format_html('<span class="progress"><progress max="100" value="{}" '
                       'aria-hidden="true"></progress> {} %</span>', percent, percent)


class FittedList:
    @property
    def media(self):
        return super().media + forms.Media(  # type: ignore[misc]
            css={"all": ("programs/lists.css",)}, js=("programs/list_filters.js",))

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(  # type: ignore[misc]
            request, {"is_nav_sidebar_enabled": False, **(extra_context or {})})
