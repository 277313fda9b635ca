"""The scene the API tests share: one small, realistic tracker that a test module builds once
(`tests.support.shared_data.built_once`) and adds to only what its own tests need.

People: an officer who owns the food-export programme (and so also reviews exporter
registrations), another officer who owns AZEC2 (the officer is not on its team), a manager,
an administrator, an officer whose account is switched off, and registered companies: one
approved (the `exporter` account), one awaiting approval, one awaiting e-mail confirmation.

Each initiative has the same kinds of work, owned and written by its owner: a project, a
milestone with a status update, a status update on the initiative itself, a KPI with a
measurement and a country plan with a promising field and an action. The programme also has
quarterly progress reports (drafts and a submitted one), and the officer a reminder about
its milestone. Reference data: regions, countries, product categories, an organisation, a
strategic field and a published support measure.
"""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from exporters.models import ExporterStatus
from programs.models import ReportStatus, WorkStatus
from tests.factories import (
    CountryActionFactory,
    CountryFactory,
    CountryPlanFactory,
    CountryPlanFieldFactory,
    ExporterProfileFactory,
    InitiativeFactory,
    KPIFactory,
    KPIMeasurementFactory,
    MilestoneFactory,
    NotificationFactory,
    OrganisationFactory,
    ProductCategoryFactory,
    ProgressReportFactory,
    ProjectFactory,
    RegionFactory,
    StatusUpdateFactory,
    StrategicFieldFactory,
    SupportMeasureFactory,
    UserFactory,
)


def build_scene() -> SimpleNamespace:
    """Build the scene; every record is an attribute of the namespace returned (countries in a
    dict by ISO code)."""
    officer = UserFactory(role="officer", username="officer_a")
    other_officer = UserFactory(role="officer", username="officer_b")
    manager = UserFactory(role="manager", username="manager_a")
    administrator = UserFactory(role="administrator", username="admin_a", is_superuser=True)

    asia = RegionFactory(code="asia", order=1, name_ja="アジア大洋州", name_en="Asia-Pacific")
    americas = RegionFactory(code="americas", order=2, name_ja="北米", name_en="North America")
    countries = {
        "SG": CountryFactory(iso2="SG", name_ja="シンガポール", name_en="Singapore", region=asia),
        "TH": CountryFactory(iso2="TH", name_ja="タイ", name_en="Thailand", region=asia),
        "VN": CountryFactory(iso2="VN", name_ja="ベトナム", name_en="Viet Nam", region=asia),
        "US": CountryFactory(iso2="US", name_ja="米国", name_en="United States",
                             region=americas),
    }
    seafood = ProductCategoryFactory(code="seafood", order=1, name_ja="水産物", name_en="Seafood")
    sake = ProductCategoryFactory(code="sake", order=2, name_ja="酒類", name_en="Sake")
    jetro = OrganisationFactory(code="jetro", name_ja="日本貿易振興機構", name_en="JETRO",
                                abbreviation="JETRO")
    gx = StrategicFieldFactory(code="gx", name_ja="GX", name_en="Green transformation",
                               variants=["グリーン・トランスフォーメーション"])

    programme = InitiativeFactory(code="FOOD-EXPORT", owner=officer, lead_organisation=jetro,
                                  name_ja="日本の食輸出1万者支援プログラム",
                                  reviews_exporter_registrations=True)
    programme.countries.add(countries["SG"], countries["VN"])
    others = InitiativeFactory(code="AZEC2", owner=other_officer, lead_organisation=jetro,
                               name_ja="AZEC 2.0")
    others.countries.add(countries["TH"])
    others.fields.add(gx)
    own_work = _work_of(programme, countries["VN"], gx, jetro, code="FOOD-SG",
                        measured_on=date(2026, 3, 31), status=WorkStatus.IN_PROGRESS,
                        percent_complete=40)
    others_work = _work_of(others, countries["TH"], gx, jetro, code="AZEC-TH",
                           measured_on=date(2024, 12, 31))
    milestone = own_work.milestone

    def report(period, **fields):
        return ProgressReportFactory(initiative=programme, period=period, prepared_by=officer,
                                     figures_as_of=date(2026, 6, 30), **fields)

    company = ExporterProfileFactory(company_name="みなと水産加工株式会社",
                                     product_categories=[seafood],
                                     target_markets=[countries["SG"]])
    return SimpleNamespace(
        officer=officer, other_officer=other_officer, manager=manager,
        administrator=administrator, inactive_officer=UserFactory(is_active=False),
        exporter=company.user,
        regions={"asia": asia, "americas": americas}, region=asia, countries=countries,
        seafood=seafood, sake=sake, jetro=jetro, gx=gx,
        support_measure=SupportMeasureFactory(
            code="SM-JETRO-BASE", kind="overseas_base", name_ja="海外拠点での商談支援",
            provider=jetro, initiative=programme, product_categories=[sake],
            target_markets=[countries["US"]]),
        programme=programme, others=others,
        project=own_work.project, milestone=milestone, status_update=own_work.status_update,
        initiative_update=own_work.initiative_update, kpi=own_work.kpi,
        measurement=own_work.measurement, plan=own_work.plan, action=own_work.action,
        others_project=others_work.project, others_milestone=others_work.milestone,
        others_status_update=others_work.status_update,
        others_initiative_update=others_work.initiative_update, others_kpi=others_work.kpi,
        others_measurement=others_work.measurement, others_plan=others_work.plan,
        others_action=others_work.action,
        notification=NotificationFactory(recipient=officer, subject=milestone,
                                         body="マイルストーンの期限まで7日です。"),
        draft=report("2026-Q2", narrative="輸出額は前年同期比で増加。"),
        blank_draft=report("2025-Q4", narrative=""),
        submitted=report("2026-Q1", narrative="順調。", status=ReportStatus.SUBMITTED,
                         submitted_by=officer, submitted_at=timezone.now()),
        company=company,
        applicant=ExporterProfileFactory(company_name="さくら酒造株式会社",
                                         status=ExporterStatus.PENDING_APPROVAL,
                                         product_categories=[sake],
                                         target_markets=[countries["US"]]),
        unconfirmed=ExporterProfileFactory(status=ExporterStatus.PENDING_VERIFICATION,
                                           product_categories=[seafood],
                                           target_markets=[countries["US"]]),
    )


def _work_of(initiative, country, field, partner, *, code, measured_on, **milestone_fields):
    """The work under `initiative`, owned and written by its owner."""
    owner = initiative.owner
    project = ProjectFactory(initiative=initiative, code=code)
    project.countries.add(country)
    project.partners.add(partner)
    milestone = MilestoneFactory(initiative=initiative, project=project, owner=owner,
                                 **milestone_fields)
    kpi = KPIFactory(initiative=initiative)
    plan = CountryPlanFactory(initiative=initiative, country=country)
    CountryPlanFieldFactory(plan=plan, field=field, order=1, mp_adopted=True)
    return SimpleNamespace(
        project=project,
        milestone=milestone,
        status_update=StatusUpdateFactory(milestone=milestone, author=owner),
        initiative_update=StatusUpdateFactory(milestone=None, initiative=initiative,
                                              author=owner, summary="施策全体は順調"),
        kpi=kpi,
        measurement=KPIMeasurementFactory(kpi=kpi, period_on=measured_on,
                                          value=Decimal("1.5"), recorded_by=owner),
        plan=plan,
        action=CountryActionFactory(plan=plan, order=1, owner=owner,
                                    status=WorkStatus.IN_PROGRESS),
    )
