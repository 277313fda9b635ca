"""Each role lands on a home at /admin/ that lists what needs them now, each item a link to
where it is acted on; the header's bell counts unread notifications and opens a list where
they are marked read; error pages speak Japanese with the site's header and a way back."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.views.defaults import server_error

from exporters.models import ExporterStatus
from programs.models import DeliveryStatus, Health, Milestone, ReportStatus, WorkStatus
from programs.reporting import labels
from tests.factories import (
    DeliveryFactory,
    ExporterProfileFactory,
    InitiativeFactory,
    MilestoneFactory,
    NotificationFactory,
    ProgressReportFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response


def section(response, key):
    """The HTML of one section of the home."""
    html = response.content.decode()
    start = html.index(f'id="home-{key}"')
    return html[start:html.index("</section>", start)]


def text_of(html):
    """What a reader reads of some HTML: its text, without tags and their attributes."""
    return re.sub(r"<[^>]+>", " ", html)


def change_link(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def test_an_officer_sees_their_overdue_work_and_not_a_colleagues(client, officer,
                                                                  own_initiative,
                                                                  others_initiative):
    mine = MilestoneFactory(initiative=own_initiative, title_ja="自分の遅れ",
                            planned_due_on=TODAY() - timedelta(days=5))
    theirs = MilestoneFactory(initiative=others_initiative, title_ja="同僚の遅れ",
                              planned_due_on=TODAY() - timedelta(days=5))
    MilestoneFactory(initiative=own_initiative, title_ja="完了済み", status=WorkStatus.DONE,
                     completed_on=TODAY(), percent_complete=100,
                     planned_due_on=TODAY() - timedelta(days=5))
    overdue = section(home(client, officer), "overdue")
    assert change_link(mine) in overdue and "5日超過" in overdue
    assert change_link(theirs) not in overdue and "完了済み" not in overdue


def test_an_officers_home_lists_what_is_due_soon_blocked_and_without_updates(
        client, officer, own_initiative):
    soon = MilestoneFactory(initiative=own_initiative, planned_due_on=TODAY() + timedelta(3))
    later = MilestoneFactory(initiative=own_initiative, planned_due_on=TODAY() + timedelta(30))
    blocked = MilestoneFactory(initiative=own_initiative, status=WorkStatus.BLOCKED)
    silent = MilestoneFactory(initiative=own_initiative, status=WorkStatus.IN_PROGRESS)
    Milestone.objects.filter(pk=silent.pk).update(created_at=timezone.now() - timedelta(
        days=settings.REMINDER_STALE_AFTER_DAYS + 1))
    response = home(client, officer)
    assert change_link(soon) in section(response, "due-soon")
    assert change_link(later) not in section(response, "due-soon")
    assert change_link(blocked) in section(response, "blocked")
    assert change_link(silent) in section(response, "stale")


def test_an_officer_sees_a_returned_report_with_its_reason_and_the_report_to_start(
        client, officer, own_initiative):
    # The initiative predates last quarter, so it owes that quarter's report.
    type(own_initiative).objects.filter(pk=own_initiative.pk).update(
        created_at=timezone.now() - timedelta(days=400))
    returned = ProgressReportFactory(initiative=own_initiative, period="2025-Q1",
                                     status=ReportStatus.RETURNED, submitted_at=timezone.now(),
                                     return_reason="KPIの実績値を追記してください")
    reports = section(home(client, officer), "reports")
    assert change_link(returned) in reports
    assert "差し戻し理由：KPIの実績値を追記してください" in reports
    # Periods read the way staff name them, not as their codes.
    assert "2024年度 第4四半期 (1–3月)" in reports
    assert not re.search(r"\d{4}-Q\d", text_of(reports))
    # Last quarter's report is not started: one click opens its form, filled in.
    assert escape(f"{reverse('admin:programs_progressreport_add')}?initiative="
                  f"{own_initiative.pk}&period=") in reports


def test_a_manager_finds_reviews_the_portfolio_and_the_dashboard_on_the_home(
        client, manager, own_initiative, officer):
    submitted = ProgressReportFactory(initiative=own_initiative, status=ReportStatus.SUBMITTED,
                                      submitted_at=timezone.now(), submitted_by=officer)
    red = InitiativeFactory(owner=officer, health=Health.RED, health_note="予算が未確定")
    InitiativeFactory(owner=None, code="NOBODY", status="active")
    response = home(client, manager)
    reviews = section(response, "reviews")
    assert change_link(submitted) in reviews
    assert labels.quarter(submitted.period) in reviews
    assert submitted.period not in text_of(reviews)
    portfolio = section(response, "portfolio")
    assert f'href="{reverse("report-dashboard")}"' in portfolio
    trouble = section(response, "trouble")
    assert change_link(red) in trouble and "予算が未確定" in trouble
    assert "NOBODY" in section(response, "unowned")
    # An officer's lists are not the manager's, and the other way round.
    assert 'id="home-overdue"' not in response.content.decode()
    assert 'id="home-reviews"' not in home(client, officer).content.decode()


def test_an_administrator_sees_registrations_failed_deliveries_and_locked_accounts(
        client, administrator, officer):
    officer.last_name, officer.first_name = "佐藤", "花子"
    officer.save()
    waiting = ExporterProfileFactory(status=ExporterStatus.PENDING_APPROVAL)
    failed = DeliveryFactory(status=DeliveryStatus.FAILED, last_error="550 mailbox unavailable")
    AccessAttempt.objects.create(username=officer.username, ip_address="192.0.2.1",
                                 user_agent="test", get_data="", post_data="",
                                 http_accept="", path_info="/admin/login/",
                                 failures_since_start=settings.AXES_FAILURE_LIMIT)
    response = home(client, administrator)
    assert change_link(waiting) in section(response, "registrations")
    deliveries = section(response, "deliveries")
    assert change_link(failed) in deliveries and "550 mailbox unavailable" in deliveries
    locked = section(response, "locked")
    assert f"?q={officer.username}" in locked
    # The person by name, the lockout's end in the home's date format, not the user name.
    assert "佐藤 花子" in text_of(locked) and officer.username not in text_of(locked)
    until = timezone.localtime(AccessAttempt.objects.get().attempt_time + timedelta(
        hours=settings.AXES_COOLOFF_TIME))
    day = f"{until.year}年{until.month}月{until.day}日"
    assert f"{day} {until:%H:%M} までロック中" in text_of(locked)


def many(count, officer, initiative, manager):
    for n in range(count):
        MilestoneFactory(initiative=initiative, planned_due_on=TODAY() - timedelta(days=n + 1),
                         baseline_due_on=TODAY() - timedelta(days=n + 30))
        MilestoneFactory(initiative=initiative, planned_due_on=TODAY() + timedelta(days=2))
        MilestoneFactory(initiative=initiative, status=WorkStatus.BLOCKED)
        NotificationFactory(recipient=officer)
        NotificationFactory(recipient=manager)
        report_of = InitiativeFactory(owner=officer, health=Health.RED, health_note="遅延")
        ProgressReportFactory(initiative=report_of, status=ReportStatus.SUBMITTED,
                              submitted_at=timezone.now(), submitted_by=officer)


@pytest.mark.parametrize("role", ["officer", "manager", "administrator"])
def test_each_home_takes_the_same_few_queries_whatever_the_amount_of_work(
        client, django_assert_max_num_queries, officer, manager, administrator,
        own_initiative, role):
    client.force_login({"officer": officer, "manager": manager,
                        "administrator": administrator}[role])
    many(2, officer, own_initiative, manager)
    with django_assert_max_num_queries(26):
        assert client.get(reverse("admin:index")).status_code == 200
    many(15, officer, own_initiative, manager)
    with django_assert_max_num_queries(26):
        assert client.get(reverse("admin:index")).status_code == 200


def test_the_bell_counts_unread_notifications_on_every_admin_page(client, officer):
    NotificationFactory.create_batch(3, recipient=officer)
    NotificationFactory(recipient=officer, read_at=timezone.now())
    NotificationFactory()  # someone else's
    client.force_login(officer)
    for path in (reverse("admin:index"), reverse("admin:programs_milestone_changelist")):
        html = client.get(path).content.decode()
        assert '<span class="notification-count">3</span>' in html, path


def test_the_notifications_page_links_each_to_its_item_and_marks_them_read(client, officer,
                                                                            own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative)
    first = NotificationFactory(recipient=officer, subject=milestone, title="一つ目")
    NotificationFactory(recipient=officer, title="二つ目")
    client.force_login(officer)
    page = client.get(reverse("my-notifications")).content.decode()
    open_url = reverse("my-notification-open", args=[first.pk])
    assert f'action="{open_url}"' in page and "二つ目" in page
    # Reading is a POST: a GET (a prefetching browser, a crawler) changes nothing.
    read_url = reverse("my-notification-read", args=[first.pk])
    assert client.get(read_url).status_code == 405
    assert client.get(open_url).status_code == 405
    # Opening one marks it read and goes to what it is about; read, it links there itself.
    response = client.post(open_url)
    assert (response.status_code, response.url) == (302, change_link(milestone))
    first.refresh_from_db()
    assert first.read_at is not None
    assert f'href="{change_link(milestone)}"' in client.get(
        reverse("my-notifications")).content.decode()
    assert '<span class="notification-count">1</span>' in client.get(
        reverse("my-notifications")).content.decode()
    client.post(reverse("my-notifications-read-all"))
    assert "notification-count" not in client.get(reverse("admin:index")).content.decode()


def test_a_notification_is_dated_as_the_homes_date_things(client, officer):
    sent = timezone.make_aware(timezone.datetime(2026, 12, 2, 11, 6))
    notification = NotificationFactory(recipient=officer)
    type(notification).objects.filter(pk=notification.pk).update(created_at=sent)
    client.force_login(officer)
    page = client.get(reverse("my-notifications")).content.decode()
    assert "2026年12月2日 11:06" in page
    assert "2026/12/02" not in page


def test_nobody_marks_someone_elses_notification_read(client, officer):
    theirs = NotificationFactory()
    client.force_login(officer)
    assert client.post(reverse("my-notification-read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("my-notification-open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_lockout_and_schedule_sections_are_for_administrators_only_and_in_japanese(
        client, officer, administrator):
    # Even allowed to read the lockout and the schedules, an officer is not shown them.
    officer.user_permissions.set(Permission.objects.filter(
        content_type__app_label__in=("axes", "django_celery_beat")))
    officer_home = home(client, officer).content.decode()
    assert "/admin/axes/" not in officer_home and "/admin/django_celery_beat/" not in officer_home
    administrator_home = home(client, administrator).content.decode()
    assert "ログインのロック" in administrator_home and "リマインダーの予定" in administrator_home
    assert "Access attempts" not in administrator_home


def test_view_site_leads_to_the_home(client, officer):
    html = home(client, officer).content.decode()
    assert f'<a href="{reverse("admin:index")}">サイトを表示</a>' in html


def test_a_missing_page_is_in_japanese_with_the_header_and_a_way_home(client, officer,
                                                                       settings):
    settings.DEBUG = False
    client.force_login(officer)
    response = client.get("/admin/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "ページが見つかりません" in html and "通商戦略トラッカー" in html
    assert f'href="{reverse("admin:index")}">ホームへ戻る' in html
    english = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Page not found" in english.content.decode()


def test_a_refused_admin_action_lands_on_the_japanese_403_page(client, officer,
                                                               others_initiative):
    theirs = MilestoneFactory(initiative=others_initiative)
    client.force_login(officer)
    response = client.post(change_link(theirs), {"title_ja": "書き換え"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "この操作は許可されていません" in html and "ホームへ戻る" in html


def test_the_server_error_page_is_in_japanese_with_the_header_and_a_way_home(client):
    # Called without the middleware, so the language LocaleMiddleware would pick is set here:
    # otherwise the page follows whatever language an earlier test left active.
    with translation.override("ja"):
        html = server_error(RequestFactory().get("/")).content.decode()
    assert "エラーが発生しました" in html and "何も保存されていません" in html
    assert "通商戦略トラッカー" in html and f'href="{reverse("admin:index")}"' in html


def test_an_expired_form_is_explained_in_japanese(officer):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(officer)
    response = csrf_client.post(reverse("my-notifications-read-all"))
    assert response.status_code == 403
    assert "フォームの有効期限が切れました" in response.content.decode()


def test_the_staff_site_switches_to_english_and_back_on_every_page(client, officer):
    signed_out = client.get(reverse("admin:login")).content.decode()
    assert 'action="/i18n/setlang/"' in signed_out and 'value="en"' in signed_out
    client.force_login(officer)
    home = reverse("admin:index")
    assert 'value="en" lang="en">English</button>' in client.get(home).content.decode()
    switched = client.post("/i18n/setlang/", {"language": "en", "next": home}, follow=True)
    html = switched.content.decode()
    assert '<html lang="en"' in html and 'value="ja" lang="ja">日本語</button>' in html
