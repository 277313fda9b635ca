from datetime import date, timedelta

import pytest

from programs.models import Notification
from programs.services.notifications import notifications_unsubscribe
from programs.services.reminders import reminders_sweep
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db
DUE = date(2026, 12, 1)


@pytest.fixture
def notified(own_initiative, officer, other_officer, others_initiative):
    MilestoneFactory(initiative=own_initiative, planned_due_on=DUE, baseline_due_on=DUE)
    MilestoneFactory(initiative=own_initiative, planned_due_on=DUE + timedelta(days=7),
                     baseline_due_on=DUE)
    MilestoneFactory(initiative=others_initiative, planned_due_on=DUE, baseline_due_on=DUE)
    reminders_sweep(on=DUE - timedelta(days=7))
    return officer


def test_people_list_only_their_own_notifications(api, notified, other_officer):
    mine = api.as_user(notified).get("/api/v1/notifications/").json()
    assert mine["count"] == 2
    assert {row["kind"] for row in mine["results"]} == {"due_soon"}
    theirs = Notification.objects.get(recipient=other_officer)
    assert api.as_user(notified).get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404


def etag(client, url):
    return client.get(url)["ETag"]


def test_mark_one_then_all_read(api, notified):
    client = api.as_user(notified)
    first = client.get("/api/v1/notifications/").json()["results"][0]
    url = f"/api/v1/notifications/{first['id']}/"
    read = client.post(f"{url}read/", HTTP_IF_MATCH=etag(client, url))
    assert read.status_code == 200 and read.json()["is_read"] is True
    assert read["ETag"] == etag(client, url)
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 1
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked_read": 1}
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 0


def test_marking_read_names_the_notification_as_read(api, notified):
    client = api.as_user(notified)
    notification = Notification.objects.filter(recipient=notified).first()
    url = f"/api/v1/notifications/{notification.pk}/"
    missing = client.post(f"{url}read/")
    assert (missing.status_code, missing.json()["code"]) == (428, "precondition_required")
    stale = client.post(f"{url}read/", HTTP_IF_MATCH='"r-0123456789abcdef01234567"')
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")
    notification.refresh_from_db()
    assert notification.read_at is None


def test_someone_elses_notification_cannot_be_marked_read(api, notified, other_officer):
    theirs = Notification.objects.get(recipient=other_officer)
    response = api.as_user(notified).post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_anonymous_callers_get_401_on_notifications(api):
    assert api.get("/api/v1/notifications/").status_code == 401
    assert api.get("/api/v1/notification-preferences/").status_code == 401


def test_preferences_list_every_kind_and_can_be_changed(api, officer):
    client = api.as_user(officer)
    kinds = {row["kind"]: row for row in client.get("/api/v1/notification-preferences/").json()}
    assert set(kinds) == {"due_soon", "overdue", "stale", "report_due", "manager_digest",
                          "new_support_measure", "report_reviewed"}
    assert kinds["overdue"] == {"kind": "overdue", "enabled": True, "frequency": "daily_digest"}
    overdue = "/api/v1/notification-preferences/overdue/"
    read = client.get(overdue)
    changed = client.patch(overdue, {"frequency": "immediate"}, format="json",
                           HTTP_IF_MATCH=read["ETag"])
    assert changed.json() == {"kind": "overdue", "enabled": True, "frequency": "immediate"}
    assert changed["ETag"] == etag(client, overdue) != read["ETag"]
    stale = "/api/v1/notification-preferences/stale/"
    off = client.patch(stale, {"enabled": False}, format="json",
                       HTTP_IF_MATCH=etag(client, stale))
    assert off.json()["enabled"] is False


def test_a_preference_changed_since_it_was_read_is_not_overwritten(api, officer):
    client = api.as_user(officer)
    overdue = "/api/v1/notification-preferences/overdue/"
    read = client.get(overdue)["ETag"]
    missing = client.patch(overdue, {"enabled": False}, format="json")
    assert (missing.status_code, missing.json()["code"]) == (428, "precondition_required")
    # Turned off by its unsubscribe link meanwhile (another path to the same service).
    notifications_unsubscribe(user=officer, kinds=["overdue"])
    stale = client.patch(overdue, {"frequency": "immediate"}, format="json",
                         HTTP_IF_MATCH=read)
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")
    assert client.get(overdue).json() == {"kind": "overdue", "enabled": False,
                                          "frequency": "daily_digest"}


