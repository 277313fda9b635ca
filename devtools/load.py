"""A large, realistic data set on top of the seeded strategy, for load tests and benchmarks
(`manage.py generate_load --scale N [--seed S] [--anchor YYYY-MM-DD] [--reset]`).

This is a bulk data loader, not a way to record work. It writes rows directly with
`bulk_create` in batches (and, on PostgreSQL, the milestone history with COPY), and calls no
service, runs no `save()` or `full_clean()` per row, sends no signal, creates no notification
and enqueues no task. The rows it writes keep, by construction, the invariants the services
keep: initiative paths and depths, done ⇔ completion date ⇔ 100 %, a project's milestones on
the project's initiative, versions equal to the number of history rows, and each milestone's
history a sequence of versions whose last one is the milestone as it stands.

At `--scale 1` it adds (every count scales, none below 1): 500 officers in the seeded
organisations; 300 initiatives under the seeded tree (owners, team members, countries, fields);
5,000 projects under them; 100,000 milestones over those initiatives and projects with
1,000,000 milestone history rows; 30 KPIs and 2,000 KPI measurements (over the seeded and the
generated KPIs); 10,000 approved-mostly exporters with valid 法人番号; 2,000 published-mostly
support measures whose categories and markets overlap the exporters'. Every generated record
also gets its creation history row.

Generated rows are recognisable, and only they are ever deleted: codes start with `LOAD-`,
user names with `load-` (officers `load-officer-0001`, exporters
`load-exporter-00001@example.jp`), history rows carry the change reason `generate_load`.
Generated users sign in with `DEMO_PASSWORD` (hashed once for all of them).

Re-running: generating refuses while generated rows exist; `reset=True` (`--reset`) first
deletes the generated rows, and what was recorded on them or by generated people since (status
updates, progress reports, reminders and notifications, tokens...), and nothing else; it
refuses if a record that was not generated depends on one (a seeded initiative given a
generated owner, say). Everything runs in one transaction: a failed run leaves nothing behind.

Milestones have no country of their own: they are in the countries, regions and fields of
their initiative and project, which the generator sets. A milestone's history rows are written
by its owner; bulk_create is made to keep the given created/updated times (auto_now is switched
off for the run) so that every row agrees with its history.

Determinism: every choice comes from `random.Random(seed)`, seeded records are read in the
order of their codes, and no clock is read while generating. Dates are placed around an anchor
day, today by default, so that the data is "current" whenever it is generated (a good share of
milestones overdue, some due within 30 days, all history in the past): the same seed, scale and
anchor on the same seeded database give the same data, ids aside. Pass `anchor` to reproduce a
data set exactly on another day.
"""

import random
import string
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import ExporterProfile, ExporterStatus, Organisation, Role, User
from accounts.prefectures import Prefecture
from accounts.validators import corporate_number_check_digit
from programs.models import (
    KPI,
    Country,
    Delivery,
    Health,
    Initiative,
    InitiativeStatus,
    KPIDirection,
    KPIMeasurement,
    KPIUnit,
    Milestone,
    Notification,
    ProductCategory,
    ProgressReport,
    Project,
    ProjectPhase,
    StatusUpdate,
    StrategicField,
    SupportKind,
    SupportMeasure,
    WorkStatus,
)
from programs.services.common import today
from programs.services.initiatives import initiative_path

LOAD_REASON = "generate_load"
CODE_PREFIX = "LOAD-"
USERNAME_PREFIX = "load-"
DEFAULT_SEED = 2026
BATCH_SIZE = 5000

# Rows of each kind at scale 1.
BASE_COUNTS = {
    "officers": 500,
    "initiatives": 300,
    "projects": 5_000,
    "milestones": 100_000,
    "milestone history": 1_000_000,
    "KPIs": 30,
    "KPI measurements": 2_000,
    "exporters": 10_000,
    "support measures": 2_000,
}

# Milestone dates spread from about two years before the anchor to two years after it
# (2025-2028 for an anchor in late 2026).
WINDOW_BEFORE_DAYS = 690
WINDOW_AFTER_DAYS = 720
# Reference data is created before the first milestone: initiatives, then projects.
INITIATIVES_CREATED_DAYS_BEFORE = (800, 780)
PROJECTS_CREATED_DAYS_BEFORE = (779, 761)

OFFICER_ORGANISATIONS = ("METI", "METI-TPB", "METI-RB", "MAFF", "MAFF-RB", "JETRO", "JICA",
                         "JOGMEC", "NEXI", "JBIC")
PARTNER_ORGANISATIONS = ("JBIC", "NEXI", "JICA", "JOGMEC", "JETRO", "ERIA", "KEIDANREN")
SUPPORT_PROVIDERS = ("JETRO", "MAFF", "MAFF-RB", "METI", "METI-RB", "JBIC", "NEXI")
MAX_INITIATIVE_DEPTH = 6

FAMILY_NAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
                "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水",
                "山崎", "森", "池田", "橋本", "阿部", "石川", "山下", "中島", "石井", "小川",
                "前田", "岡田", "長谷川", "藤田", "後藤", "近藤", "村上", "遠藤", "青木", "坂本")
GIVEN_NAMES = ("翔太", "大輔", "健太", "拓也", "直樹", "陽子", "美咲", "恵子", "由美", "真理",
               "裕子", "花子", "一郎", "健一", "誠", "亮", "彩", "愛", "葵", "結衣", "翼", "蓮",
               "悠斗", "陽菜", "優子", "智子", "和也", "達也", "剛", "聡")

# Themes of projects and milestones, by strategic field.
THEMES = {
    "ENERGY_GX": (("LNG受入基地", "LNG receiving terminal"),
                  ("水素サプライチェーン", "hydrogen supply chain"),
                  ("地熱発電", "geothermal power"), ("CCS", "carbon capture and storage"),
                  ("製油所近代化", "refinery modernisation"),
                  ("アンモニア混焼", "ammonia co-firing"), ("送電網整備", "power grid upgrade")),
    "DIGITAL_CYBER": (("海底ケーブル", "submarine cable"), ("データセンター", "data centre"),
                      ("サイバーセキュリティ人材育成", "cybersecurity training"),
                      ("電子政府基盤", "e-government platform")),
    "MATERIALS": (("レアメタル精錬", "rare-metal refining"),
                  ("リチウム開発", "lithium development"),
                  ("銅鉱山開発", "copper mine development"),
                  ("重要鉱物リサイクル", "critical-mineral recycling"),
                  ("部素材供給網", "parts and materials supply chain")),
    "AI_SEMICONDUCTORS": (("半導体後工程", "semiconductor back-end"),
                          ("AI人材育成", "AI talent development"),
                          ("半導体製造装置", "semiconductor equipment")),
    "CONTENT": (("アニメ共同制作", "anime co-production"), ("ゲーム配信", "game distribution"),
                ("映像コンテンツ展開", "video content distribution")),
    "AEROSPACE": (("衛星データ利活用", "satellite data use"),
                  ("航空機整備", "aircraft maintenance"),
                  ("小型衛星打上げ", "small-satellite launch")),
    "DISASTER_RESILIENCE": (("早期警報システム", "early-warning system"),
                            ("耐震インフラ", "seismic infrastructure"),
                            ("洪水対策", "flood control")),
    "DEFENCE_INDUSTRY": (("防衛装備品協力", "defence equipment cooperation"),
                         ("装備品維持整備", "equipment maintenance")),
    "DRUG_DISCOVERY_MEDICINE": (("医薬品製造", "pharmaceutical manufacturing"),
                                ("遠隔医療", "telemedicine"),
                                ("臨床試験拠点", "clinical trial centre")),
    "QUANTUM": (("量子計算研究拠点", "quantum computing hub"),
                ("量子暗号通信", "quantum cryptography")),
    "FOODTECH": (("植物工場", "plant factory"), ("コールドチェーン", "cold chain"),
                 ("代替タンパク", "alternative protein")),
    "ICT": (("オープンRAN", "Open RAN"), ("5G網整備", "5G network roll-out"),
            ("スマートシティ", "smart city")),
}
DEFAULT_THEMES = (("協力案件", "cooperation project"),)

