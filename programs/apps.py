from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Trade Strategy 2026")

    def ready(self) -> None:
        # Webhook payloads show a resource as its API endpoint does, to those who may see it.
        from .api import serializers
        from .models import Milestone, ProgressReport, SupportMeasure
        from .selectors import access
        from .services.webhooks import webhook_resource_register

        webhook_resource_register(Milestone, name="milestone",
                                  visible_to=access.milestones_visible_to,
                                  serializer=serializers.MilestoneSerializer)
        webhook_resource_register(ProgressReport, name="progress_report",
                                  visible_to=access.progress_reports_readable_by,
                                  serializer=serializers.ProgressReportSerializer)
        webhook_resource_register(SupportMeasure, name="support_measure",
                                  visible_to=access.support_measures_visible_to,
                                  serializer=serializers.SupportMeasureSerializer)