def test_a_bad_preference_is_a_400_and_an_unknown_kind_a_404(api, officer):
    client = api.as_user(officer)
    bad = client.patch("/api/v1/notification-preferences/overdue/", {"frequency": "hourly"},
                       format="json")
    assert bad.status_code == 400 and "frequency" in bad.json()["fields"]
    assert client.patch("/api/v1/notification-preferences/weather/", {"enabled": False},
                        format="json").status_code == 404


def test_exporters_have_notifications_too(api, exporter):
    assert api.as_user(exporter).get("/api/v1/notifications/").status_code == 200


def test_people_choose_the_hour_of_their_own_reminders(api, officer, other_officer):
    client = api.as_user(officer)
    assert client.get("/api/v1/notification-preferences/hour/").json() == {
        "hour": 8, "time_zone": "Asia/Tokyo"}
    hour = "/api/v1/notification-preferences/hour/"
    read = client.get(hour)["ETag"]
    assert client.patch(hour, {"hour": 0}, format="json").status_code == 428
    changed = client.patch(hour, {"hour": 0}, format="json", HTTP_IF_MATCH=read)
    assert changed.json()["hour"] == 0
    stale = client.patch(hour, {"hour": 6}, format="json", HTTP_IF_MATCH=read)
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")
    for bad in (24, -1, "7", 7.5, True):
        response = client.patch("/api/v1/notification-preferences/hour/", {"hour": bad},
                                format="json")
        assert response.status_code == 400 and "hour" in response.json()["fields"]
    assert client.get("/api/v1/notification-preferences/hour/").json()["hour"] == 0
    assert api.as_user(other_officer).get(
        "/api/v1/notification-preferences/hour/").json()["hour"] == 8


def test_in_the_admin_people_see_and_change_only_their_own_preferences(client, officer,
                                                                       other_officer):
    from programs.models import NotificationPreference

    theirs = NotificationPreference.objects.create(user=other_officer, kind="stale")
    client.force_login(officer)
    listed = client.get("/admin/programs/notificationpreference/")
    assert listed.status_code == 200 and list(listed.context["cl"].result_list) == []
    assert client.get(f"/admin/programs/notificationpreference/{theirs.pk}/change/"
                      ).status_code in (302, 403, 404)
    added = client.post("/admin/programs/notificationpreference/add/",
                        {"kind": "overdue", "frequency": "immediate", "enabled": "on"})
    assert added.status_code == 302
    mine = NotificationPreference.objects.get(user=officer)
    assert (mine.kind, mine.frequency) == ("overdue", "immediate")
    client.post("/admin/programs/remindertime/add/", {"hour": "6"})
    assert officer.reminder_time.hour == 6


def test_in_the_admin_a_preference_reads_as_words_and_a_second_add_says_updated(
        client, officer):
    from programs.models import NotificationPreference

    client.force_login(officer)
    form = client.get("/admin/programs/notificationpreference/add/").context["adminform"].form
    # What reaches an officer; not the managers' digest nor the companies' notices.
    assert [value for value, _label in form.fields["kind"].choices] == [
        "due_soon", "overdue", "stale", "report_due", "report_reviewed"]
    first = client.post("/admin/programs/notificationpreference/add/",
                        {"kind": "overdue", "frequency": "immediate", "enabled": "on"},
                        follow=True)
    [said] = [str(message) for message in first.context["messages"]]
    assert "期限超過" in said and "overdue" not in said
    again = client.post("/admin/programs/notificationpreference/add/",
                        {"kind": "overdue", "frequency": "daily_digest", "enabled": "on"},
                        follow=True)
    [said] = [str(message) for message in again.context["messages"]]
    assert said == "「期限超過」の通知設定はすでにあるため、その設定を更新しました。"
    mine = NotificationPreference.objects.get(user=officer)
    assert (mine.kind, mine.frequency) == ("overdue", "daily_digest")