INITIATIVE_NAMES = (
    ("{country}との{field}協力推進", "{field} cooperation with {country}"),
    ("{region}における{field}連携イニシアティブ", "{field} partnership initiative in {region}"),
    ("対{country}{field}官民ミッション", "Public-private missions to {country}: {field}"),
    ("{country}{field}サプライチェーン強靱化", "Resilient supply chains with {country}: {field}"),
    ("{field}に関する{country}政策対話", "Policy dialogue with {country} on {field}"),
    ("{country}における{field}案件形成支援", "Project formation in {country}: {field}"),
)
MILESTONE_TITLES = (
    ("{country}政府との{field}政策対話の開催",
     "Hold the policy dialogue on {field} with the government of {country}"),
    ("{theme}に関する事業化調査（FS）の完了", "Complete the feasibility study on {theme}"),
    ("{country}向け{theme}案件の融資条件合意",
     "Agree financing terms for the {theme} project in {country}"),
    ("{theme}実証事業の現地パートナー選定",
     "Select the local partner for the {theme} demonstration"),
    ("{field}分野の官民ミッション派遣（{country}）",
     "Send a public-private mission to {country} on {field}"),
    ("{country}との{theme}協力覚書の署名", "Sign the {theme} memorandum with {country}"),
    ("{theme}の中間報告書の取りまとめ", "Compile the interim report on {theme}"),
    ("{country}における{theme}ワークショップの開催", "Hold a {theme} workshop in {country}"),
    ("{theme}に係る予算要求の提出", "Submit the budget request for {theme}"),
    ("{country}での{theme}着工式", "Groundbreaking of the {theme} in {country}"),
    ("{field}ワーキンググループ第{n}回会合", "{field} working group, meeting {n}"),
    ("{theme}の最終報告と成果公表", "Final report and publication of results on {theme}"),
)
PROGRESS_NOTES = ("関係省庁と協議中。", "相手国政府との調整を継続。", "予算措置の見通しを確認。",
                  "現地調査の日程を調整中。", "実施体制を見直し。", "パートナー企業と条件交渉中。",
                  "事務レベル会合で論点を整理。")
HEALTH_NOTES = ("相手国側の承認手続きが遅れている。", "予算措置の見通しが立っていない。",
                "現地パートナーとの条件交渉が難航している。",
                "治安情勢の悪化により現地調査を延期した。",
                "資機材価格の高騰で事業費の見直しが必要。")
PHASE_WORDS = {ProjectPhase.DEMONSTRATION: ("実証", "Demonstration"),
               ProjectPhase.COMMERCIALISATION: ("事業化", "Commercialisation"),
               ProjectPhase.ROLLOUT: ("展開", "Roll-out")}

COMPANY_CORES = (
    ("さくら", "Sakura"), ("みなと", "Minato"), ("富士", "Fuji"), ("北斗", "Hokuto"),
    ("大和", "Yamato"), ("青葉", "Aoba"), ("瀬戸内", "Setouchi"), ("越後", "Echigo"),
    ("信州", "Shinshu"), ("薩摩", "Satsuma"), ("三陸", "Sanriku"), ("丹波", "Tamba"),
    ("土佐", "Tosa"), ("紀州", "Kishu"), ("加賀", "Kaga"), ("出雲", "Izumo"), ("十勝", "Tokachi"),
    ("津軽", "Tsugaru"), ("伊勢", "Ise"), ("日向", "Hyuga"), ("琉球", "Ryukyu"), ("美濃", "Mino"),
    ("讃岐", "Sanuki"), ("阿波", "Awa"), ("房総", "Boso"), ("松島", "Matsushima"),
    ("宇和島", "Uwajima"), ("常陸", "Hitachi"), ("飛騨", "Hida"), ("筑紫", "Tsukushi"),
)
COMPANY_TRADES = {
    "agricultural": (("農園", "Farm"), ("青果", "Produce"), ("農産", "Agri")),
    "livestock": (("畜産", "Livestock"), ("ミート", "Meat"), ("牧場", "Ranch")),
    "seafood": (("水産", "Seafood"), ("海産", "Marine Products"), ("漁業", "Fisheries")),
    "processed_food": (("食品", "Foods"), ("製菓", "Confectionery"), ("フーズ", "Foods")),
    "alcoholic_beverages": (("酒造", "Brewery"), ("醸造", "Brewing"), ("酒販", "Liquors")),
    "forestry": (("木材", "Timber"), ("林産", "Forest Products")),
}
COMPANY_FORMS = (("株式会社{core}{trade}", "{core} {trade} Co., Ltd."),
                 ("{core}{trade}株式会社", "{core} {trade} Co., Ltd."),
                 ("有限会社{core}{trade}", "{core} {trade} Ltd."),
                 ("合同会社{core}{trade}", "{core} {trade} LLC"))
CATEGORY_WEIGHTS = {"processed_food": 5, "seafood": 4, "agricultural": 4,
                    "alcoholic_beverages": 3, "livestock": 2, "forestry": 1}
# Where Japanese food exporters sell; support measures target the same markets.
MARKET_WEIGHTS = {"HK": 10, "US": 10, "CN": 9, "TW": 8, "VN": 6, "SG": 6, "KR": 5, "TH": 5,
                  "AU": 4, "PH": 3, "MY": 3, "ID": 3, "GB": 3, "FR": 3, "DE": 2, "NL": 2,
                  "CA": 2, "AE": 2, "IN": 2, "IT": 1, "SA": 1, "QA": 1, "MX": 1, "BR": 1}
SUPPORT_WORDS = {
    SupportKind.OVERSEAS_BASE: ("海外拠点による商談支援", "business matching at overseas bases"),
    SupportKind.SUBSIDY: ("輸出向け設備投資補助金", "export investment subsidy"),
    SupportKind.ECOMMERCE: ("越境EC出品支援", "cross-border e-commerce listing support"),
    SupportKind.GUIDEBOOK: ("輸出実務ガイドブック", "export guidebook"),
    SupportKind.PORTAL: ("輸出支援ポータル", "export support portal"),
    SupportKind.PROMOTION: ("輸出商談会", "export business meetings"),
    SupportKind.TECHNOLOGY: ("鮮度保持技術の実証", "freshness-keeping technology trial"),
    SupportKind.NETWORK: ("輸出専門家による個別相談", "one-to-one advice from export experts"),
}
MEASUREMENT_SOURCE = "負荷試験用の生成データ（generate_load）"
GENERATED_KPIS = (
    ("{country}との{field}協力案件数", "{field} cooperation projects with {country}",
     KPIUnit.PROJECTS, 12),
    ("{country}向け輸出額", "Exports to {country}", KPIUnit.HUNDRED_MILLION_USD, 40),
    ("{field}分野の人材交流", "People exchanged in {field}", KPIUnit.PERSONS, 800),
    ("{country}における日系企業拠点数", "Japanese business bases in {country}", KPIUnit.BASES, 60),
)
WHOLE_UNITS = (KPIUnit.PERSONS, KPIUnit.OFFICES, KPIUnit.COUNTRIES, KPIUnit.PROJECTS,
               KPIUnit.BUSINESSES, KPIUnit.BASES)

