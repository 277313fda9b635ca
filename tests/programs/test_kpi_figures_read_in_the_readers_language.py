"""A KPI's target and baseline read in the reader's language: 目標 年12億バレル and 基準
60%・2026年 for a Japanese reader, "target 1.2 billion barrels a year by 2030" and "baseline
60% in 2026" for an English one (a baseline was measured in its year, a target is reached by
it), never "12 hundred million barrels"."""

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.utils import translation

from programs.models import KPIUnit
from programs.reporting import tables
from tests.factories import InitiativeFactory, KPIFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unmeasured(officer):
    initiative = InitiativeFactory(owner=officer, code="ENERGY", name_ja="エネルギー")
    KPIFactory(initiative=initiative, code="CRUDE", name_ja="原油の輸入可能量",
               name_en="Crude oil import capacity",
               unit=KPIUnit.HUNDRED_MILLION_BARRELS_PER_YEAR, baseline_value=None,
               baseline_year=None, target_value=Decimal("12"), target_year=2030)
    KPIFactory(initiative=initiative, code="EC-SHARE", name_ja="電子商取引の割合",
               unit=KPIUnit.PERCENT, baseline_value=Decimal("60"), baseline_year=2026,
               target_value=None, target_year=None)
    KPIFactory(initiative=initiative, code="SUBSIDY", name_ja="補助金の措置額",
               unit=KPIUnit.HUNDRED_MILLION_USD, baseline_value=Decimal("420"),
               baseline_year=2024, target_value=None, target_year=None)


def line(language):
    report = {"kpis": [{"name_ja": kpi.name_ja, "unit": kpi.unit, "latest_value": None,
                        "baseline_value": kpi.baseline_value, "baseline_year": kpi.baseline_year,
                        "target_value": kpi.target_value, "target_year": kpi.target_year}
                       for kpi in KPIFactory._meta.model.objects.order_by("code")]}
    with translation.override(language):
        return tables.unmeasured_line(report)


def test_an_english_reader_reads_billions_and_the_year_of_a_baseline(unmeasured):
    text = line("en")
    assert "target 1.2 billion barrels a year by 2030" in text
    assert "baseline 60% in 2026" in text
    assert "baseline 42 billion US dollars in 2024" in text
    assert "hundred million" not in text


def test_a_japanese_reader_reads_oku_and_japanese_words(unmeasured):
    text = line("ja")
    assert "目標 年12億バレル・2030年" in text and "基準 60%・2026年" in text
    assert "基準 420億ドル・2024年" in text


def test_the_japanese_dashboard_words_unmeasured_kpis_in_japanese(client, manager, unmeasured):
    client.force_login(manager)
    html = unescape(client.get("/admin/reports/", HTTP_ACCEPT_LANGUAGE="ja").content.decode())
    assert "目標 年12億バレル・2030年" in html and "基準 60%・2026年" in html
    for english in ("target", "baseline", "barrels", "hundred million"):
        assert english not in html.split('class="report-unmeasured"')[1].split("</p>")[0]


def test_the_kpi_list_and_a_measurements_name_show_figures_as_people_write_them(
        client, manager):
    from tests.factories import KPIMeasurementFactory

    kpi = KPIFactory(code="FOOD-EXPORTS", name_ja="農林水産物・食品の輸出額",
                     unit=KPIUnit.TRILLION_JPY, baseline_value=Decimal("1.5"),
                     baseline_year=2024, target_value=Decimal("5"), target_year=2030)
    measurement = KPIMeasurementFactory(kpi=kpi, period_on=date(2024, 12, 31),
                                        value=Decimal("1.5"))
    client.force_login(manager)
    html = unescape(client.get("/admin/programs/kpi/").content.decode())
    assert "1.5兆円" in html and "5兆円" in html
    assert "1.5000" not in html and "5.0000" not in html
    with translation.override("ja"):
        assert str(measurement) == "農林水産物・食品の輸出額 2024年12月31日: 1.5"
