"""The milestone list builds its page from columns (programs/api/list_rows.py), not through
MilestoneSerializer: a client must not tell the two apart."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from programs.api.serializers import MilestoneSerializer
from programs.models import Milestone, WorkStatus
from tests.factories import (
    CountryFactory,
    InitiativeFactory,
    MilestoneFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/milestones/"


def as_json(data):
    return JSONRenderer().render(data)


@pytest.fixture
def varied_milestones(manager):
    """Milestones that differ in every way the representation shows: with and without a
    project and countries, done and open, overdue and not, slipped, an owner with and
    without a name."""
    today = timezone.localdate()
    japan, korea, viet_nam = (CountryFactory(iso2=code) for code in ("JP", "KR", "VN"))
    initiative = InitiativeFactory(name_en="Initiative in English")
    initiative.countries.set([korea, japan])
    project = ProjectFactory(initiative=initiative)
    project.countries.set([viet_nam, japan])
    named = UserFactory(username="named", last_name="山田", first_name="花子")
    unnamed = UserFactory(username="unnamed")
    MilestoneFactory(initiative=initiative, owner=named, title_en="With a project",
                     project=project, planned_due_on=today - timedelta(days=3),
                     baseline_due_on=today - timedelta(days=10), description="説明\n二行目")
    MilestoneFactory(initiative=initiative, owner=unnamed, status=WorkStatus.DONE,
                     percent_complete=100, completed_on=today - timedelta(days=1),
                     planned_due_on=today - timedelta(days=2))
    MilestoneFactory(initiative=InitiativeFactory(), owner=unnamed,
                     status=WorkStatus.IN_PROGRESS, health="amber", percent_complete=45)
    return Milestone.objects.order_by("planned_due_on", "id")


def test_the_list_shows_each_milestone_exactly_as_its_serializer_does(
        api, manager, varied_milestones):
    response = api.as_user(manager).get(URL)
    assert response.status_code == 200
    listed = response.json()["results"]
    serialized = MilestoneSerializer(varied_milestones, many=True).data
    assert listed == api.as_user(manager).get(URL).json()["results"]  # stable
    assert as_json(listed) == as_json(serialized)
    assert [row["countries"] for row in listed] == [["JP", "KR", "VN"], ["JP", "KR"], []]
    assert [row["owner"]["name"] for row in listed] == ["山田 花子", "unnamed", "unnamed"]
    assert [row["is_overdue"] for row in listed] == [True, False, False]


def test_a_listed_milestone_equals_the_same_milestone_read_alone(api, manager,
                                                                 varied_milestones):
    client = api.as_user(manager)
    for row in client.get(URL).json()["results"]:
        assert client.get(f"{URL}{row['id']}/").json() == row


def test_times_are_written_in_the_current_time_zone_as_the_serializer_writes_them(
        api, manager, varied_milestones, settings):
    settings.TIME_ZONE = "UTC"
    with timezone.override("UTC"):
        listed = api.as_user(manager).get(URL).json()["results"]
        serialized = MilestoneSerializer(varied_milestones, many=True).data
    assert listed[0]["created_at"].endswith("Z")
    assert [row["created_at"] for row in listed] == [row["created_at"] for row in serialized]