# Milestone status by where the planned date falls: (days from the anchor up to which the row
# applies, {status: weight}).
STATUS_MIX = (
    (-1, {WorkStatus.DONE: 62, WorkStatus.IN_PROGRESS: 17, WorkStatus.BLOCKED: 7,
          WorkStatus.NOT_STARTED: 6, WorkStatus.CANCELLED: 8}),
    (30, {WorkStatus.IN_PROGRESS: 55, WorkStatus.NOT_STARTED: 20, WorkStatus.BLOCKED: 7,
          WorkStatus.DONE: 15, WorkStatus.CANCELLED: 3}),
    (180, {WorkStatus.IN_PROGRESS: 45, WorkStatus.NOT_STARTED: 42, WorkStatus.BLOCKED: 5,
           WorkStatus.DONE: 5, WorkStatus.CANCELLED: 3}),
    (None, {WorkStatus.NOT_STARTED: 70, WorkStatus.IN_PROGRESS: 24, WorkStatus.BLOCKED: 2,
            WorkStatus.DONE: 2, WorkStatus.CANCELLED: 2}),
)
# How much of the history budget a milestone of each status gets (busy work has more versions).
HISTORY_WEIGHT = {WorkStatus.NOT_STARTED: 0.3, WorkStatus.IN_PROGRESS: 1.3,
                  WorkStatus.BLOCKED: 1.3, WorkStatus.DONE: 1.4, WorkStatus.CANCELLED: 0.6}

# The milestone's own columns, all of which its history rows repeat.
MILESTONE_COLUMNS = [f.attname for f in Milestone._meta.concrete_fields if f.attname != "id"]


class LoadError(Exception):
    """The generator cannot run on this database as it is (no seed, generated rows present)."""


def counts_for(scale):
    """How many rows of each kind a run at `scale` creates (at least one of each)."""
    return {kind: max(1, round(count * scale)) for kind, count in BASE_COUNTS.items()}


@dataclass
class Stage:
    """One step of a run: its main rows, the links and history rows written with them, and
    the time spent on it (in one or several `running()` spells)."""

    name: str
    total: int
    done: int = 0
    related: int = 0
    seconds: float = 0.0
    finished: bool = False
    generates: bool = True
    on_progress: object = field(default=None, repr=False)
    _started: float | None = field(default=None, repr=False)

    @contextmanager
    def running(self):
        self._started = time.perf_counter()
        try:
            yield self
        finally:
            self.seconds += time.perf_counter() - self._started
            self._started = None

    @property
    def elapsed(self):
        return self.seconds + (time.perf_counter() - self._started if self._started else 0.0)

    @property
    def rows_per_second(self):
        elapsed = self.elapsed
        return (self.done + self.related) / elapsed if elapsed else 0.0

    def advance(self, rows, related=0):
        self.done += rows
        self.related += related
        if self.on_progress:
            self.on_progress(self)

    def finish(self):
        self.finished = True
        if self.on_progress:
            self.on_progress(self)


@dataclass
class LoadReport:
    """What a run did: its stages in order, the anchor day its dates are placed around."""

    anchor: date | None = None
    stages: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def counts(self):
        return {stage.name: stage.done for stage in self.stages if stage.generates}

    @property
    def rows(self):
        """Every row written: the main rows, their links and their history."""
        return sum(stage.done + stage.related for stage in self.stages if stage.generates)


def generate_load(*, scale=1.0, seed=DEFAULT_SEED, anchor=None, reset=False,
                  batch_size=BATCH_SIZE, on_progress=None):
    """Generate the load data set (see the module's docstring); returns a LoadReport.

    `on_progress(stage)` is called after every batch. Raises LoadError when the seed is
    missing, or when generated rows exist and `reset` is false.
    """
    if scale <= 0:
        raise LoadError("The scale must be positive.")
    started = time.perf_counter()
    report = LoadReport()
    with transaction.atomic(), _timestamps_as_given():
        _check_seed()
        if reset:
            stage = Stage("reset (generated rows deleted)", 0, generates=False,
                          on_progress=on_progress)
            report.stages.append(stage)
            with stage.running():
                stage.total = _delete_generated()
                stage.advance(stage.total)
            stage.finish()
        elif present := _generated_present():
            raise LoadError(
                f"Generated rows are already present ({present}). Run with --reset to delete "
                "them and generate again.")
        report.anchor = anchor or today()
        generator = _Generator(scale=scale, seed=seed, anchor=report.anchor,
                               batch_size=batch_size, report=report, on_progress=on_progress)
        generator.run()
    if connection.vendor == "postgresql":
        stage = Stage("ANALYZE", 0, generates=False, on_progress=on_progress)
        report.stages.append(stage)
        with stage.running(), connection.cursor() as cursor:
            for table in _generated_tables():
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        stage.finish()
    report.seconds = time.perf_counter() - started
    return report


# --- what the seed and earlier runs left ----------------------------------------------------

def _check_seed():
    missing = [name for name, queryset in (
        ("top-level initiatives", Initiative.objects.filter(parent__isnull=True).exclude(
            code__startswith=CODE_PREFIX)),
        ("countries", Country.objects.all()), ("strategic fields", StrategicField.objects.all()),
        ("organisations", Organisation.objects.all()),
        ("product categories", ProductCategory.objects.all()), ("KPIs", KPI.objects.exclude(
            code__startswith=CODE_PREFIX)),
    ) if not queryset.exists()]
    if missing:
        raise LoadError(
            "The strategy seed is missing (no " + ", ".join(missing) + "): run "
            "`manage.py seed --with-demo-users` first.")


def _generated_rows():
    """Every generated row, by model, in the order they can be deleted."""
    users = User.objects.filter(username__startswith=USERNAME_PREFIX)
    initiatives = Initiative.objects.filter(code__startswith=CODE_PREFIX)
    return {
        KPIMeasurement: KPIMeasurement.objects.filter(
            Q(kpi__code__startswith=CODE_PREFIX) | Q(recorded_by__in=users)),
        Milestone: Milestone.objects.filter(initiative__in=initiatives),
        Project: Project.objects.filter(code__startswith=CODE_PREFIX),
        KPI: KPI.objects.filter(code__startswith=CODE_PREFIX),
        SupportMeasure: SupportMeasure.objects.filter(code__startswith=CODE_PREFIX),
        Initiative: initiatives,
        ExporterProfile: ExporterProfile.objects.filter(user__in=users),
        User: users,
    }


def _generated_present():
    return ", ".join(f"{count:,} {model._meta.label}" for model, queryset
                     in _generated_rows().items() if (count := queryset.count()))


def _generated_tables():
    tables = []
    for model in _generated_rows():
        tables += [model._meta.db_table, model.history.model._meta.db_table]
        tables += [f.remote_field.through._meta.db_table for f in model._meta.many_to_many]
    return tables


def _delete_rows(queryset):
    """Delete with one statement: no collector, no signals (which would write a history row
    per deleted row). Only for rows whose dependents have been dealt with."""
    return queryset._raw_delete(queryset.db)


def _delete_generated():
    """Delete the generated rows and what refers to them; refuse (LoadError) if a record that
    was not generated depends on one (say, a seeded initiative now owned by a generated
    officer). Returns the number of rows deleted."""
    rows = _generated_rows()
    users, initiatives = rows[User], rows[Initiative]
    # Work recorded since on the generated data, or by generated people.
    StatusUpdate.objects.filter(
        Q(milestone__in=rows[Milestone]) | Q(initiative__in=initiatives)
        | Q(author__in=users)).delete()
    ProgressReport.objects.filter(
        Q(initiative__in=initiatives) | Q(prepared_by__in=users) | Q(submitted_by__in=users)
        | Q(reviewed_by__in=users)).delete()
    for model, queryset in rows.items():
        subject = {"subject_type": ContentType.objects.get_for_model(model),
                   "subject_id__in": queryset.values("pk")}
        Notification.objects.filter(**subject).delete()
        Delivery.objects.filter(**subject).delete()
    deleted = 0
    for model, queryset in rows.items():
        deleted += _delete_rows(
            model.history.model.objects.filter(history_change_reason=LOAD_REASON))
        for many in model._meta.many_to_many:
            through = many.remote_field.through
            deleted += _delete_rows(through.objects.filter(
                **{f"{many.m2m_field_name()}__in": queryset.values("pk")}))
    _detach_references(rows)
    for queryset in rows.values():
        deleted += _delete_rows(queryset)
    return deleted


