"""The dashboard answers the next question: dates chosen on the page, the slipped and stale
lists, figures by initiative and by place that open exactly the milestones they count, and
each initiative's milestone timeline on its report, its page and its PDF."""

import io
import re
from datetime import timedelta
from html import unescape
from types import SimpleNamespace

import pytest
from django.utils import timezone
from pypdf import PdfReader

from programs import charts
from programs.selectors.reports import progress_report
from tests.factories import (
    CountryFactory,
    InitiativeFactory,
    MilestoneFactory,
    ProjectFactory,
    RegionFactory,
    StatusUpdateFactory,
    StrategicFieldFactory,
)

pytestmark = pytest.mark.django_db
# Forty days from now: the initiatives, created today, have had no update for 30 days unless
# they were given one.
AS_OF = timezone.localdate() + timedelta(days=40)


def days(n):
    return AS_OF + timedelta(days=n)


@pytest.fixture
def world(officer):
    asia = RegionFactory(code="ASIA", name_ja="アジア大洋州")
    africa = RegionFactory(code="AFRICA", name_ja="アフリカ")
    vietnam = CountryFactory(iso2="VN", region=asia, name_ja="ベトナム")
    kenya = CountryFactory(iso2="KE", region=africa, name_ja="ケニア")
    gx = StrategicFieldFactory(code="GX", name_ja="GX")
    root = InitiativeFactory(code="ROOT", owner=officer, name_ja="上位施策")
    child = InitiativeFactory(code="CHILD", parent=root, owner=officer, name_ja="下位施策")
    child.countries.add(vietnam)
    child.fields.add(gx)
    other = InitiativeFactory(code="OTHER", name_ja="他の施策")
    in_kenya = ProjectFactory(initiative=other)
    in_kenya.countries.add(kenya)
    # Only CHILD had a status update lately: ROOT and OTHER are stale.
    StatusUpdateFactory(milestone=None, initiative=child, author=officer, reported_on=days(-5))
    return SimpleNamespace(
        asia=asia, africa=africa, vietnam=vietnam, kenya=kenya, gx=gx,
        root=root, child=child, other=other,
        overdue=MilestoneFactory(initiative=child, planned_due_on=days(-5),
                                 baseline_due_on=days(-5), status="in_progress", health="red",
                                 title_ja="ニソン製油所の条件合意"),
        slipped_most=MilestoneFactory(initiative=child, planned_due_on=days(10),
                                      baseline_due_on=days(-10), status="in_progress",
                                      health="amber", title_ja="官民フォーラムの開催"),
        done=MilestoneFactory(initiative=child, planned_due_on=days(-30),
                              baseline_due_on=days(-33), status="done",
                              completed_on=days(-31), percent_complete=100,
                              title_ja="強靭化ワークショップ"),
        slipped_least=MilestoneFactory(initiative=root, planned_due_on=days(60),
                                       baseline_due_on=days(55)),
        # In Kenya through its project only, not through its initiative.
        kenyan=MilestoneFactory(initiative=other, project=in_kenya, planned_due_on=days(-1),
                                baseline_due_on=days(-1), status="blocked", health="red"),
        elsewhere=MilestoneFactory(initiative=other, planned_due_on=days(5),
                                   baseline_due_on=days(5)),
    )


def test_slipped_milestones_are_listed_longest_slip_first(world):
    slipped = progress_report(as_of=AS_OF)["slipped"]
    assert [(row["id"], row["slip_days"]) for row in slipped] == [
        (world.slipped_most.pk, 20), (world.slipped_least.pk, 5), (world.done.pk, 3)]
    assert [row["days_overdue"] for row in slipped] == [0, 0, 0]  # the done one is not late


def test_stale_initiatives_are_those_without_an_update_for_30_days(world):
    assert [row["code"] for row in progress_report(as_of=AS_OF)["stale_initiatives"]] == [
        "OTHER", "ROOT"]


