from django.db import models
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    """A record people edit concurrently. `version` goes up by one on every write made through
    the services (under a row lock); the API's ETag and the admin's stale-form check compare it,
    so nobody silently overwrites a change they have not seen."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True