def _detach_references(rows):
    """Deal with the rows that are not generated but point at generated ones, as Django's
    on_delete says: cascade, set null, or refuse."""
    blocking = []
    for model, queryset in rows.items():
        for relation in model._meta.get_fields(include_hidden=True):
            if relation.concrete or not (relation.one_to_many or relation.one_to_one):
                continue
            foreign_key = relation.field
            on_delete = foreign_key.remote_field.on_delete
            if not foreign_key.db_constraint or on_delete is models.DO_NOTHING:
                continue
            referring = relation.related_model._base_manager.filter(
                **{f"{foreign_key.name}__in": queryset.values("pk")})
            if relation.related_model in rows:
                referring = referring.exclude(
                    pk__in=rows[relation.related_model].values("pk"))
            if not referring.exists():
                continue
            if on_delete is models.CASCADE:
                referring.delete()
            elif on_delete is models.SET_NULL:
                referring.update(**{foreign_key.name: None})
            else:
                blocking.append(f"{referring.count()} {relation.related_model._meta.label} "
                                f"({foreign_key.name})")
    if blocking:
        raise LoadError("Records that were not generated refer to generated ones: "
                        + "; ".join(blocking) + ". Reassign them before --reset.")


@contextmanager
def _timestamps_as_given():
    """Let bulk_create keep the created/updated times we give instead of stamping now(), so
    that a record's times agree with its history (process-local; restored on exit)."""
    stamped = [f for model in (Initiative, Project, Milestone, KPIMeasurement, SupportMeasure,
                               ExporterProfile)
               for f in model._meta.concrete_fields
               if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    for f in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _batches(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _links(many_field, pairs):
    """Rows of a many-to-many table, from (owner pk, target pk) pairs."""
    through = many_field.remote_field.through
    source = f"{many_field.m2m_field_name()}_id"
    target = f"{many_field.m2m_reverse_field_name()}_id"
    return [through(**{source: a, target: b}) for a, b in pairs]


# --- the generator --------------------------------------------------------------------------

@dataclass
class _Team:
    """A generated initiative as milestones and projects need it."""

    pk: int
    people: tuple
    countries: list
    fields: list


class _Generator:
    def __init__(self, *, scale, seed, anchor, batch_size, report, on_progress):
        # Reproducible test data, not secrets: a seeded generator on purpose.
        self.rng = random.Random(seed)  # nosec B311
        self.counts = counts_for(scale)
        self.anchor = anchor
        self.batch_size = batch_size
        self.report = report
        self.on_progress = on_progress
        self.tz = timezone.get_default_timezone()
        self.use_copy = connection.vendor == "postgresql"

    # Helpers ----------------------------------------------------------------------------

    def _stage(self, name, total):
        stage = Stage(name, total, on_progress=self.on_progress)
        self.report.stages.append(stage)
        return stage

    @contextmanager
    def _running(self, name, total):
        """A stage done in one spell."""
        stage = self._stage(name, total)
        with stage.running():
            yield stage
        stage.finish()

    def _day(self, days_from_anchor):
        return self.anchor + timedelta(days=days_from_anchor)

    def _moment(self, day, first_hour=8, last_hour=20):
        """A time on `day` during office hours."""
        seconds = self.rng.randrange(first_hour * 3600, last_hour * 3600)
        return datetime.combine(day, datetime.min.time(), tzinfo=self.tz) + timedelta(
            seconds=seconds, microseconds=self.rng.randrange(1_000_000))

    def _weighted(self, weights):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _sample_weighted(self, weights, k):
        """k distinct keys of `weights`, drawn by weight."""
        chosen, pool = [], dict(weights)
        for _ in range(min(k, len(pool))):
            key = self._weighted(pool)
            chosen.append(key)
            del pool[key]
        return chosen

    def _insert(self, model, objs, stage, *, history=True):
        """bulk_create in batches, with a creation history row for each object (dated by its
        `_history_date`)."""
        for batch in _batches(objs, self.batch_size):
            model.objects.bulk_create(batch)
            if history:
                model.history.bulk_history_create(batch, default_change_reason=LOAD_REASON)
            stage.advance(len(batch), related=len(batch) if history else 0)

    def _insert_links(self, many_field, pairs, stage):
        links = _links(many_field, pairs)
        for batch in _batches(links, self.batch_size):
            many_field.remote_field.through.objects.bulk_create(batch)
        stage.advance(0, related=len(links))

    # The run ----------------------------------------------------------------------------

    def run(self):
        self._read_seed()
        self.password = make_password(settings.DEMO_PASSWORD, salt="".join(
            self.rng.choices(string.ascii_letters + string.digits, k=22)))
        for step in (self._officers, self._initiatives, self._projects, self._milestones,
                     self._kpis, self._exporters, self._support_measures):
            step()

    def _read_seed(self):
        """The seeded reference data, in the order of natural keys (not ids), so that the same
        seed draws the same choices on any database."""
        self.countries = sorted(Country.objects.select_related("region"), key=lambda c: c.iso2)
        self.country_by_iso2 = {c.iso2: c for c in self.countries}
        self.regional_countries = [c for c in self.countries if c.region_id] or self.countries
        self.fields = sorted(StrategicField.objects.all(), key=lambda f: f.code)
        self.field_by_code = {f.code: f for f in self.fields}
        organisations = {o.code: o for o in Organisation.objects.all()}
        by_codes = [organisations[code] for code in sorted(organisations)]

        def pick(codes):
            return [organisations[c] for c in codes if c in organisations] or by_codes

        self.officer_organisations = pick(OFFICER_ORGANISATIONS)
        self.partner_organisations = pick(PARTNER_ORGANISATIONS)
        self.support_providers = pick(SUPPORT_PROVIDERS)
        self.categories = sorted(ProductCategory.objects.all(), key=lambda c: (c.order, c.code))
        self.seeded_initiatives = sorted(
            Initiative.objects.exclude(code__startswith=CODE_PREFIX).prefetch_related(
                "countries", "fields"), key=lambda i: i.code)
        self.seeded_kpis = sorted(KPI.objects.exclude(code__startswith=CODE_PREFIX),
                                  key=lambda k: k.code)
        self.measured = set(KPIMeasurement.objects.values_list("kpi_id", "period_on"))
        self.corporate_numbers = set(
            ExporterProfile.objects.values_list("corporate_number", flat=True))

    # Officers ---------------------------------------------------------------------------

    def _person(self):
        return self.rng.choice(FAMILY_NAMES), self.rng.choice(GIVEN_NAMES)

    def _officers(self):
        total = self.counts["officers"]
        with self._running("officers", total) as stage:
            users = []
            for number in range(1, total + 1):
                family, given = self._person()
                username = f"{USERNAME_PREFIX}officer-{number:04d}"
                user = User(
                    username=username, email=f"{username}@example.jp", last_name=family,
                    first_name=given, role=Role.OFFICER, is_staff=True, password=self.password,
                    organisation=self.rng.choice(self.officer_organisations),
                    language="en" if self.rng.random() < 0.1 else "ja",
                    date_joined=self._moment(self._day(-self.rng.randint(820, 1100))))
                user._history_date = user.date_joined
                users.append(user)
            self._insert(User, users, stage)
        self.officer_ids = [u.pk for u in users]

    # Initiatives ------------------------------------------------------------------------

    def _initiative_name(self, countries, fields):
        country, field_ = countries[0], fields[0]
        region = country.region or country
        template_ja, template_en = self.rng.choice(INITIATIVE_NAMES)
        return (template_ja.format(country=country.name_ja, field=field_.name_ja,
                                   region=region.name_ja),
                template_en.format(country=country.name_en, field=field_.name_en,
                                   region=region.name_en))

    def _initiatives(self):
        """Initiatives under the seeded tree (below its top level), a third of them under
        other generated initiatives; each takes its countries and fields from its parent."""
        total = self.counts["initiatives"]
        rng = self.rng
        with self._running("initiatives", total) as stage:
            parents = [(i, sorted(i.countries.all(), key=lambda c: c.iso2),
                        sorted(i.fields.all(), key=lambda f: f.code))
                       for i in self.seeded_initiatives if i.depth >= 1]
            generated, nestable = [], []
            for number in range(1, total + 1):
                parent, parent_countries, parent_fields = rng.choice(
                    nestable if nestable and rng.random() < 0.35 else parents)
                countries = (rng.sample(parent_countries,
                                        rng.randint(1, min(3, len(parent_countries))))
                             if parent_countries else
                             rng.sample(self.regional_countries, rng.randint(1, 2)))
                fields = ([rng.choice(parent_fields)] if parent_fields
                          else rng.sample(self.fields, rng.randint(1, 2)))
                people = tuple(rng.sample(self.officer_ids,
                                          min(len(self.officer_ids), rng.randint(3, 5))))
                initiative = self._initiative(number, parent, countries, fields, owner=people[0])
                generated.append((initiative, people, countries, fields))
                if initiative.depth < MAX_INITIATIVE_DEPTH:
                    nestable.append((initiative, countries, fields))
            # Parents before children, so that each child's parent has its id.
            initiatives = [i for i, *_ in generated]
            for depth in sorted({i.depth for i in initiatives}):
                self._insert(Initiative, [i for i in initiatives if i.depth == depth], stage)
            for name, pairs in (
                    ("members", [(i.pk, pk) for i, people, *_ in generated for pk in people[1:]]),
                    ("countries", [(i.pk, c.pk) for i, _, countries, _ in generated
                                   for c in countries]),
                    ("fields", [(i.pk, f.pk) for i, *_, fields in generated for f in fields])):
                self._insert_links(Initiative._meta.get_field(name), pairs, stage)
        self.teams = [_Team(i.pk, people, countries, fields)
                      for i, people, countries, fields in generated]

    def _initiative(self, number, parent, countries, fields, *, owner):
        rng = self.rng
        code = f"{CODE_PREFIX}I{number:05d}"
        name_ja, name_en = self._initiative_name(countries, fields)
        created_at = self._moment(self._day(-rng.randint(*reversed(
            INITIATIVES_CREATED_DAYS_BEFORE))))
        status = self._weighted({InitiativeStatus.ACTIVE: 75, InitiativeStatus.PLANNED: 12,
                                 InitiativeStatus.COMPLETED: 8, InitiativeStatus.SUSPENDED: 5})
        health = self._weighted({Health.GREEN: 65, Health.AMBER: 25, Health.RED: 10})
        judged = health != Health.GREEN
        start_on = self._day(-rng.randint(0, 720))
        initiative = Initiative(
            code=code, parent=parent, path=initiative_path(code, parent), depth=parent.depth + 1,
            name_ja=name_ja, name_en=name_en,
            summary_ja=f"{countries[0].name_ja}と連携し、{fields[0].name_ja}分野における"
                       "協力案件の形成と実施を推進する。",
            summary_en=f"Form and carry out cooperation projects with {countries[0].name_en} "
                       f"in {fields[0].name_en}.",
            lead_organisation=rng.choice(self.officer_organisations), owner_id=owner,
            start_on=start_on,
            end_on=(start_on + timedelta(days=rng.randint(365, 1800))
                    if rng.random() < 0.7 else None),
            status=status, health=health,
            # Amber and red say why, signed by the owner (a database constraint).
            health_note=rng.choice(HEALTH_NOTES) if judged else "",
            health_set_by_id=owner if judged else None,
            health_set_at=created_at if judged else None,
            created_at=created_at, updated_at=created_at)
        initiative._history_date = created_at
        return initiative

    # Projects ---------------------------------------------------------------------------

    def _theme(self, fields):
        return self.rng.choice(THEMES.get(self.rng.choice(fields).code, DEFAULT_THEMES))

    def _projects(self):
        total = self.counts["projects"]
        rng = self.rng
        with self._running("projects", total) as stage:
            projects, self.project_info, countries, partners = [], [], [], []
            for number in range(1, total + 1):
                team_index = rng.randrange(len(self.teams))
                team = self.teams[team_index]
                country = rng.choice(team.countries)
                theme_ja, theme_en = self._theme(team.fields)
                phase = self._weighted({ProjectPhase.DEMONSTRATION: 45,
                                        ProjectPhase.COMMERCIALISATION: 35,
                                        ProjectPhase.ROLLOUT: 20})
                created_at = self._moment(self._day(-rng.randint(
                    PROJECTS_CREATED_DAYS_BEFORE[1], PROJECTS_CREATED_DAYS_BEFORE[0])))
                suffix = rng.choice(("", "", "", "（第2期）", "（第3期）"))
                project = Project(
                    code=f"{CODE_PREFIX}P{number:05d}", initiative_id=team.pk,
                    name_ja=f"{country.name_ja}{theme_ja}プロジェクト{suffix}",
                    name_en=f"{theme_en.capitalize()} project in {country.name_en}",
                    summary_ja=f"{country.name_ja}における{theme_ja}の{PHASE_WORDS[phase][0]}事業。",
                    summary_en=f"{PHASE_WORDS[phase][1]} of the {theme_en} in {country.name_en}.",
                    theme_ja=theme_ja, theme_en=theme_en, phase=phase,
                    created_at=created_at, updated_at=created_at)
                project._history_date = created_at
                projects.append(project)
                extra = [rng.choice(team.countries)] if rng.random() < 0.2 else []
                countries.append({country.pk, *(c.pk for c in extra)})
                partners.append({o.pk for o in rng.sample(
                    self.partner_organisations,
                    min(len(self.partner_organisations), rng.randint(0, 2)))})
                self.project_info.append((team_index, country, (theme_ja, theme_en)))
            self._insert(Project, projects, stage)
            self.project_ids = [p.pk for p in projects]
            self._insert_links(Project._meta.get_field("countries"), [
                (p.pk, c) for p, ids in zip(projects, countries, strict=True)
                for c in sorted(ids)], stage)
            self._insert_links(Project._meta.get_field("partners"), [
                (p.pk, o) for p, ids in zip(projects, partners, strict=True)
                for o in sorted(ids)], stage)

    # Milestones and their history --------------------------------------------------------

    def _milestones(self):
        """Milestones a batch at a time: draw each one's current state and the story of
        versions that led to it, insert the milestones, then their history rows."""
        total, history_total = self.counts["milestones"], self.counts["milestone history"]
        milestones = self._stage("milestones", total)
        history = self._stage("milestone history", history_total)
        history_model = Milestone.history.model
        # `id` first: a story is told before its milestone has an id.
        columns = ["id", *(f.attname for f in history_model._meta.concrete_fields
                           if f.attname not in ("id", "history_id"))]
        for start in range(0, total, self.batch_size):
            end = min(total, start + self.batch_size)
            with milestones.running():
                specs = [self._milestone_spec() for _ in range(start, end)]
                # This batch's share of the history rows, so that the total comes out exact.
                self._allocate_versions(
                    specs, history_total * end // total - history_total * start // total)
            with history.running():
                stories = [spec.story(self.rng, columns[1:]) for spec in specs]
            with milestones.running():
                objs = [Milestone(**current) for _, current in stories]
                Milestone.objects.bulk_create(objs)
                milestones.advance(len(objs))
            with history.running():
                rows = ((obj.pk, *version) for obj, (versions, _) in zip(objs, stories, strict=True)
                        for version in versions)
                history.advance(self._write_rows(history_model, columns, rows))
        milestones.finish()
        history.finish()

    def _milestone_spec(self):
        rng = self.rng
        if rng.random() < 0.7:
            project_index = rng.randrange(len(self.project_ids))
            team_index, country, theme = self.project_info[project_index]
            project_id = self.project_ids[project_index]
        else:
            team_index = rng.randrange(len(self.teams))
            project_id, country, theme = None, None, None
        team = self.teams[team_index]
        country = country or rng.choice(team.countries)
        theme = theme or self._theme(team.fields)
        field_ = rng.choice(team.fields)
        owner = rng.choice(team.people) if rng.random() < 0.8 else rng.choice(self.officer_ids)
        template_ja, template_en = rng.choice(MILESTONE_TITLES)
        n = rng.randint(1, 12)
        return _MilestoneSpec(
            self, initiative_id=team.pk, project_id=project_id, owner_id=owner,
            title_ja=template_ja.format(country=country.name_ja, theme=theme[0],
                                        field=field_.name_ja, n=n),
            title_en=template_en.format(country=country.name_en, theme=theme[1],
                                        field=field_.name_en, n=n))

    def _allocate_versions(self, specs, budget):
        """Give each milestone its number of versions: at least what its story needs, and the
        rest of `budget` shared by weight (busy milestones have more history)."""
        for spec in specs:
            spec.versions = spec.minimum_versions()
        spare = budget - sum(spec.versions for spec in specs)
        if spare <= 0:
            return
        weights = [HISTORY_WEIGHT[spec.status] * self.rng.uniform(0.5, 1.5) for spec in specs]
        scale = spare / sum(weights)
        shares = [int(w * scale) for w in weights]
        for index in range(spare - sum(shares)):
            shares[index % len(shares)] += 1
        for spec, share in zip(specs, shares, strict=True):
            spec.versions += share

    def _write_rows(self, model, columns, rows):
        """Insert `rows` (tuples in the order of `columns`): COPY on PostgreSQL, by far the
        fastest way in; bulk_create elsewhere. Returns the number of rows."""
        written = 0
        if self.use_copy:
            quote = connection.ops.quote_name
            names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
            with connection.cursor() as cursor, cursor.copy(
                    f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        while batch := list(islice(rows, self.batch_size)):
            model.objects.bulk_create([model(**dict(zip(columns, row, strict=True)))
                                       for row in batch])
            written += len(batch)
        return written

    # KPIs and measurements ---------------------------------------------------------------

    def _kpis(self):
        total, measurements_total = self.counts["KPIs"], self.counts["KPI measurements"]
        rng = self.rng
        with self._running("KPIs", total) as stage:
            kpis = []
            for number in range(1, total + 1):
                team = rng.choice(self.teams)
                country, field_ = rng.choice(team.countries), rng.choice(team.fields)
                name_ja, name_en, unit, typical = rng.choice(GENERATED_KPIS)
                baseline = Decimal(max(1, round(typical * rng.uniform(0.5, 1.5))))
                kpi = KPI(
                    code=f"{CODE_PREFIX}K{number:04d}", initiative_id=team.pk,
                    name_ja=name_ja.format(country=country.name_ja, field=field_.name_ja),
                    name_en=name_en.format(country=country.name_en, field=field_.name_en),
                    unit=unit, direction=KPIDirection.INCREASE, baseline_value=baseline,
                    baseline_year=self.anchor.year - rng.randint(1, 2),
                    target_value=Decimal(round(baseline * Decimal(rng.uniform(1.5, 3.0)))),
                    target_year=self.anchor.year + rng.randint(2, 4))
                kpi._history_date = self._moment(self._day(-INITIATIVES_CREATED_DAYS_BEFORE[1]))
                kpis.append(kpi)
            self._insert(KPI, kpis, stage)
        with self._running("KPI measurements", measurements_total) as stage:
            every_kpi = self.seeded_kpis + kpis
            per_kpi = Counter(every_kpi[i % len(every_kpi)].pk for i in range(measurements_total))
            measurements = []
            for kpi in every_kpi:
                measurements += self._measurements(kpi, per_kpi[kpi.pk])
            self._insert(KPIMeasurement, measurements, stage)

    def _month_ends_before_anchor(self):
        day = self.anchor.replace(day=1) - timedelta(days=1)
        while True:
            yield day
            day = day.replace(day=1) - timedelta(days=1)

    def _measurements(self, kpi, count):
        """`count` monthly values of `kpi`, latest first, along a plausible trend."""
        rng = self.rng
        reference = kpi.baseline_value or (kpi.target_value or Decimal(100)) * Decimal("0.5")
        reference_year = kpi.baseline_year or self.anchor.year - 1
        if kpi.direction == KPIDirection.MAINTAIN:
            growth = 0.0
        elif kpi.baseline_value and kpi.target_value and kpi.target_year and (
                kpi.target_year > kpi.baseline_year):
            required = (float(kpi.target_value) / float(kpi.baseline_value)) ** (
                1 / (kpi.target_year - kpi.baseline_year)) - 1
            growth = required * rng.uniform(0.6, 1.1)
        else:
            growth = rng.uniform(0.02, 0.12)
        if kpi.direction == KPIDirection.DECREASE:
            growth = -abs(growth)
        rows = []
        for period_on in self._month_ends_before_anchor():
            if len(rows) == count:
                break
            if (kpi.pk, period_on) in self.measured:
                continue
            years = (period_on - date(reference_year, 12, 31)).days / 365.25
            value = float(reference) * (1 + growth) ** years * rng.uniform(0.97, 1.03)
            if kpi.unit == KPIUnit.PERCENT:
                value = min(value, 100.0)
            quantum = Decimal(1) if kpi.unit in WHOLE_UNITS else Decimal("0.0001")
            recorded = self._moment(min(period_on + timedelta(days=rng.randint(15, 40)),
                                        self._day(-1)))
            measurement = KPIMeasurement(
                kpi_id=kpi.pk, period_on=period_on,
                value=Decimal(str(max(value, 0.0))).quantize(quantum),
                source=MEASUREMENT_SOURCE, recorded_by_id=rng.choice(self.officer_ids),
                created_at=recorded)
            measurement._history_date = recorded
            rows.append(measurement)
        return rows

    # Exporters --------------------------------------------------------------------------

    def _corporate_number(self):
        while True:
            base = f"{self.rng.randrange(10**11, 10**12):012d}"
            number = f"{corporate_number_check_digit(base)}{base}"
            if number not in self.corporate_numbers:
                self.corporate_numbers.add(number)
                return number

    def _markets(self, k):
        weights = {iso2: w for iso2, w in MARKET_WEIGHTS.items() if iso2 in self.country_by_iso2}
        return [self.country_by_iso2[iso2] for iso2 in self._sample_weighted(
            weights or {c.iso2: 1 for c in self.countries}, k)]

    def _categories(self, k):
        weights = {c.code: CATEGORY_WEIGHTS.get(c.code, 1) for c in self.categories}
        by_code = {c.code: c for c in self.categories}
        return [by_code[code] for code in self._sample_weighted(weights, k)]

    def _exporters(self):
        """Registered exporters: an account and a profile each, with a valid and unique
        法人番号, product categories and target markets; mostly approved."""
        total = self.counts["exporters"]
        with self._running("exporter accounts", total) as accounts:
            drawn = [self._exporter(number) for number in range(1, total + 1)]
            self._insert(User, [user for user, *_ in drawn], accounts)
        with self._running("exporters", total) as stage:
            profiles = [profile for _, profile, *_ in drawn]
            self._insert(ExporterProfile, profiles, stage)
            self._insert_links(ExporterProfile._meta.get_field("product_categories"), [
                (profile.pk, c.pk) for _, profile, categories, _ in drawn for c in categories],
                stage)
            self._insert_links(ExporterProfile._meta.get_field("target_markets"), [
                (profile.pk, c.pk) for _, profile, _, markets in drawn for c in markets], stage)

    def _exporter(self, number):
        rng = self.rng
        family, given = self._person()
        email = f"{USERNAME_PREFIX}exporter-{number:05d}@example.jp"
        consented_at = self._moment(self._day(-rng.randint(2, 600)))
        status = self._weighted({ExporterStatus.APPROVED: 85, ExporterStatus.PENDING_APPROVAL: 8,
                                 ExporterStatus.PENDING_VERIFICATION: 4,
                                 ExporterStatus.REJECTED: 3})
        verified_at = (None if status == ExporterStatus.PENDING_VERIFICATION
                       else consented_at + timedelta(minutes=rng.randint(2, 600)))
        reviewed_at = None
        if status in (ExporterStatus.APPROVED, ExporterStatus.REJECTED):
            reviewed_at = min(verified_at + timedelta(hours=rng.randint(2, 240)),
                              self._moment(self._day(-1), 20, 24))
            reviewed_at = max(reviewed_at, verified_at + timedelta(minutes=1))
        categories = self._categories(rng.choices((1, 2, 3), (5, 3, 2))[0])
        markets = self._markets(rng.choices((1, 2, 3, 4), (3, 4, 2, 1))[0])
        core_ja, core_en = rng.choice(COMPANY_CORES)
        trade_ja, trade_en = rng.choice(COMPANY_TRADES.get(categories[0].code,
                                                           (("商事", "Trading"),)))
        form_ja, form_en = rng.choice(COMPANY_FORMS)
        # Registration makes the e-mail address the user name.
        user = User(username=email, email=email, last_name=family, first_name=given,
                    role=Role.EXPORTER, is_staff=False, password=self.password,
                    language="en" if rng.random() < 0.05 else "ja", date_joined=consented_at)
        user._history_date = consented_at
        profile = ExporterProfile(
            user=user, company_name=form_ja.format(core=core_ja, trade=trade_ja),
            company_name_en=form_en.format(core=core_en, trade=trade_en),
            corporate_number=self._corporate_number(), prefecture=rng.choice(Prefecture.values),
            contact_name=f"{family} {given}", status=status, consented_at=consented_at,
            email_verified_at=verified_at,
            reviewed_by_id=rng.choice(self.officer_ids) if reviewed_at else None,
            reviewed_at=reviewed_at,
            rejection_reason=("法人番号と登記上の所在地が一致しないため。"
                              if status == ExporterStatus.REJECTED else ""),
            created_at=consented_at, updated_at=reviewed_at or verified_at or consented_at)
        profile._history_date = profile.updated_at
        return user, profile, categories, markets

    # Support measures -------------------------------------------------------------------

    def _support_measures(self):
        total = self.counts["support measures"]
        rng = self.rng
        with self._running("support measures", total) as stage:
            food = [i for i in self.seeded_initiatives if i.code.startswith("FOOD-EXPORT")]
            measures, categories, markets = [], [], []
            for number in range(1, total + 1):
                kind = rng.choice(SupportKind.values)
                words_ja, words_en = SUPPORT_WORDS[kind]
                # No category or no market means "all of them": a share is open to everyone.
                chosen_categories = (self._categories(rng.randint(1, 2))
                                     if rng.random() < 0.85 else [])
                chosen_markets = self._markets(rng.randint(1, 3)) if rng.random() < 0.7 else []
                opens_on = closes_on = None
                if rng.random() < 0.65:
                    opens_on = self._day(rng.randint(-240, 90))
                    if rng.random() < 0.8:
                        closes_on = opens_on + timedelta(days=rng.randint(14, 240))
                year = (opens_on or self.anchor).year
                markets_ja = "・".join(c.name_ja for c in chosen_markets) or "海外市場"
                markets_en = ", ".join(c.name_en for c in chosen_markets) or "all markets"
                categories_ja = ("・".join(c.name_ja for c in chosen_categories)
                                 or "農林水産物・食品")
                categories_en = (", ".join(c.name_en for c in chosen_categories)
                                 or "agri-food products")
                code = f"{CODE_PREFIX}S{number:05d}"
                created_at = self._moment(self._day(-rng.randint(30, 400)))
                measure = SupportMeasure(
                    code=code, initiative=rng.choice(food) if food else None,
                    provider=rng.choice(self.support_providers), kind=kind,
                    name_ja=f"{year}年度 {markets_ja}向け{categories_ja}{words_ja}",
                    name_en=f"FY{year} {words_en}: {categories_en} for {markets_en}",
                    summary_ja=f"{categories_ja}を{markets_ja}へ輸出する事業者を対象とした{words_ja}。",
                    summary_en=f"{words_en.capitalize()} for exporters of {categories_en} to "
                               f"{markets_en}.",
                    opens_on=opens_on, closes_on=closes_on,
                    url=f"https://www.example.jp/support/{code.lower()}",
                    is_published=rng.random() < 0.9, created_at=created_at,
                    updated_at=created_at)
                measure._history_date = created_at
                measures.append(measure)
                categories.append(chosen_categories)
                markets.append(chosen_markets)
            self._insert(SupportMeasure, measures, stage)
            self._insert_links(SupportMeasure._meta.get_field("product_categories"), [
                (m.pk, c.pk) for m, chosen in zip(measures, categories, strict=True)
                for c in chosen], stage)
            self._insert_links(SupportMeasure._meta.get_field("target_markets"), [
                (m.pk, c.pk) for m, chosen in zip(measures, markets, strict=True)
                for c in chosen], stage)


class _MilestoneSpec:
    """One generated milestone: how it stands now, and the story of versions that led there
    (creation, the workflow's status moves, progress, health, slips, note edits)."""

    def __init__(self, gen, *, initiative_id, project_id, owner_id, title_ja, title_en):
        rng = gen.rng
        self.initiative_id, self.project_id, self.owner_id = initiative_id, project_id, owner_id
        self.title_ja, self.title_en = title_ja, title_en
        self.description = f"{title_ja}に向け、関係機関と連携して準備を進める。"
        self.baseline = gen._day(rng.randint(-WINDOW_BEFORE_DAYS, WINDOW_AFTER_DAYS))
        draw = rng.random()
        slip_days = (0 if draw < 0.62 else rng.randint(7, 30) if draw < 0.77
                     else rng.randint(31, 90) if draw < 0.90 else rng.randint(91, 240)
                     if draw < 0.97 else -rng.randint(7, 30))
        self.planned = self.baseline + timedelta(days=slip_days)
        # Created before it was due, and at the latest two days before the anchor.
        created_day = max(self.baseline - timedelta(days=rng.randint(45, 420)),
                          gen._day(-WINDOW_BEFORE_DAYS - 60))
        if created_day > gen._day(-2):
            created_day = gen._day(-rng.randint(2, 240))
        self.created_at = gen._moment(created_day)
        days_to_due = (self.planned - gen.anchor).days
        mix = next(m for limit, m in STATUS_MIX if limit is None or days_to_due <= limit)
        self.status = gen._weighted(mix)
        last_day = self._draw_outcome(rng, created_day, gen._day(-1))
        self.last_at = max(gen._moment(last_day, 0, 24), self.created_at + timedelta(hours=1))
        self.health = gen._weighted(self._health_mix(overdue=days_to_due < 0))
        self.versions = 1

    def _draw_outcome(self, rng, created_day, yesterday):
        """Completion date and percentage; returns the day of the last version."""
        self.completed_on = None
        if self.status == WorkStatus.DONE:
            latest = min(yesterday, self.planned + timedelta(days=45))
            earliest = min(max(created_day + timedelta(days=1),
                               self.planned - timedelta(days=90)), latest)
            self.completed_on = earliest + timedelta(days=rng.randint(
                0, (latest - earliest).days))
            self.percent = 100
            return min(yesterday, self.completed_on + timedelta(days=rng.randint(0, 2)))
        if self.status == WorkStatus.CANCELLED:
            self.percent = 0 if rng.random() < 0.5 else rng.randrange(5, 65, 5)
            latest = max(created_day + timedelta(days=1),
                         min(yesterday, self.planned + timedelta(days=60)))
            return created_day + timedelta(days=rng.randint(1, (latest - created_day).days))
        self.percent = {WorkStatus.NOT_STARTED: 0,
                        WorkStatus.IN_PROGRESS: rng.randrange(5, 100, 5),
                        WorkStatus.BLOCKED: rng.randrange(5, 85, 5)}[self.status]
        # Open work was last touched recently, mostly within a few weeks.
        return max(created_day + timedelta(days=1),
                   yesterday - timedelta(days=int(rng.expovariate(1 / 20))))

    def _health_mix(self, *, overdue):
        status = self.status
        if status == WorkStatus.DONE:
            return {Health.GREEN: 85, Health.AMBER: 15}
        if status == WorkStatus.CANCELLED:
            return {Health.GREEN: 60, Health.AMBER: 30, Health.RED: 10}
        if status == WorkStatus.BLOCKED:
            return {Health.GREEN: 5, Health.AMBER: 35, Health.RED: 60}
        if overdue:
            return {Health.GREEN: 12, Health.AMBER: 38, Health.RED: 50}
        if status == WorkStatus.NOT_STARTED:
            return {Health.GREEN: 88, Health.AMBER: 10, Health.RED: 2}
        return {Health.GREEN: 70, Health.AMBER: 22, Health.RED: 8}

    def _status_moves(self):
        """The moves the workflow needs from "not started" to the current status."""
        return {
            WorkStatus.NOT_STARTED: (),
            WorkStatus.IN_PROGRESS: (WorkStatus.IN_PROGRESS,),
            WorkStatus.BLOCKED: (WorkStatus.IN_PROGRESS, WorkStatus.BLOCKED),
            WorkStatus.DONE: (WorkStatus.IN_PROGRESS, WorkStatus.DONE),
            WorkStatus.CANCELLED: ((WorkStatus.IN_PROGRESS, WorkStatus.CANCELLED)
                                   if self.percent else (WorkStatus.CANCELLED,)),
        }[self.status]

    def _required_changes(self):
        return ([("slip", None)] * (self.planned != self.baseline)
                + [("health", None)] * (self.health != Health.GREEN))

    def minimum_versions(self):
        return 1 + len(self._status_moves()) + len(self._required_changes())

    def _events(self, rng):
        """The `versions - 1` changes after creation, in order: start work first, close (block,
        finish, cancel) last, everything else shuffled in between."""
        moves = [("status", s) for s in self._status_moves()]
        opening = moves[:1] if moves and moves[0][1] == WorkStatus.IN_PROGRESS else []
        closing = moves[len(opening):]
        middle = self._required_changes()
        optional = {"progress": 6 if self.percent and self.status != WorkStatus.NOT_STARTED
                    else 0,
                    "health": 1.5, "edit": 2, "slip": 0.5 if self.planned != self.baseline else 0}
        optional = {kind: weight for kind, weight in optional.items() if weight}
        spare = self.versions - 1 - len(opening) - len(closing) - len(middle)
        middle += [(kind, None) for kind in rng.choices(
            list(optional), weights=list(optional.values()), k=max(spare, 0))]
        rng.shuffle(middle)
        return opening + middle + closing

    def story(self, rng, columns):
        """(every version as a history row without its id, oldest first; the milestone's
        current row). The current row is the last version, so they always agree."""
        events = self._events(rng)
        kinds = Counter(kind for kind, _ in events)
        moments = self._moments(rng, len(events))
        percents = iter(self._progress_values(rng, kinds["progress"]))
        healths = iter(self._health_values(rng, kinds["health"]))
        planned_dates = iter(self._planned_values(rng, kinds["slip"]))
        state = {"version": 1, "title_ja": self.title_ja, "title_en": self.title_en,
                 "description": self.description, "planned_due_on": self.baseline,
                 "baseline_due_on": self.baseline, "status": WorkStatus.NOT_STARTED,
                 "completed_on": None, "health": Health.GREEN, "percent_complete": 0,
                 "created_at": self.created_at, "updated_at": self.created_at,
                 "initiative_id": self.initiative_id, "project_id": self.project_id,
                 "owner_id": self.owner_id, "history_date": self.created_at,
                 "history_change_reason": LOAD_REASON, "history_type": "+",
                 "history_user_id": self.owner_id}
        versions = [tuple(state[c] for c in columns)]
        state["history_type"] = "~"
        for (kind, status), moment in zip(events, moments, strict=True):
            if kind == "status":
                self._move(state, status, has_progress=bool(kinds["progress"]))
            elif kind == "progress":
                state["percent_complete"] = next(percents)
            elif kind == "health":
                state["health"] = next(healths)
            elif kind == "slip":
                state["planned_due_on"] = next(planned_dates)
            else:
                state["description"] = f"{self.description}\n進捗メモ: {rng.choice(PROGRESS_NOTES)}"
            state.update(version=state["version"] + 1, updated_at=moment, history_date=moment)
            versions.append(tuple(state[c] for c in columns))
        current = {name: state[name] for name in MILESTONE_COLUMNS}
        return versions, current

    def _move(self, state, status, *, has_progress):
        state["status"] = status
        if status == WorkStatus.DONE:
            state["completed_on"], state["percent_complete"] = self.completed_on, 100
        elif status != WorkStatus.IN_PROGRESS or not has_progress:
            # Without separate progress updates the move carries the percentage (a done
            # milestone's start carries none: it is 0 % until done).
            state["percent_complete"] = 0 if self.status == WorkStatus.DONE else self.percent

    def _moments(self, rng, count):
        """`count` strictly increasing times after creation, the last at `last_at`."""
        span = (self.last_at - self.created_at).total_seconds()
        offsets = sorted(rng.random() * span for _ in range(count - 1)) + [span]
        moments, previous = [], self.created_at
        for offset in offsets[:count]:
            previous = max(self.created_at + timedelta(seconds=offset),
                           previous + timedelta(microseconds=1))
            moments.append(previous)
        return moments

    def _progress_values(self, rng, count):
        """Rising percentages ending at the current one (95 % before a milestone is done)."""
        top = 95 if self.status == WorkStatus.DONE else self.percent
        return sorted(rng.randint(1, max(top, 1)) for _ in range(count - 1)) + [top]

    def _health_values(self, rng, count):
        return [rng.choice(Health.values) for _ in range(count - 1)] + [self.health]

    def _planned_values(self, rng, count):
        """Planned dates moving from the baseline to the current planned date."""
        shift = (self.planned - self.baseline).days
        steps = sorted(round(shift * rng.random()) for _ in range(count - 1))
        return [self.baseline + timedelta(days=s) for s in steps] + [self.planned]
