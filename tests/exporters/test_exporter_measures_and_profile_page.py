"""What a company reads on its measures page and how it picks markets on its profile: each
measure's own description, why it fits in words, dates, organisation, link and contact, the
strategy's words without footnote marks; fit then deadline; filters; what is new since the last
visit; the notices received. The profile: markets grouped by region without Japan, errors
listed above the form and tied to their fields."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from exporters.cards import without_footnote_marks
from exporters.models import ExporterProfile
from programs.models import Notification, ReminderKind, SupportMeasure
from tests.factories import (
    CountryFactory,
    ExporterProfileFactory,
    OrganisationFactory,
    ProductCategoryFactory,
    RegionFactory,
    SupportMeasureFactory,
)

pytestmark = pytest.mark.django_db
HOME = "/exporters/"
PROFILE = "/exporters/profile/"


@pytest.fixture
def scene(db):
    asia = RegionFactory(code="ASIA_PACIFIC", order=1, name_ja="アジア大洋州",
                         name_en="Asia-Pacific")
    markets = {
        "SG": CountryFactory(iso2="SG", name_ja="シンガポール", name_en="Singapore", region=asia),
        "TH": CountryFactory(iso2="TH", name_ja="タイ", name_en="Thailand", region=asia),
        "HK": CountryFactory(iso2="HK", name_ja="香港", name_en="Hong Kong", region=None),
        "JP": CountryFactory(iso2="JP", name_ja="日本", name_en="Japan", region=None),
    }
    categories = {
        "seafood": ProductCategoryFactory(code="seafood", order=1, name_ja="水産物",
                                          name_en="Seafood"),
        "processed_food": ProductCategoryFactory(code="processed_food", order=2,
                                                 name_ja="加工食品", name_en="Processed food"),
    }
    profile = ExporterProfileFactory(
        company_name="みなと水産加工株式会社",
        product_categories=list(categories.values()),
        target_markets=[markets["SG"], markets["HK"]])
    return {"markets": markets, "categories": categories, "profile": profile}


def cards_of(response):
    return [card.measure.code for card in response.context["cards"]]


def test_a_card_says_what_the_measure_offers_who_runs_it_and_how_to_reach_it(client, scene):
    today = timezone.localdate()
    SupportMeasureFactory(
        code="SUBSIDY", kind="subsidy", name_ja="成長加速化補助金",
        name_en="Growth Acceleration Subsidy",
        provider=OrganisationFactory(code="JETRO", name_ja="日本貿易振興機構",
                                     name_en="Japan External Trade Organization",
                                     abbreviation="JETRO"),
        description_ja="成長加速化補助金は、食品製造業者などが使える補助金です。",
        summary_ja="高付加価値化に向け活用可能な施策*の拡充\n"
                   "* 新事業・ものづくり商業サービス補助金 等",
        url="https://example.jp/subsidy", contact="補助金事務局 03-0000-0000",
        opens_on=today, closes_on=today + timedelta(days=30),
        product_categories=[scene["categories"]["seafood"]],
        target_markets=[scene["markets"]["SG"]])
    client.force_login(scene["profile"].user)
    html = client.get(HOME).content.decode()
    assert "成長加速化補助金は、食品製造業者などが使える補助金です。" in html
    assert "日本貿易振興機構（JETRO）" in html
    assert 'href="https://example.jp/subsidy"' in html
    assert "補助金事務局 03-0000-0000" in html
    assert "締切" in html and f'datetime="{(today + timedelta(days=30)).isoformat()}"' in html
    # Why it fits, in words.
    assert "品目区分: 水産物" in html and "輸出先国・地域: シンガポール" in html
    # The strategy's words, without its footnote marks.
    assert "施策の拡充<br>新事業・ものづくり商業サービス補助金 等" in html
    assert "*" not in re.sub(r"<[^>]+>", "", html.split("<main", 1)[1])


def test_the_english_page_names_a_measure_in_english_and_marks_the_japanese_name(client, scene):
    SupportMeasureFactory(code="FAIR", name_ja="シンガポール水産物商談会",
                          name_en="Singapore seafood trade fair")
    SupportMeasureFactory(code="ONLY-JA", name_ja="輸出相談窓口", name_en="")
    client.force_login(scene["profile"].user)
    html = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert '<span lang="en">Singapore seafood trade fair</span>' in html
    assert '<p class="japanese-name" lang="ja">シンガポール水産物商談会</p>' in html
    assert '<span lang="ja">輸出相談窓口</span>' in html
    # The company by the English name it gave; by its Japanese one, marked, without.
    assert f"fit what {scene['profile'].company_name_en} sells" in html
    scene["profile"].company_name_en = ""
    scene["profile"].save()
    html = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span lang="ja">みなと水産加工株式会社</span>' in html


def test_footnote_marks_are_taken_out_of_the_strategys_words():
    typed = "食品製造業者や水産加工業者などによる高付加価値化に向け活用可能な施策*の拡充\n" \
            "* 新事業・ものづくり商業サービス補助金、成長加速化補助金、中堅・中小成長投資補助金 等"
    assert without_footnote_marks(typed) == (
        "食品製造業者や水産加工業者などによる高付加価値化に向け活用可能な施策の拡充\n"
        "新事業・ものづくり商業サービス補助金、成長加速化補助金、中堅・中小成長投資補助金 等")


def test_measures_come_by_fit_then_by_the_nearest_deadline(client, scene):
    today = timezone.localdate()
    seafood, singapore = scene["categories"]["seafood"], scene["markets"]["SG"]
    SupportMeasureFactory(code="A-OPEN-TO-ALL")
    SupportMeasureFactory(code="B-LATER", product_categories=[seafood],
                          closes_on=today + timedelta(days=90))
    SupportMeasureFactory(code="C-SOONER", product_categories=[seafood],
                          closes_on=today + timedelta(days=10))
    SupportMeasureFactory(code="D-NO-DEADLINE", product_categories=[seafood])
    SupportMeasureFactory(code="E-BEST", product_categories=[seafood], target_markets=[singapore])
    client.force_login(scene["profile"].user)
    assert cards_of(client.get(HOME)) == ["E-BEST", "C-SOONER", "B-LATER", "D-NO-DEADLINE",
                                          "A-OPEN-TO-ALL"]


def test_the_page_filters_by_one_of_the_companys_categories_or_markets(client, scene):
    categories, markets = scene["categories"], scene["markets"]
    SupportMeasureFactory(code="ALL")
    SupportMeasureFactory(code="SEAFOOD-SG", product_categories=[categories["seafood"]],
                          target_markets=[markets["SG"]])
    SupportMeasureFactory(code="PROCESSED-HK", product_categories=[categories["processed_food"]],
                          target_markets=[markets["HK"]])
    client.force_login(scene["profile"].user)
    assert set(cards_of(client.get(HOME))) == {"ALL", "SEAFOOD-SG", "PROCESSED-HK"}
    assert set(cards_of(client.get(HOME, {"category": "seafood"}))) == {"ALL", "SEAFOOD-SG"}
    assert set(cards_of(client.get(HOME, {"market": "HK"}))) == {"ALL", "PROCESSED-HK"}
    assert set(cards_of(client.get(HOME, {"category": "seafood", "market": "HK"}))) == {"ALL"}
    # A code that is not the company's is ignored, not an error.
    assert client.get(HOME, {"market": "ZZ"}).status_code == 200


def test_what_is_new_since_the_last_visit_is_marked_and_notices_are_listed(client, scene):
    profile = scene["profile"]
    old = SupportMeasureFactory(code="OLD", name_ja="以前からある施策")
    client.force_login(profile.user)
    first = client.get(HOME)
    assert [card.is_new for card in first.context["cards"]] == [False]  # no last visit yet
    assert ExporterProfile.objects.get(pk=profile.pk).measures_seen_at is not None
    history_rows = profile.history.count()

    # Later: a new measure, and a notice about the old one that newly fits.
    ExporterProfile.objects.filter(pk=profile.pk).update(
        measures_seen_at=timezone.now() - timedelta(days=2))
    new = SupportMeasureFactory(code="NEW", name_ja="新しい施策")
    Notification.objects.create(
        recipient=profile.user, kind=ReminderKind.NEW_SUPPORT_MEASURE,
        title="御社向けの支援施策：以前からある施策", body="…",
        subject_type=ContentType.objects.get_for_model(SupportMeasure), subject_id=old.pk)
    SupportMeasure.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=30))
    client.logout()
    client.force_login(profile.user)  # the next visit
    second = client.get(HOME)
    marked = {card.measure.code: card.is_new for card in second.context["cards"]}
    assert marked == {"OLD": True, "NEW": True}
    html = second.content.decode()
    assert "前回の訪問以降の新着" in html
    assert f'href="#measure-{old.pk}">御社向けの支援施策：以前からある施策</a>' in html
    # Filtering in the same visit keeps the marks; the visits leave the profile's history be.
    assert all(card.is_new for card in client.get(HOME, {"category": "seafood"})
               .context["cards"])
    assert profile.history.count() == history_rows
    assert new.pk in {card.measure.pk for card in second.context["cards"]}


def test_the_measures_page_reads_a_fixed_number_of_queries(client, scene,
                                                           django_assert_max_num_queries):
    for n in range(15):
        SupportMeasureFactory(code=f"M-{n}", product_categories=[scene["categories"]["seafood"]],
                              target_markets=[scene["markets"]["SG"]],
                              provider=OrganisationFactory())
    client.force_login(scene["profile"].user)
    client.get(HOME)
    with django_assert_max_num_queries(16):
        assert len(client.get(HOME).context["cards"]) == 15


def test_markets_are_offered_by_region_without_japan(client, scene):
    client.force_login(scene["profile"].user)
    html = client.get(PROFILE).content.decode()
    picker = html.split('class="market-picker"', 1)[1].split("</fieldset>\n</div>", 1)[0]
    assert "日本" not in picker
    assert re.search(r"<legend>アジア大洋州</legend>.*シンガポール.*タイ", picker, re.S)
    # Hong Kong is in no regional table of the strategy: the picker shows it in East Asia.
    assert re.search(r"<legend>東アジア</legend>.*香港", picker, re.S)
    assert "その他の国・地域" not in picker
    assert "選択中：" in picker and "香港、シンガポール" in picker
    assert '<script src="/static/exporters/market_picker.js">' in html


def test_japan_cannot_be_saved_as_a_market_on_the_page(client, scene):
    profile = scene["profile"]
    client.force_login(profile.user)
    response = client.post(PROFILE, {
        "company_name": profile.company_name, "company_name_en": profile.company_name_en,
        "prefecture": profile.prefecture, "contact_name": profile.contact_name,
        "product_categories": [scene["categories"]["seafood"].pk],
        "target_markets": [scene["markets"]["JP"].pk]})
    assert response.status_code == 200
    assert "target_markets" in response.context["form"].errors


def test_the_error_summary_counts_the_problems_it_lists_not_the_fields(client, scene):
    client.force_login(scene["profile"].user)
    response = client.post("/exporters/password/", {
        "old_password": "not-the-password-1", "new_password1": "1234",
        "new_password2": "1234"})
    html = response.content.decode()
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    listed = summary.count("<li>")
    assert listed > len(response.context["form"].errors) > 1
    assert f"入力内容を確認してください（{listed}件）" in summary


def test_profile_errors_are_above_the_form_and_each_tied_to_its_field(client, scene):
    profile = scene["profile"]
    client.force_login(profile.user)
    response = client.post(PROFILE, {
        "company_name": "", "prefecture": profile.prefecture,
        "contact_name": profile.contact_name, "product_categories": [],
        "target_markets": [scene["markets"]["SG"].pk]})
    html = response.content.decode()
    assert re.search(r"<title>エラー: ", html)
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    # A group of boxes is reached through its fieldset, which takes the focus (tabindex -1).
    assert ('href="#id_company_name"' in summary
            and 'href="#id_product_categories_group"' in summary)
    # Each field's aria-describedby names an element that is on the page.
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert described
    for ids in described:
        for element_id in ids.split():
            assert f'id="{element_id}"' in html, element_id
    assert re.search(r'<fieldset id="id_product_categories_group" tabindex="-1" '
                     r'aria-describedby="id_product_categories_error">\s*'
                     r'<legend>品目区分 <span class="required">（必須）</span></legend>', html)
    assert '<label for="">' not in html


def test_the_api_keeps_the_codes_and_adds_their_names_beside_them(client, scene):
    SupportMeasureFactory(code="SEAFOOD-SG", description_ja="商談会です。",
                          product_categories=[scene["categories"]["seafood"]],
                          target_markets=[scene["markets"]["SG"]])
    client.force_login(scene["profile"].user)
    [fit] = client.get("/api/v1/exporters/me/support-measures/").json()["results"]
    assert (fit["matched_categories"], fit["matched_markets"]) == (["seafood"], ["SG"])
    assert (fit["matched_category_names"], fit["matched_market_names"]) == (
        ["水産物"], ["シンガポール"])
    assert fit["measure"]["description_ja"] == "商談会です。"
    english = client.get("/api/v1/exporters/me/support-measures/",
                         HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert english["matched_market_names"] == ["Singapore"]


def test_the_notice_of_a_fitting_measure_names_the_fit_in_words(
        scene, django_capture_on_commit_callbacks):
    from django.core import mail

    from exporters.services.notices import support_measure_notify_exporters
    from programs.models import Delivery
    from programs.services.reminders import outbox_flush

    measure = SupportMeasureFactory(
        code="SEAFOOD-SG", name_ja="シンガポール水産物商談会",
        summary_ja="商談会*を開催\n* 水産物", contact="JETRO 03-0000-0000",
        product_categories=[scene["categories"]["seafood"]],
        target_markets=[scene["markets"]["SG"]])
    with django_capture_on_commit_callbacks(execute=True):
        support_measure_notify_exporters(measure)
    outbox_flush(now=Delivery.objects.get(kind="new_support_measure").not_before)
    assert "シンガポール水産物商談会" in mail.outbox[-1].body
    # A company's mail ends with whom to write to, not with preferences it has no page for.
    assert "通知設定" not in mail.outbox[-1].body
    assert f"お問い合わせは {settings.EXPORTER_CONTACT_EMAIL} まで" in mail.outbox[-1].body
    body = scene["profile"].user.notifications.get().body
    assert "品目区分：水産物" in body and "輸出先国・地域：シンガポール" in body
    assert "商談会を開催" in body and "*" not in body
    assert "JETRO 03-0000-0000" in body


def test_many_measures_come_twenty_to_a_page_in_the_same_order_and_the_filter_stays(
        client, scene):
    from exporters.selectors import measures_fitting

    today = timezone.localdate()
    seafood, singapore = scene["categories"]["seafood"], scene["markets"]["SG"]
    for n in range(45):
        SupportMeasureFactory(code=f"M-{n:02}", product_categories=[seafood],
                              target_markets=[singapore] if n % 3 == 0 else [],
                              closes_on=today + timedelta(days=n % 7 + 1) if n % 2 else None)
    SupportMeasureFactory(code="PROCESSED", product_categories=[scene["categories"][
        "processed_food"]])
    client.force_login(scene["profile"].user)
    pages = [client.get(HOME, {"page": number}) for number in (1, 2, 3)]
    assert [len(page.context["cards"]) for page in pages] == [20, 20, 6]
    assert sum((cards_of(page) for page in pages), []) == [
        fit.measure.code for fit in measures_fitting(scene["profile"], on=today)]
    first = pages[0].content.decode()
    assert "3ページ中1ページ目" in first and 'rel="next" href="?page=2"' in first
    assert 'rel="prev"' not in first
    assert "46件のうち1〜20件目を表示しています（御社に合う施策は46件）。" in first
    assert 'rel="prev" href="?page=2"' in pages[2].content.decode()
    # Past the last page: the last page, not an error.
    assert cards_of(client.get(HOME, {"page": 99})) == cards_of(pages[2])

    seafood_only = client.get(HOME, {"category": "seafood"})
    assert "PROCESSED" not in cards_of(seafood_only)
    assert 'rel="next" href="?category=seafood&amp;page=2"' in (
        seafood_only.content.decode())
    second = client.get(HOME, {"category": "seafood", "page": 2})
    assert len(second.context["cards"]) == 20 and "PROCESSED" not in cards_of(second)
    assert "45件のうち21〜40件目を表示しています（御社に合う施策は46件）。" in (
        second.content.decode())


def test_a_card_without_link_or_contact_gives_the_providers_site_and_the_programmes_contact(
        client, scene, settings):
    """The strategy names no page or contact for most measures: the card links the
    provider's official site, labelled as such, and gives the programme office's address;
    a provider without a known site gets no link, and no deadline is invented."""
    settings.EXPORTER_CONTACT_EMAIL = "food-export@example.go.jp"
    SupportMeasureFactory(code="FAIR", name_ja="海外見本市への出展支援",
                          provider=OrganisationFactory(code="JETRO", name_ja="日本貿易振興機構",
                                                       abbreviation="JETRO",
                                                       website="https://www.jetro.go.jp/"))
    SupportMeasureFactory(code="FORUM", name_ja="官民フォーラム",
                          provider=OrganisationFactory(code="KEIDANREN", name_ja="経団連"))
    client.force_login(scene["profile"].user)
    html = client.get(HOME).content.decode()
    fair, forum = (html.split(f'id="measure-{SupportMeasure.objects.get(code=code).pk}"')[1]
                   .split("</article>")[0] for code in ("FAIR", "FORUM"))
    assert re.search(r'<dt>提供機関のサイト</dt><dd class="provider-site">'
                     r'<a href="https://www.jetro.go.jp/"', fair)
    assert "<dt>リンク</dt>" not in fair  # not shown as the measure's own page
    for card in (fair, forum):
        assert re.search(r"<dt>お問い合わせ（プログラム事務局）</dt><dd class=\"contact\">"
                         r'<a href="mailto:food-export@example.go.jp"', card)
        assert "締切" not in card
    assert "提供機関のサイト" not in forum


def test_a_card_with_its_own_link_and_contact_shows_them_only(client, scene):
    SupportMeasureFactory(code="OWN", url="https://example.jp/own", contact="事務局 03-0000-0000",
                          provider=OrganisationFactory(code="JETRO", name_ja="日本貿易振興機構"))
    client.force_login(scene["profile"].user)
    html = client.get(HOME).content.decode()
    assert 'href="https://example.jp/own"' in html and "事務局 03-0000-0000" in html
    assert "提供機関のサイト" not in html and "プログラム事務局" not in html
