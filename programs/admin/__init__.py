from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import (  # noqa: F401  (registration)
    country_plans,
    home,
    initiatives,
    milestones,
    notifications,
    people,
    progress_reports,
    reference,
    webhooks,
)

admin.site.site_header = _("Trade Strategy Tracker")
admin.site.site_title = _("Trade Strategy Tracker")
admin.site.index_title = _("Trade Strategy 2026")
