from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Trade Strategy 2026")

    def ready(self) -> None:
        from .services.webhooks.events import register_programme_resources

        register_programme_resources()
