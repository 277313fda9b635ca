"""Who reviews registrations is data: the officers (owner and team) of an initiative marked
`reviews_exporter_registrations`, and administrators. The code of the initiative says
nothing: FOOD-EXPORT without the mark reviews nothing."""

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from exporters.models import ExporterProfile, ExporterStatus
from exporters.services.registrations import exporter_approve
from tests.factories import ExporterProfileFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    return ExporterProfileFactory(status=ExporterStatus.PENDING_APPROVAL)


def may_change_in_admin(user):
    request = RequestFactory().get("/")
    request.user = user
    return admin.site._registry[ExporterProfile].has_change_permission(request)


def test_an_officer_of_an_initiative_marked_as_reviewer_approves_a_registration(
        officer, applicant, api):
    InitiativeFactory(code="SME-EXPORT-DESK", owner=officer,
                      reviews_exporter_registrations=True)

    client = api.as_user(officer)
    read = client.get(f"/api/v1/exporters/{applicant.pk}/")["ETag"]
    response = client.post(f"/api/v1/exporters/{applicant.pk}/approve/", HTTP_IF_MATCH=read)

    assert response.status_code == 200, response.content
    applicant.refresh_from_db()
    assert (applicant.status, applicant.reviewed_by) == (ExporterStatus.APPROVED, officer)
    assert may_change_in_admin(officer)


def test_a_team_member_of_the_marked_initiative_reviews_too(officer, other_officer,
                                                            applicant):
    desk = InitiativeFactory(code="SME-EXPORT-DESK", owner=other_officer,
                             reviews_exporter_registrations=True)
    desk.members.add(officer)

    assert exporter_approve(profile=applicant, by=officer).status == ExporterStatus.APPROVED


def test_the_owner_of_food_export_without_the_mark_may_not_review(officer, applicant, api):
    InitiativeFactory(code="FOOD-EXPORT", owner=officer)

    response = api.as_user(officer).post(f"/api/v1/exporters/{applicant.pk}/approve/",
                                         HTTP_IF_MATCH="*")

    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        exporter_approve(profile=applicant, by=officer)
    assert not may_change_in_admin(officer)
    applicant.refresh_from_db()
    assert applicant.status == ExporterStatus.PENDING_APPROVAL