def test_figures_by_initiative_cover_each_subtree_in_tree_order(world):
    rows = progress_report(as_of=AS_OF)["by_initiative"]
    assert [(row["code"], row["depth"], row["total"], row["overdue"], row["slipped"],
             row["done"], row["red"]) for row in rows] == [
        ("OTHER", 0, 2, 1, 0, 0, 1),
        ("ROOT", 0, 4, 1, 3, 1, 1),
        ("CHILD", 1, 3, 1, 2, 1, 1),
    ]
    within_root = progress_report(as_of=AS_OF, initiative=world.root)["by_initiative"]
    assert [(row["code"], row["depth"]) for row in within_root] == [("ROOT", 0), ("CHILD", 1)]


def test_a_milestone_counts_in_the_places_of_its_initiative_and_of_its_project(world):
    report = progress_report(as_of=AS_OF)

    def figures(kind):
        return {row["code"]: (row["total"], row["overdue"], row["red"], row["slipped"])
                for row in report[kind]}

    assert figures("by_country") == {"VN": (3, 1, 1, 2), "KE": (1, 1, 1, 0)}
    assert figures("by_region") == {"ASIA": (3, 1, 1, 2), "AFRICA": (1, 1, 1, 0)}
    assert figures("by_field") == {"GX": (3, 1, 1, 2)}


def test_a_milestone_in_a_place_through_its_initiative_and_its_project_counts_there_once(world):
    thailand = CountryFactory(iso2="TH", region=world.asia)
    project = ProjectFactory(initiative=world.child)
    project.countries.add(world.vietnam, thailand)  # Viet Nam is the initiative's too
    MilestoneFactory(initiative=world.child, project=project, planned_due_on=days(20),
                     baseline_due_on=days(20))
    report = progress_report(as_of=AS_OF)
    assert {row["code"]: row["total"] for kind in ("by_country", "by_region")
            for row in report[kind]} == {"VN": 4, "TH": 1, "KE": 1, "ASIA": 4, "AFRICA": 1}


# --- the page --------------------------------------------------------------------------------

def milestone_list_links(html):
    """Every link of the page into the milestone list, with the figure it shows."""
    return [(unescape(href), int(figure)) for href, figure in re.findall(
        r'<a href="(/admin/programs/milestone/\?[^"]+)">([\d,]+)件</a>', html)]


def test_each_figure_by_place_opens_the_milestone_list_of_exactly_those_milestones(
        client, manager, world):
    client.force_login(manager)
    html = client.get("/admin/reports/", {"as_of": AS_OF.isoformat()}).content.decode()
    links = milestone_list_links(html)
    # Every non-zero figure of the three tables is a link: VN, KE, Asia, Africa and GX.
    assert len(links) >= 5 * 3
    for href, figure in links:
        listed = client.get(href)
        assert listed.status_code == 200, href
        assert listed.context_data["cl"].result_count == figure, href
    kenya = [href for href, _figure in links if f"country={world.kenya.pk}" in href]
    assert kenya and all(f"country={world.kenya.pk}" in href for href in kenya)


def test_an_initiatives_report_links_to_the_milestones_of_its_subtree_only(
        client, manager, world):
    client.force_login(manager)
    html = client.get(f"/admin/reports/initiatives/{world.root.pk}/",
                      {"as_of": AS_OF.isoformat()}).content.decode()
    links = milestone_list_links(html)
    assert links and all("initiative__id__in=" in href for href, _figure in links)
    for href, figure in links:
        assert client.get(href).context_data["cl"].result_count == figure, href


def test_the_dashboard_lists_what_needs_attention_and_links_each_initiative_to_its_report(
        client, manager, world):
    client.force_login(manager)
    html = client.get("/admin/reports/", {"as_of": AS_OF.isoformat(),
                                          "since": days(-10).isoformat()}).content.decode()
    assert "当初期限から遅延" in html and "官民フォーラムの開催" in html
    assert "30日以上状況報告のない施策" in html and "他の施策" in html
    for initiative in (world.root, world.child, world.other):
        assert f'href="/admin/reports/initiatives/{initiative.pk}/"' in html
    assert "上位の施策の件数は下位の施策を含みます。" in html  # under the initiatives' figures
    # The dates chosen are the ones shown, and the downloads are for the same dates.
    assert f'value="{AS_OF.isoformat()}"' in html
    assert f"{days(-10):%Y年%-m月%-d日}以降の健全性の変化" in html
    assert f"?format=pdf&amp;as_of={AS_OF.isoformat()}&amp;since={days(-10).isoformat()}" in html


