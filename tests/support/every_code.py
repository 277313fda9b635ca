"""A portfolio in which every code a report can print occurs: each initiative status, each
milestone status and health, each KPI unit and direction and each verdict. No title or
name holds a digit, so that every number in a report is a figure, a date or a code."""

from datetime import date, timedelta
from decimal import Decimal

from programs.models import Health, InitiativeStatus, KPIDirection, KPIUnit, WorkStatus
from tests.factories import (
    InitiativeFactory,
    KPIFactory,
    KPIMeasurementFactory,
    MilestoneFactory,
    StrategicFieldFactory,
)

AS_OF = date(2026, 12, 1)
# A title with a long Latin word, which no table may break.
LONG_WORD = "POWERER-ASIA-CRUDE-IMPORT-CAPACITY"
# unit: (name, direction, target, [(year, value)], the figures a reader must see with units)
KPIS = {
    KPIUnit.TRILLION_JPY: ("農林水産物・食品の輸出額", KPIDirection.INCREASE, "5",
                           [(2024, "1.5044"), (2025, "1.7")], ["1.7兆円", "5兆円"]),
    KPIUnit.BILLION_USD: ("金融支援額", KPIDirection.INCREASE, "10",
                          [(2024, "8"), (2025, "9")], ["90億ドル", "100億ドル"]),
    KPIUnit.HUNDRED_MILLION_USD: ("補助金の措置額", KPIDirection.INCREASE, "560",
                                  [(2024, "400"), (2025, "420")], ["420億ドル", "560億ドル"]),
    KPIUnit.PERSONS: ("人材交流", KPIDirection.INCREASE, "50000", [], ["50,000人"]),
    KPIUnit.OFFICES: ("海外事務所", KPIDirection.INCREASE, "76", [(2024, "70"), (2025, "72")],
                      ["72事務所", "76事務所"]),
    KPIUnit.COUNTRIES: ("展開国", KPIDirection.INCREASE, "56", [(2025, "50")],
                        ["50か国", "56か国"]),
    KPIUnit.PROJECTS: ("補助事業", KPIDirection.INCREASE, "423", [(2024, "300"), (2025, "310")],
                       ["310件", "423件"]),
    KPIUnit.BUSINESSES: ("支援事業者", KPIDirection.INCREASE, "10000",
                         [(2024, "5000"), (2025, "6000")], ["6,000者", "10,000者"]),
    KPIUnit.BASES: ("輸出拠点", KPIDirection.INCREASE, "20", [(2024, "10"), (2025, "11")],
                    ["11拠点", "20拠点"]),
    KPIUnit.PERCENT: ("輸入依存度", KPIDirection.DECREASE, "5", [(2024, "10"), (2025, "9")],
                      ["9%", "5%"]),
    KPIUnit.HUNDRED_MILLION_BARRELS_PER_YEAR: ("原油の輸入可能量", KPIDirection.MAINTAIN, "12",
                                               [(2025, "10")], ["年10億バレル", "年12億バレル"]),
}

# A strategic field whose code is not its name, as the strategy's fields are
# (fixtures/strategic_fields.yaml): the reports name it, never print its code.
FIELD = ("ENERGY_GX", "資源・エネルギー安全保障・GX", "Resources, energy security and GX")


def build_every_code_portfolio(owner):
    """Four top-level initiatives (one per initiative status) and a sub-initiative; fifteen
    milestones (every status with every health), overdue, due soon, slipped and ahead; a KPI
    in every unit. Returns the first top-level initiative, which holds the sub-initiative."""
    names = ["食品輸出", "重要鉱物", "海外ネットワーク", "経済連携"]
    pillars = [InitiativeFactory(owner=owner, code=f"PILLAR-{chr(65 + n)}", name_ja=name,
                                 name_en=name, status=status, health=health,
                                 health_note="" if health == Health.GREEN else "遅れあり")
               for n, (name, status, health) in enumerate(zip(
                   names, InitiativeStatus.values, [*Health.values, Health.GREEN],
                   strict=True))]
    child = InitiativeFactory(owner=owner, parent=pillars[0], code="PILLAR-A-NEW-DEMAND",
                              name_ja="新規需要の開拓", name_en="New demand",
                              status=InitiativeStatus.ACTIVE, health=Health.AMBER,
                              health_note="商談の遅れ")
    code, name_ja, name_en = FIELD
    pillars[0].fields.add(StrategicFieldFactory(code=code, name_ja=name_ja, name_en=name_en))
    holders = [pillars[0], child, *pillars[1:]]
    titles = ["展示会への出展", "商談会の開催", "調査の中間報告", "作業計画の策定",
              f"{LONG_WORD}の検討", "官民フォーラムの開催", "ガイドブックの改訂",
              "特設コーナーの開設", "ブランド発信", "共同備蓄の調査", "拠点の新設",
              "人材育成の研修", "規制の見直し", "交渉会合", "成果の公表"]
    combinations = [(s, h) for s in WorkStatus.values for h in Health.values]
    for n, ((status, health), title) in enumerate(zip(combinations, titles, strict=True)):
        planned = AS_OF + timedelta(days=(n - 5) * 4)
        done = status == WorkStatus.DONE
        MilestoneFactory(initiative=holders[n % len(holders)], title_ja=title, status=status,
                         health=health, planned_due_on=planned,
                         baseline_due_on=planned - timedelta(days=n % 3 * 7),
                         percent_complete=100 if done else n * 5 % 90,
                         completed_on=AS_OF - timedelta(days=2) if done else None)
    for n, (unit, (name, direction, target, measured, _figures)) in enumerate(KPIS.items()):
        baseline_year, baseline = measured[0] if measured else (2025, "30000")
        kpi = KPIFactory(initiative=holders[n % len(holders)],
                         code="KPI-" + unit.upper().replace("_", "-"), name_ja=name,
                         unit=unit, direction=direction,
                         baseline_value=Decimal(baseline), baseline_year=baseline_year,
                         target_value=Decimal(target), target_year=2030)
        for year, value in measured:
            KPIMeasurementFactory(kpi=kpi, period_on=date(year, 12, 31), value=Decimal(value))
    return pillars[0]
