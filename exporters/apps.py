from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportersConfig(AppConfig):
    name = "exporters"
    verbose_name = _("Registered exporters")

    def ready(self) -> None:
        # Webhook payloads show a registration as the review API does, to those who review.
        from programs.services.webhooks import webhook_resource_register

        from .api.serializers import ExporterProfileSerializer
        from .models import ExporterProfile
        from .selectors import exporters_visible_to

        webhook_resource_register(ExporterProfile, name="exporter",
                                  visible_to=exporters_visible_to,
                                  serializer=ExporterProfileSerializer)
