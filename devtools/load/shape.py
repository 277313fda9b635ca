"""What the load data set looks like: how many rows of each kind at scale 1, how generated
rows are marked, the words they are made of, and how statuses and history are spread."""

from programs.models import (
    KPIUnit,
    Milestone,
    ProjectPhase,
    SupportKind,
    WorkStatus,
)

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



def counts_for(scale):
    """How many rows of each kind a run at `scale` creates (at least one of each)."""
    return {kind: max(1, round(count * scale)) for kind, count in BASE_COUNTS.items()}

