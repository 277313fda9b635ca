"""The filter backend of every list: django-filter's, which also leaves the filter set it
applied on the view (`view.applied_filterset`), so that a list can answer part of its work
from what was asked (the milestone list counts overdue work from a tally)."""

from django_filters.rest_framework import DjangoFilterBackend


class FilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        view.applied_filterset = filterset
        return filterset
