"""The milestone list as an officer uses it: short columns with badges, quick filters at the
top, long filters as searchable drop-downs, filters saved by name, and a constant number of
queries however many milestones there are."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from programs.admin.filters import quick_filter_links
from programs.models import Health, SavedListFilter, WorkStatus
from tests.factories import (
    CountryFactory,
    InitiativeFactory,
    KPIFactory,
    MilestoneFactory,
    ProjectFactory,
    StatusUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
LIST = reverse("admin:programs_milestone_changelist")
SAVE = reverse("admin:programs_milestone_save_filter")


def days(n):
    return timezone.localdate() + timedelta(days=n)


def quick_links(response, user):
    with translation.override("en"):
        return [{**link, "label": str(link["label"])}
                for link in quick_filter_links(response.context["cl"], user)]


def shown(client, query=""):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return {m.title_ja for m in response.context["cl"].result_list}


def test_the_list_shows_the_initiative_code_and_badges_with_japanese_labels(client, officer,
                                                                          own_initiative):
    own_initiative.code, own_initiative.name_ja = "AZEC2", "アジア・ゼロエミッション共同体" * 4
    own_initiative.save()
    MilestoneFactory(initiative=own_initiative, health=Health.RED,
                     status=WorkStatus.BLOCKED, percent_complete=40)
    client.force_login(officer)
    page = client.get(LIST, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<span class="badge health-red">赤（遅延・問題あり）</span>' in page
    assert '<span class="badge status-blocked">停滞中</span>' in page
    assert '<progress max="100" value="40"' in page and "40 %" in page
    assert ">AZEC2</span>" in page


def test_the_initiative_list_shows_badges_and_leaves_the_width_to_the_table(client, officer):
    InitiativeFactory(status="active", health=Health.AMBER, health_note="予算未確定")
    client.force_login(officer)
    response = client.get(reverse("admin:programs_initiative_changelist"),
                          HTTP_ACCEPT_LANGUAGE="ja")
    page = response.content.decode()
    assert '<span class="badge health-amber">黄（要注意）</span>' in page
    assert '<span class="badge status-active">' in page
    assert not response.context["is_nav_sidebar_enabled"]


def test_quick_filters_find_mine_overdue_due_soon_slipped_and_blocked(client, officer,
                                                                     own_initiative):
    other = UserFactory(username="someone")
    MilestoneFactory(initiative=own_initiative, owner=officer, title_ja="mine",
                     planned_due_on=days(60), baseline_due_on=days(60))
    MilestoneFactory(initiative=own_initiative, owner=other, title_ja="overdue",
                     planned_due_on=days(-2), baseline_due_on=days(-2),
                     status=WorkStatus.IN_PROGRESS)
    MilestoneFactory(initiative=own_initiative, owner=other, title_ja="soon",
                     planned_due_on=days(10), baseline_due_on=days(10))
    MilestoneFactory(initiative=own_initiative, owner=other, title_ja="slipped",
                     planned_due_on=days(40), baseline_due_on=days(20))
    MilestoneFactory(initiative=own_initiative, owner=other, title_ja="blocked",
                     planned_due_on=days(50), baseline_due_on=days(50),
                     status=WorkStatus.BLOCKED)
    client.force_login(officer)
    links = {link["label"]: link["url"] for link in quick_links(client.get(LIST), officer)}
    assert shown(client, links["Mine"][1:]) == {"mine"}
    assert shown(client, links["Overdue"][1:]) == {"overdue"}
    assert shown(client, links["Due in 14 days"][1:]) == {"soon"}
    assert shown(client, links["Slipped"][1:]) == {"slipped"}
    assert shown(client, links["Blocked"][1:]) == {"blocked"}


def test_a_quick_filter_in_use_is_marked_and_its_link_turns_it_off(client, officer):
    client.force_login(officer)
    response = client.get(f"{LIST}?overdue=yes&status__exact=blocked",
                          HTTP_ACCEPT_LANGUAGE="en")
    overdue = next(link for link in quick_links(response, officer) if link["active"]
                   and link["label"] == "Overdue")
    assert overdue["url"] == "?status__exact=blocked"
    assert 'aria-current="true"' in response.content.decode()


def test_long_filters_are_searchable_drop_downs_and_the_sidebar_has_no_quick_ones(client,
                                                                               officer):
    MilestoneFactory(owner=officer)
    MilestoneFactory(owner=UserFactory(username="colleague"))
    CountryFactory(iso2="VN")
    client.force_login(officer)
    page = client.get(LIST).content.decode()
    sidebar = page.split('id="changelist-filter"')[1]
    for key in ("initiative", "country", "owner"):
        assert f'id="filter-search-{key}"' in sidebar and f'id="filter-choices-{key}"' in sidebar
    assert "?overdue=yes" not in sidebar and "?slipped=yes" not in sidebar


def test_an_officer_saves_filters_by_name_and_finds_them_on_the_list(client, officer):
    client.force_login(officer)
    response = client.post(SAVE, {"name": "私の期限超過",
                                  "query": f"overdue=yes&owner__id__exact={officer.pk}&p=3"})
    saved = SavedListFilter.objects.get(user=officer)
    assert response.url == f"{LIST}?overdue=yes&owner__id__exact={officer.pk}"  # no page number
    page = client.get(LIST).content.decode()
    assert f'href="{saved.url.replace("&", "&amp;")}">私の期限超過</a>' in page
    client.force_login(UserFactory(username="colleague"))
    assert "私の期限超過" not in client.get(LIST).content.decode()


def test_saving_under_a_used_name_replaces_and_forgetting_removes(client, officer):
    client.force_login(officer)
    client.post(SAVE, {"name": "週次", "query": "overdue=yes"})
    client.post(SAVE, {"name": "週次", "query": "slipped=yes"})
    saved = SavedListFilter.objects.get(user=officer)
    assert saved.query == "slipped=yes"
    client.force_login(UserFactory(username="colleague"))  # another's id is not found
    client.post(reverse("admin:programs_milestone_delete_filter", args=[saved.pk]))
    assert SavedListFilter.objects.filter(pk=saved.pk).exists()
    client.force_login(officer)
    client.post(reverse("admin:programs_milestone_delete_filter", args=[saved.pk]))
    assert not SavedListFilter.objects.exists()


def test_a_filter_without_a_name_is_not_saved_and_the_officer_is_told(client, officer):
    client.force_login(officer)
    response = client.post(SAVE, {"name": "  ", "query": "overdue=yes"}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "Give the filter a name." in response.content.decode()
    assert not SavedListFilter.objects.exists()


def test_the_list_reads_a_constant_number_of_queries(client, officer, own_initiative,
                                                     django_assert_max_num_queries):
    client.force_login(officer)
    MilestoneFactory.create_batch(3, initiative=own_initiative)
    client.get(LIST)  # warm the caches a first request fills
    with django_assert_max_num_queries(QUERY_BUDGET):
        assert client.get(LIST).status_code == 200
    for _ in range(3):
        MilestoneFactory.create_batch(10, initiative=InitiativeFactory(owner=officer),
                                      owner=UserFactory())
    for query in ("", "?overdue=yes&slipped=no&due_within=14"):
        with django_assert_max_num_queries(QUERY_BUDGET):
            assert client.get(LIST + query).status_code == 200


QUERY_BUDGET = 20


@pytest.mark.parametrize(("admin_list", "factory"), [
    ("admin:programs_initiative_changelist", InitiativeFactory),
    ("admin:programs_statusupdate_changelist", StatusUpdateFactory),
    ("admin:programs_project_changelist", ProjectFactory),
    ("admin:programs_kpi_changelist", KPIFactory),
])
def test_the_other_fitted_lists_read_a_constant_number_of_queries(
        client, officer, admin_list, factory, django_assert_max_num_queries):
    client.force_login(officer)
    factory.create_batch(2)
    client.get(reverse(admin_list))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(admin_list))
    factory.create_batch(15)
    with django_assert_max_num_queries(len(few)):
        assert client.get(reverse(admin_list)).status_code == 200
