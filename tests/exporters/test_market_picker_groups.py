"""The profile's market picker groups every market of the seed under a named area: the
strategy's regions, and for the markets in none of its regional tables (China, the United
States, Australia …) areas of the picker's own, while the reports keep the strategy's regions."""

import pytest
from django.utils import translation

from exporters.pickers import MarketsField
from programs.models import Country
from programs.services.seed import SeedReport, seed_geography

pytestmark = pytest.mark.django_db
OTHERS = {"ja": "その他の国・地域", "en": "Other countries and regions"}


@pytest.fixture
def seeded_geography(db):
    seed_geography(SeedReport())


def groups_of(language):
    with translation.override(language):
        return {title: {label for _pk, label in options}
                for title, options in MarketsField().grouped_choices()}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_no_market_of_the_seed_is_left_under_other_countries(seeded_geography, language):
    groups = groups_of(language)
    assert OTHERS[language] not in groups
    offered = set().union(*groups.values())
    assert len(offered) == Country.objects.exclude(iso2="JP").count()


def test_the_largest_markets_are_found_in_the_areas_people_look_for_them(seeded_geography):
    groups = groups_of("ja")
    assert {"中国", "香港", "台湾", "韓国"} <= groups["東アジア"]
    assert {"米国", "カナダ"} <= groups["北米"]
    assert {"オーストラリア", "シンガポール"} <= groups["アジア大洋州"]
    assert {"クウェート", "イラン"} <= groups["中東"]
    assert list(groups)[0] == "東アジア"
    english = groups_of("en")
    assert "China" in english["East Asia"] and "United States" in english["North America"]


def test_the_reports_keep_the_strategys_regions(seeded_geography):
    # The picker's areas are its own: the countries outside the regional tables have none.
    assert not Country.objects.filter(iso2__in=["CN", "US", "AU", "KW"],
                                      region__isnull=False).exists()


def test_a_country_without_a_region_or_an_area_is_still_offered_under_other_countries(
        seeded_geography):
    Country.objects.create(iso2="ZZ", name_ja="どこか", name_en="Somewhere")
    assert groups_of("ja")[OTHERS["ja"]] == {"どこか"}
