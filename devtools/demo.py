"""Demo accounts and demo work for a first look (`seed --with-demo-users`).

Demo milestones are dated around the day they are first created (some overdue, some due soon,
one slipped), written through the same services an officer's edits go through. Re-running
leaves existing demo records as they are.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Role, User
from exporters.models import ExporterProfile, ExporterStatus
from programs.models import (
    KPI,
    Country,
    Health,
    Initiative,
    Milestone,
    ProductCategory,
    WorkStatus,
)
from programs.selectors.initiatives import initiative_subtree
from programs.services.common import today
from programs.services.milestones import (
    milestone_create,
    milestone_transition,
    milestone_update,
)
from programs.services.work_items import kpi_measurement_record, status_update_create

DEMO_USERS = (
    # username, role, last name, first name, organisation code
    ("officer", Role.OFFICER, "経産", "一郎", "METI-TPB"),
    ("officer2", Role.OFFICER, "農水", "花子", "METI-TPB"),
    ("manager", Role.MANAGER, "通商", "課長", "METI-TPB"),
    ("exporter", Role.EXPORTER, "輸出", "太郎", None),
    ("admin", Role.ADMINISTRATOR, "管理", "者", "METI-TPB"),
)

# Initiatives each demo officer owns: AZEC 2.0 and POWERER Asia (with its tracks) for
# `officer`, the food-export programme and its three pillars for `officer2`.
OWNED = {
    "officer": ("AZEC2", "POWERER-ASIA"),
    "officer2": ("FOOD-EXPORT",),
}
MEMBER_OF = {"officer": ("REGION-ASIA-PACIFIC",)}

# (initiative, title_ja, title_en, days from today to the planned date, slip in days,
#  status, health)
DEMO_MILESTONES = (
    ("POWERER-ASIA", "ベトナム・ニソン製油所の原油調達に係るNEXI金融支援の条件合意",
     "Agree terms of NEXI financing for Nghi Son refinery crude procurement", -12, 0,
     WorkStatus.IN_PROGRESS, Health.RED),
    ("POWERER-ASIA", "フィリピン国家備蓄協力の実施計画を取りまとめ",
     "Finalise the implementation plan for Philippine national stockpile cooperation", -3, 0,
     WorkStatus.IN_PROGRESS, Health.AMBER),
    ("POWERER-ASIA", "ASEAN共同備蓄に関するERIA調査の中間報告",
     "ERIA interim report on ASEAN joint stockpiling", 5, 0, WorkStatus.IN_PROGRESS,
     Health.GREEN),
    ("AZEC2", "AZEC官民フォーラムの開催",
     "Hold the AZEC public-private forum", 12, 21, WorkStatus.IN_PROGRESS, Health.AMBER),
    ("AZEC2", "ERIA・IEAとのアジアエネルギー強靱化ワークショップ",
     "Asia energy resilience workshop with ERIA and IEA", -30, 0, WorkStatus.DONE,
     Health.GREEN),
    ("AZEC2", "AZEC2.0需要側スコープの作業計画を策定",
     "Draft the work plan for AZEC 2.0's demand-side scope", 45, 0, WorkStatus.NOT_STARTED,
     Health.GREEN),
    ("FOOD-EXPORT", "食輸出1万者支援プログラム登録事業者への支援情報の第1回配信",
     "First mailing of support information to registered exporters", -5, 0,
     WorkStatus.IN_PROGRESS, Health.AMBER),
    ("FOOD-EXPORT", "電子商取引サイトの日本産品特設コーナーの追加開設",
     "Open further Japanese-products corners on e-commerce sites", 7, 0,
     WorkStatus.IN_PROGRESS, Health.GREEN),
    ("FOOD-EXPORT", "「農林水産・食品支援ガイドブック」改訂版の公表",
     "Publish the revised agri-food support guidebook", 1, 30, WorkStatus.IN_PROGRESS,
     Health.AMBER),
    ("FOOD-EXPORT", "JETRO食品輸出拠点の人員配置強化計画の策定",
     "Plan stronger staffing of JETRO food-export bases", -20, 0, WorkStatus.BLOCKED,
     Health.RED),
    ("FOOD-EXPORT", "ノングルテン米粉のブランディング発信キャンペーン",
     "Branding campaign for non-gluten rice flour", 60, 0, WorkStatus.NOT_STARTED,
     Health.GREEN),
)

# A measurement the seed text does not state, to give the KPI forecast two points: the 2024
# value implied by 2025's 1.7兆円 at +13% on the year.
DEMO_MEASUREMENTS = (
    ("AGRIFOOD-EXPORTS", date(2024, 12, 31), Decimal("1.5"),
     "デモデータ: 2025年実績1.7兆円（前年比+13%）から逆算"),
)


# The demo exporter: a seafood processor selling to Singapore, Hong Kong and the United States.
DEMO_EXPORTER = {
    "company_name": "みなと水産加工株式会社",
    "company_name_en": "Minato Seafood Processing Co., Ltd.",
    "corporate_number": "4010001234567", "prefecture": "04", "contact_name": "輸出 太郎",
    "product_categories": ("seafood", "processed_food"), "target_markets": ("SG", "HK", "US"),
}


def _demo_exporter_profile(user, report):
    if ExporterProfile.objects.filter(user=user).exists():
        report.add("demo exporter profile", "unchanged")
        return
    data = DEMO_EXPORTER
    profile = ExporterProfile.objects.create(
        user=user, company_name=data["company_name"], company_name_en=data["company_name_en"],
        corporate_number=data["corporate_number"], prefecture=data["prefecture"],
        contact_name=data["contact_name"], status=ExporterStatus.APPROVED,
        consented_at=timezone.now(), email_verified_at=timezone.now(),
        reviewed_at=timezone.now())
    profile.product_categories.set(ProductCategory.objects.filter(
        code__in=data["product_categories"]))
    profile.target_markets.set(Country.objects.filter(iso2__in=data["target_markets"]))
    report.add("demo exporter profile", "created")


def _demo_user(username, role, last_name, first_name, organisation_code, password):
    user = User.objects.filter(username=username).first()
    if user:
        return user, False
    user = User(
        username=username, role=role, last_name=last_name, first_name=first_name,
        email=f"{username}@example.jp", is_staff=role != Role.EXPORTER,
        is_superuser=role == Role.ADMINISTRATOR,
        organisation=Organisation.objects.filter(code=organisation_code).first(),
    )
    user.set_password(password)
    user.save()
    return user, True


@transaction.atomic
def seed_demo(report, *, password):
    # Publicly known accounts (an administrator among them) never reach production.
    if not settings.DEMO_ACCOUNTS_ALLOWED:
        raise ImproperlyConfigured("Demo accounts are for development only.")
    if not password:
        raise ImproperlyConfigured("Demo accounts need DEMO_PASSWORD.")
    users = {}
    for username, role, last, first, organisation in DEMO_USERS:
        users[username], created = _demo_user(username, role, last, first, organisation, password)
        report.add("demo users", "created" if created else "unchanged")
    for username, codes in OWNED.items():
        # Each owned initiative and everything under it, unless someone already owns it.
        for code in codes:
            root = Initiative.objects.get(code=code)
            updated = initiative_subtree(root).filter(owner__isnull=True).update(
                owner=users[username])
            report.add("demo ownership", "updated" if updated else "unchanged")
    for username, codes in MEMBER_OF.items():
        for initiative in Initiative.objects.filter(code__in=codes):
            initiative.members.add(users[username])
    _seed_demo_milestones(report, users)
    _demo_exporter_profile(users["exporter"], report)
    for code, period_on, value, source in DEMO_MEASUREMENTS:
        kpi = KPI.objects.filter(code=code).first()
        if kpi and not kpi.measurements.filter(period_on=period_on).exists():
            kpi_measurement_record(kpi=kpi, by=users["admin"], period_on=period_on, value=value,
                                   source=source)
            report.add("demo KPI measurements", "created")


def _seed_demo_milestones(report, users):
    base = today()
    for code, title_ja, title_en, due_in, slip, status, health in DEMO_MILESTONES:
        initiative = Initiative.objects.get(code=code)
        if Milestone.objects.filter(initiative=initiative, title_ja=title_ja).exists():
            report.add("demo milestones", "unchanged")
            continue
        owner = initiative.owner or users["admin"]
        planned = base + timedelta(days=due_in)
        milestone = milestone_create(initiative=initiative, by=owner, data={
            "title_ja": title_ja, "title_en": title_en, "owner": owner,
            "baseline_due_on": planned - timedelta(days=slip), "planned_due_on": planned,
        })
        if status == WorkStatus.DONE:
            milestone_transition(milestone=milestone, to=WorkStatus.IN_PROGRESS, by=owner)
            milestone_transition(milestone=milestone, to=WorkStatus.DONE, by=owner,
                                 completed_on=planned)
        elif status != WorkStatus.NOT_STARTED:
            milestone_update(milestone=milestone, by=owner, data={
                "status": status, "percent_complete": 40, "health": health})
        if health != Health.GREEN:
            status_update_create(milestone=milestone, by=owner, data={
                "summary": f"{title_ja}: 相手国との調整に時間を要している。",
                "risks": "相手国側の承認手続きが遅れている。",
                "next_steps": "次回の事務レベル会合で論点を整理する。",
                "health": health,
            })
        report.add("demo milestones", "created")
