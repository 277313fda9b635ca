from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .encoding import UnicodeJSONEncoder


class Region(models.Model):
    """One of the six regional strategies' regions (Asia-Pacific, Southwest Asia, ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    source_quote = models.TextField(_("source quote"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name_ja


class Country(models.Model):
    iso2 = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="countries",
    )
    source_quote = models.TextField(_("source quote"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["iso2"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(iso2__regex=r"^[A-Z]{2}$"), name="country_iso2_format",
                violation_error_message=_("Enter two capital letters (ISO 3166-1 alpha-2)."),
            ),
        ]

    def __str__(self):
        return self.name_ja


class StrategicField(models.Model):
    """A field of cooperation (資源・エネルギー安全保障・GX, AI・半導体, ...).

    The strategy spells some fields several ways; `variants` keeps every other spelling so
    that one field stays one record.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    variants = models.JSONField(_("other spellings"), default=list, blank=True,
                                encoder=UnicodeJSONEncoder)
    source_quote = models.TextField(_("source quote"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategic field")
        verbose_name_plural = _("strategic fields")
        ordering = ["code"]

    def __str__(self):
        return self.name_ja
