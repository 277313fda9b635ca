from datetime import date, timedelta

import pytest

from programs.models import Notification
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


def test_mark_one_then_all_read(api, notified):
    client = api.as_user(notified)
    first = client.get("/api/v1/notifications/").json()["results"][0]
    read = client.post(f"/api/v1/notifications/{first['id']}/read/")
    assert read.status_code == 200 and read.json()["is_read"] is True
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 1
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked_read": 1}
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 0


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
    changed = client.patch("/api/v1/notification-preferences/overdue/",
                           {"frequency": "immediate"}, format="json")
    assert changed.json() == {"kind": "overdue", "enabled": True, "frequency": "immediate"}
    off = client.patch("/api/v1/notification-preferences/stale/", {"enabled": False},
                       format="json")
    assert off.json()["enabled"] is False


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
    changed = client.patch("/api/v1/notification-preferences/hour/", {"hour": 0},
                           format="json")
    assert changed.json()["hour"] == 0
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