def test_an_english_reader_reads_the_report_in_the_names_the_home_gives(client, manager, world):
    """The English home listed "Hold the AZEC public-private forum"; the English report listed
    the same milestone, its initiative and its KPI in Japanese. Without an English name, the
    Japanese one."""
    world.overdue.title_en = "Agree terms for the Nghi Son refinery"
    world.overdue.save()
    world.child.name_en = "Lower initiative"
    world.child.save()
    client.force_login(manager)
    english = client.get("/admin/reports/", {"as_of": AS_OF.isoformat()},
                         HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Agree terms for the Nghi Son refinery" in english
    assert "ニソン製油所の条件合意" not in english
    assert "Lower initiative" in english and "官民フォーラムの開催" in english
    japanese = client.get("/admin/reports/", {"as_of": AS_OF.isoformat()}).content.decode()
    assert "ニソン製油所の条件合意" in japanese and "Agree terms" not in japanese


def test_an_officer_reaches_only_the_reports_they_may_read(client, officer, other_officer,
                                                          world):
    foreign = InitiativeFactory(parent=world.root, owner=other_officer, name_ja="他人の下位施策")
    MilestoneFactory(initiative=foreign)
    client.force_login(officer)
    html = client.get(f"/admin/reports/initiatives/{world.root.pk}/").content.decode()
    assert "他人の下位施策" in html  # its milestones are part of ROOT's figures
    assert f'href="/admin/reports/initiatives/{foreign.pk}/"' not in html
    assert f'href="/admin/reports/initiatives/{world.child.pk}/"' in html


@pytest.mark.parametrize("query, message", [
    ({"as_of": "2026-13-01"}, "日付はYYYY-MM-DDの形式で指定してください。"),
    ({"as_of": "2026/12/01"}, "日付はYYYY-MM-DDの形式で指定してください。"),
    ({"since": "1999-12-31"}, "2000-01-01から2100-12-31までの日付を指定してください。"),
    ({"as_of": "2026-12-01", "since": "2026-12-02"}, "基準日以前の日付を指定してください。"),
])
def test_a_bad_date_on_the_dashboard_is_explained_in_japanese(client, manager, query, message):
    client.force_login(manager)
    response = client.get("/admin/reports/", query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "以下の日付を修正してください。" in html
    assert 'class="report-chart"' not in html  # no figures for dates nobody asked for


def test_the_dashboard_reads_the_database_a_fixed_number_of_times(
        client, manager, world, django_assert_max_num_queries):
    client.force_login(manager)

    def page_queries():
        with django_assert_max_num_queries(20) as page:
            assert client.get("/admin/reports/", {"as_of": AS_OF.isoformat()}).status_code == 200
        return len(page.captured_queries)

    small = page_queries()
    for index in range(12):  # more milestones, places, projects and initiatives
        country = CountryFactory(region=world.africa)
        initiative = InitiativeFactory(parent=world.child)
        initiative.countries.add(country)
        project = ProjectFactory(initiative=initiative)
        project.countries.add(CountryFactory(region=world.asia))
        MilestoneFactory.create_batch(3, initiative=initiative, project=project,
                                      planned_due_on=days(index - 6), baseline_due_on=days(-20))
    assert page_queries() == small


def test_each_chart_has_its_data_as_a_table(client, manager, world):
    client.force_login(manager)
    html = client.get("/admin/reports/", {"as_of": AS_OF.isoformat()}).content.decode()
    assert html.count('<details class="chart-data">') == html.count('class="report-chart"') >= 2
    assert "健全性別のマイルストーン数：データ（表）" in html
    assert re.search(r"<th scope=\"row\">赤（遅延・問題あり）</th><td>2件</td>", html)


# --- the timeline ----------------------------------------------------------------------------

def test_the_timeline_marks_planned_and_baseline_dates_the_report_date_and_labels_months(world):
    timeline = progress_report(as_of=AS_OF, initiative=world.child)["timeline"]
    svg = str(charts.milestone_timeline(timeline))
    assert [row["title_ja"] for row in timeline["milestones"]] == [
        "強靭化ワークショップ", "ニソン製油所の条件合意", "官民フォーラムの開催"]
    assert svg.count('class="chart-today"') == 1
    assert svg.count('<polygon class="chart-baseline"') == 3 + 1  # and the legend's
    assert svg.count('class="chart-slip"') == 2  # the two that slipped
    assert 'class="chart-done"' in svg and 'class="chart-overdue"' in svg
    assert "期限超過 5日" in svg and "完了" in svg
    first, _last, months = charts.timeline_axis(timeline)
    assert f"{first:%Y年%-m月}" in svg  # the first month is labelled with its year
    assert all(name in svg for _month, name in months if name) and len(months) >= 2
    assert f"基準日 {AS_OF:%Y年%-m月%-d日}" in svg  # not today: the report's date


def test_the_timeline_line_says_today_when_the_report_is_as_of_today(world):
    today = timezone.localdate()
    timeline = progress_report(as_of=today, initiative=world.child)["timeline"]
    assert '>今日</text>' in str(charts.milestone_timeline(timeline))


def test_the_timeline_keeps_to_the_months_around_the_report_date(world):
    far = MilestoneFactory(initiative=world.child, planned_due_on=days(700),
                           baseline_due_on=days(700))
    ids = [row["id"] for row in progress_report(
        as_of=AS_OF, initiative=world.child)["timeline"]["milestones"]]
    assert far.pk not in ids and world.overdue.pk in ids
    assert progress_report(as_of=AS_OF)["timeline"] is None  # the portfolio draws none


def test_the_initiative_report_page_and_its_pdf_show_the_timeline(client, api, manager, world):
    client.force_login(manager)
    html = client.get(f"/admin/reports/initiatives/{world.child.pk}/").content.decode()
    assert "マイルストーンの時系列（予定期限と当初期限）" in html and 'class="chart-today"' in html
    response = api.as_user(manager).get(f"/api/v1/reports/initiatives/{world.child.pk}/",
                                        {"format": "pdf", "as_of": AS_OF.isoformat()})
    text = "".join(page.extract_text() for page in PdfReader(
        io.BytesIO(response.content)).pages)
    for words in ("マイルストーンの時系列", "当初期限", "予定期限", "強靭化ワークショップ",
                  "期限超過 5日", f"基準日 {AS_OF:%Y年%-m月%-d日}"):
        assert words in text, words


def test_an_initiatives_admin_page_shows_its_timeline_to_those_who_read_its_report(
        client, officer, other_officer, manager, world):
    url = f"/admin/programs/initiative/{world.child.pk}/change/"
    for user, shown in ((officer, True), (manager, True), (other_officer, False)):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert ('class="chart-today"' in html) is shown, user.username


def test_the_report_files_list_the_health_changes_and_the_unowned_work_the_page_shows(
        api, manager, officer, world):
    from programs.services.milestones import milestone_update
    from tests.factories import UserFactory

    milestone_update(milestone=world.slipped_most, by=officer, data={"health": "red"})
    # Its owner has left, and its initiative has no owner to stand in.
    world.elsewhere.owner = UserFactory(role="officer", is_active=False)
    world.elsewhere.save()
    since = timezone.localdate() - timedelta(days=1)
    query = {"as_of": AS_OF.isoformat(), "since": since.isoformat()}
    pdf = api.as_user(manager).get("/api/v1/reports/portfolio/", {**query, "format": "pdf"})
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    csv_text = api.as_user(manager).get("/api/v1/reports/portfolio/",
                                        {**query, "format": "csv"}).content.decode("utf-8-sig")
    heading = f"{since:%Y年%-m月%-d日}以降の健全性の変化"
    for shown in (text, csv_text):
        assert heading in shown
        assert "担当者不在：誰にも通知できないマイルストーン" in shown
        assert world.elsewhere.title_ja in shown
    assert f"{heading},{world.slipped_most.title_ja},黄（要注意）,赤（遅延・問題あり）," in csv_text
    assert f"担当者不在：誰にも通知できないマイルストーン,{world.elsewhere.title_ja}," in csv_text
