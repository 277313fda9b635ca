"""`?ordering=`: by the fields a list names, each ascending or descending (`-`), several
separated by commas. An unknown field is refused with 400 `invalid_ordering` (DRF's own filter
ignores it, so a typo silently gives the default order); the schema lists the values. Rows
that tie are ordered by id, so that pages neither repeat nor skip a row."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.filters import OrderingFilter


class StrictOrderingFilter(OrderingFilter):
    def get_ordering(self, request, queryset, view):
        asked = request.query_params.get(self.ordering_param)
        if not asked:
            return self.get_default_ordering(view)
        terms = [term.strip() for term in asked.split(",")]
        allowed = self.choices(view)
        unknown = [term for term in terms if term not in allowed]
        if unknown:
            message = _("Cannot order by %(terms)s. Choose from: %(allowed)s.") % {
                "terms": ", ".join(unknown), "allowed": ", ".join(allowed)}
            raise ValidationError({self.ordering_param: [
                ErrorDetail(message, code="invalid_ordering")]})
        return terms if {"id", "-id"} & set(terms) else [*terms, "id"]

    @staticmethod
    def choices(view):
        names = getattr(view, "ordering_fields", None) or ()
        return [term for name in names for term in (name, f"-{name}")]

    def get_schema_operation_parameters(self, view):
        choices = self.choices(view)
        if not choices:
            return []
        return [{
            "name": self.ordering_param, "required": False, "in": "query",
            "description": "Order by this field (`-` for descending); several may be given, "
                           "separated by commas. Other values are refused (400).",
            "schema": {"type": "string", "enum": choices},
        }]
