"""Who reviews registrations is data: the officers (owner and team) of an initiative marked
`reviews_exporter_registrations`, and administrators. The code of the initiative says
nothing: FOOD-EXPORT without the mark reviews nothing."""

import re

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


def read_rows(html):
    """The change page's rows as a person reads them: label, then value."""
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r'<div class="form-row[^"]*">(.*?)</div>\s*</div>', html,
                                  re.S)]


def test_a_manager_reads_a_registration_without_blank_inputs(client, manager, applicant):
    client.force_login(manager)
    page = client.get(f"/admin/exporters/exporterprofile/{applicant.pk}/change/",
                      HTTP_ACCEPT_LANGUAGE="ja")
    assert page.status_code == 200
    rows = read_rows(page.content.decode())
    assert "却下の理由: —" in rows and "審査者: —" in rows
    assert not [row for row in rows if "None" in row or "Decision" in row or "Reason" in row]
    assert "審査結果" not in page.content.decode()


def test_an_officer_of_another_programme_sees_no_registration(client, officer, applicant, api):
    """A registration is a company's personal data: the data-use page tells companies that
    the programme's officers and the managers see it, and nobody else does."""
    InitiativeFactory(code="AZEC2", owner=officer)
    client.force_login(officer)
    assert client.get("/admin/exporters/exporterprofile/").status_code == 403
    assert client.get(
        f"/admin/exporters/exporterprofile/{applicant.pk}/change/").status_code == 403
    assert "exporterprofile" not in client.get("/admin/").content.decode()
    for url in ("/api/v1/exporters/", f"/api/v1/exporters/{applicant.pk}/"):
        response = api.as_user(officer).get(url)
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert api.as_user(officer).get("/api/v1/support-measures/").status_code == 200
    # Nor the company's account among the people (its contact's name and address).
    people = client.get("/admin/accounts/user/").content.decode()
    assert applicant.user.email not in people and officer.username in people
    assert client.get(f"/admin/accounts/user/{applicant.user.pk}/change/").status_code == 302


def test_a_reader_of_registrations_finds_the_companys_account_among_the_people(
        client, manager, applicant):
    client.force_login(manager)
    assert applicant.user.email in client.get("/admin/accounts/user/").content.decode()
    page = client.get(f"/admin/accounts/user/{applicant.user.pk}/change/")
    assert page.status_code == 200
    # Read only: no password line with a reset button that would lead to a refusal.
    assert "../password/" not in page.content.decode()


def test_the_managers_and_the_reviewers_read_registrations(manager, officer, applicant, api):
    InitiativeFactory(code="SME-EXPORT-DESK", owner=officer,
                      reviews_exporter_registrations=True)
    for reader in (manager, officer):
        listed = api.as_user(reader).get("/api/v1/exporters/").json()["results"]
        assert [row["id"] for row in listed] == [applicant.pk]


def test_a_reviewer_decides_with_inputs_labelled_in_japanese(client, officer, applicant):
    InitiativeFactory(code="SME-EXPORT-DESK", owner=officer,
                      reviews_exporter_registrations=True)
    client.force_login(officer)
    html = client.get(f"/admin/exporters/exporterprofile/{applicant.pk}/change/",
                      HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert re.search(r'<label[^>]*for="id_decision"[^>]*>審査結果', html)
    assert re.search(r'<label[^>]*for="id_reason"[^>]*>却下の理由（申請者に送信されます）', html)
