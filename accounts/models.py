from typing import TypeAlias

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry or bureau")
    AGENCY = "agency", _("Government agency")
    FINANCIAL = "financial", _("Public financial institution")
    INTERNATIONAL = "international", _("International body")
    RESEARCH = "research", _("Research institute")
    BUSINESS_GROUP = "business_group", _("Business federation")
    COMPANY = "company", _("Company")


class Role(models.TextChoices):
    OFFICER = "officer", _("Programme officer")
    MANAGER = "manager", _("Manager")
    EXPORTER = "exporter", _("Registered exporter")
    ADMINISTRATOR = "administrator", _("Administrator")


class Language(models.TextChoices):
    JA = "ja", _("Japanese")
    EN = "en", _("English")


class Organisation(models.Model):
    """A ministry, bureau, agency, international body or company named in the strategy."""

    Kind = OrganisationKind

    code = models.SlugField(_("code"), max_length=40, unique=True, allow_unicode=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    source_quote = models.TextField(_("source quote"), blank=True)
    website = models.URLField(
        _("website"), blank=True,
        help_text=_("Its official top-level site. An exporter's card links there, labelled as "
                    "the provider's site, for a measure with no page of its own."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.name_ja} ({self.abbreviation})" if self.abbreviation else self.name_ja


class User(AbstractUser):
    """A person who signs in. What they may see and change follows from `role`."""

    Role = Role

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="members",
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.JA
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
        ]

    def __str__(self):
        # People appear by name wherever the interface lists them (columns, filters, choices).
        return self.display_name

    @property
    def display_name(self):
        return display_name_of(self.last_name, self.first_name, self.username)


def display_name_of(last_name: str, first_name: str, username: str) -> str:
    """Family name first, as names are written in Japanese (姓 名); the user name only for
    an account without a name. For lists that read the names as values."""
    return f"{last_name} {first_name}".strip() or username


# Whoever a request comes from: a signed-in person or nobody yet. The role predicates take
# either (an anonymous visitor sees nothing); the write services take a User.
AnyUser: TypeAlias = User | AnonymousUser
