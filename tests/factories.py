"""Test data. Factories write models directly: they set up a situation, the code under test
changes it."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import ExporterProfile, ExporterStatus, Role, User
from accounts.validators import corporate_number_check_digit
from programs.models import (
    KPI,
    Country,
    CountryAction,
    CountryPlan,
    Initiative,
    Milestone,
    Project,
    Region,
    StatusUpdate,
    SupportMeasure,
)
from programs.services.initiatives import initiative_path


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.jp")
    role = Role.OFFICER
    is_staff = True
    password = factory.django.Password("secret-pass-2026")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"region-{n}")
    name_ja = factory.Sequence(lambda n: f"地域{n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("iso2",)

    iso2 = factory.Sequence(lambda n: f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name_ja = factory.Sequence(lambda n: f"国{n}")
    name_en = factory.Sequence(lambda n: f"Country {n}")
    region = factory.SubFactory(RegionFactory)


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    code = factory.Sequence(lambda n: f"INIT-{n}")
    parent = None
    path = factory.LazyAttribute(lambda o: initiative_path(o.code, o.parent))
    depth = factory.LazyAttribute(lambda o: o.parent.depth + 1 if o.parent else 0)
    name_ja = factory.Sequence(lambda n: f"施策{n}")
    name_en = factory.Sequence(lambda n: f"Initiative {n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"PROJ-{n}")
    initiative = factory.SubFactory(InitiativeFactory)
    name_ja = factory.Sequence(lambda n: f"案件{n}")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    initiative = factory.SubFactory(InitiativeFactory)
    title_ja = factory.Sequence(lambda n: f"マイルストーン{n}")
    owner = factory.LazyAttribute(lambda m: m.initiative.owner or UserFactory())
    planned_due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    baseline_due_on = factory.LazyAttribute(lambda m: m.planned_due_on)


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusUpdate

    milestone = factory.SubFactory(MilestoneFactory)
    author = factory.LazyAttribute(lambda s: s.milestone.owner)
    reported_on = factory.LazyFunction(timezone.localdate)
    summary = "順調に進捗"
    health = "green"


class CountryPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountryPlan

    initiative = factory.SubFactory(InitiativeFactory)
    country = factory.SubFactory(CountryFactory)


class CountryActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountryAction

    plan = factory.SubFactory(CountryPlanFactory)
    order = factory.Sequence(lambda n: n + 1)
    text_ja = "案件形成を推進"


class KPIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPI

    code = factory.Sequence(lambda n: f"KPI-{n}")
    name_ja = "輸出額"
    unit = "trillion_jpy"


def _corporate_number(n):
    """A valid 法人番号 (its check digit computed) for the n-th factory profile."""
    base = f"{7000012000000 + n:013d}"[1:]
    return f"{corporate_number_check_digit(base)}{base}"


class ExporterProfileFactory(factory.django.DjangoModelFactory):
    """A registered exporter; approved unless `status` says otherwise. Its account's username
    is its e-mail address, as registration makes it."""

    class Meta:
        model = ExporterProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(
        UserFactory, role=Role.EXPORTER, is_staff=False,
        username=factory.Sequence(lambda n: f"exporter{n}@example.jp"),
        email=factory.LazyAttribute(lambda u: u.username))
    company_name = factory.Sequence(lambda n: f"輸出食品株式会社{n}")
    company_name_en = factory.Sequence(lambda n: f"Export Foods {n} Co., Ltd.")
    corporate_number = factory.Sequence(_corporate_number)
    prefecture = "13"
    contact_name = "輸出 花子"
    status = ExporterStatus.APPROVED
    consented_at = factory.LazyFunction(timezone.now)
    email_verified_at = factory.LazyAttribute(
        lambda p: None if p.status == ExporterStatus.PENDING_VERIFICATION else timezone.now())
    rejection_reason = factory.LazyAttribute(
        lambda p: "要件を満たしていません" if p.status == ExporterStatus.REJECTED else "")

    @factory.post_generation
    def product_categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.product_categories.set(extracted)

    @factory.post_generation
    def target_markets(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_markets.set(extracted)


class SupportMeasureFactory(factory.django.DjangoModelFactory):
    """A published support measure open to every category and market unless told otherwise."""

    class Meta:
        model = SupportMeasure
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"SM-{n}")
    kind = "promotion"
    name_ja = factory.Sequence(lambda n: f"支援策{n}")
    name_en = factory.Sequence(lambda n: f"Support measure {n}")
    is_published = True

    @factory.post_generation
    def product_categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.product_categories.set(extracted)

    @factory.post_generation
    def target_markets(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_markets.set(extracted)


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.NotificationPreference"
        django_get_or_create = ("user", "kind")

    user = factory.SubFactory(UserFactory)
    kind = "due_soon"


class ReminderTimeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.ReminderTime"
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    hour = 8
