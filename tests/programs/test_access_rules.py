"""The role rules, asked of selectors/access.py by the admin, the API and the services alike:
what one offers, the other accepts."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from programs.selectors.access import work_owner_candidates
from programs.services.common import validate_work_owner
from programs.services.milestones import milestone_update
from tests.factories import MilestoneFactory, UserFactory

pytestmark = pytest.mark.django_db


def accepted_as_owner(user):
    try:
        validate_work_owner(user)
    except ValidationError:
        return False
    return True


def test_the_owners_offered_are_the_active_officers_and_every_one_is_accepted():
    people = [UserFactory(role=role, is_active=active)
              for role in Role.values for active in (True, False)]
    offered = set(work_owner_candidates().filter(pk__in=[p.pk for p in people]))
    assert offered <= {person for person in people if accepted_as_owner(person)}
    assert {(p.role, p.is_active) for p in offered} == {(Role.OFFICER, True)}


def test_a_manager_cannot_be_given_a_milestone(officer, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative)
    with pytest.raises(ValidationError) as excinfo:
        milestone_update(milestone=milestone, by=officer,
                         data={"owner": UserFactory(role=Role.MANAGER)})
    assert "owner" in excinfo.value.error_dict
