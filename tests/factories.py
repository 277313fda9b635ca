"""Test data. Factories write models directly: they set up a situation, the code under test
changes it."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Organisation, Role, User
from exporters.models import ExporterProfile, ExporterStatus
from exporters.validators import corporate_number_check_digit
from programs.models import (
    KPI,
    Country,
    CountryAction,
    CountryPlan,
    CountryPlanField,
    Delivery,
    Initiative,
    KPIMeasurement,
    Milestone,
    Notification,
    NotificationPreference,
    ProductCategory,
    ProgressReport,
    Project,
    Region,
    ReminderKind,
    StatusUpdate,
    StrategicField,
    SupportMeasure,
)
from programs.services.initiatives import initiative_path
from programs.services.progress_reports import report_figures


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


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"org-{n}")
    kind = Organisation.Kind.AGENCY
    name_ja = factory.Sequence(lambda n: f"機関{n}")


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


class StrategicFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicField
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"field-{n}")
    name_ja = factory.Sequence(lambda n: f"分野{n}")
    name_en = factory.Sequence(lambda n: f"Field {n}")


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category-{n}")
    order = factory.Sequence(lambda n: n)
    name_ja = factory.Sequence(lambda n: f"品目{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


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


class CountryPlanFieldFactory(factory.django.DjangoModelFactory):
    """A promising field of a country plan."""

    class Meta:
        model = CountryPlanField

    plan = factory.SubFactory(CountryPlanFactory)
    field = factory.SubFactory(StrategicFieldFactory)
    order = factory.Sequence(lambda n: n)


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


class KPIMeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPIMeasurement

    kpi = factory.SubFactory(KPIFactory)
    period_on = factory.Sequence(lambda n: date(2000 + n % 100, 12, 31))
    value = Decimal("1.5")


class ProgressReportFactory(factory.django.DjangoModelFactory):
    """A draft quarterly report prepared by the initiative's owner."""

    class Meta:
        model = ProgressReport

    initiative = factory.SubFactory(InitiativeFactory)
    period = factory.Sequence(lambda n: f"{2000 + n // 4 % 100}-Q{n % 4 + 1}")
    prepared_by = factory.LazyAttribute(lambda r: r.initiative.owner or UserFactory())
    figures_as_of = factory.LazyFunction(timezone.localdate)
    figures = factory.LazyAttribute(
        lambda r: report_figures(initiative=r.initiative, as_of=r.figures_as_of))


class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread notification about a milestone."""

    class Meta:
        model = Notification

    class Params:
        subject = factory.SubFactory(MilestoneFactory)

    recipient = factory.SubFactory(UserFactory)
    kind = ReminderKind.DUE_SOON
    title = "期限が近づいています"
    body = "マイルストーンの期限が近づいています。"
    subject_type = factory.LazyAttribute(
        lambda n: ContentType.objects.get_for_model(n.subject))
    subject_id = factory.LazyAttribute(lambda n: n.subject.pk)


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationPreference
        django_get_or_create = ("user", "kind")

    user = factory.SubFactory(UserFactory)
    kind = ReminderKind.DUE_SOON


class DeliveryFactory(factory.django.DjangoModelFactory):
    """A reminder e-mail claimed by a sweep and not yet sent."""

    class Meta:
        model = Delivery

    class Params:
        subject = factory.SubFactory(MilestoneFactory)

    recipient = factory.SubFactory(UserFactory)
    kind = ReminderKind.DUE_SOON
    subject_type = factory.LazyAttribute(
        lambda d: ContentType.objects.get_for_model(d.subject))
    subject_id = factory.LazyAttribute(lambda d: d.subject.pk)
    occasion = factory.Sequence(lambda n: f"test:{n}")
    claimed_by = factory.LazyFunction(uuid.uuid4)
    email_subject = "期限が近づいています"
    body_text = "本文"
    body_html = "<p>本文</p>"


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


class ReminderTimeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.ReminderTime"
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    hour = 8
