from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import IsAuthenticated

from ..selectors.access import sees_internal_tracking


class SeesInternalTracking(IsAuthenticated):
    """The ministry's own tracking: officers, managers and administrators. Exporters get 403."""

    message = _("Registered exporters can read support measures and their own profile only.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and sees_internal_tracking(request.user)
