"""What an approved exporter can reach through /api/v1/ with a real token, and who reviews
registrations.

Every caller here signs in the way a client does: POST /api/v1/auth/token/ with username and
password, then `Authorization: Token …`. (`force_authenticate` would skip the sign-in gate of
`accounts.backends`, which is part of what is tested.)

- An approved exporter gets 403 on every internal resource, list and detail, and on the review
  of registrations; 200 on the support measures, their own profile, the measures that fit them
  and their own notifications. Drafts and other people's notifications are 404.
- An exporter whose registration is not approved gets no token; a token issued before a
  rejection stops working.
- Internal roles cannot use the exporter's own endpoints.
- Officers of FOOD-EXPORT (owner or member) and administrators approve and reject; everyone
  else gets 403, a manager may still list and read the registrations.
"""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from exporters.models import ExporterProfile, ExporterStatus
from exporters.services.registrations import exporter_reject
from programs.models import Notification, ProductCategory
from tests.factories import (
    CountryFactory,
    ExporterProfileFactory,
    InitiativeFactory,
    NotificationFactory,
    ProductCategoryFactory,
    SupportMeasureFactory,
)
from tests.support.scene import build_scene

pytestmark = pytest.mark.django_db
API = "/api/v1"
PASSWORD = "secret-pass-2026"  # the password of every factory user


def token_response(user, username=None):
    return APIClient().post(f"{API}/auth/token/",
                            {"username": username or user.username, "password": PASSWORD},
                            format="json")


def signed_in(user, username=None):
    """An API client carrying a real token of `user`, obtained with their password."""
    response = token_response(user, username)
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def review(client, profile, move, **body):
    """Approve or reject a registration as a reviewer does: read it, then name its ETag (a
    caller who may not read it has none to send)."""
    read = client.get(f"{API}/exporters/{profile.pk}/")
    headers = {"HTTP_IF_MATCH": read["ETag"]} if read.status_code == 200 else {}
    return client.post(f"{API}/exporters/{profile.pk}/{move}/", body or None, format="json",
                       **headers)


@pytest.fixture
def catalogue(db):
    categories = {code: ProductCategoryFactory(code=code, order=order, name_ja=name, name_en=code)
                  for order, (code, name) in enumerate([("seafood", "水産物"),
                                                        ("sake", "酒類")])}
    countries = {iso2: CountryFactory(iso2=iso2) for iso2 in ("SG", "US")}
    return categories, countries


@pytest.fixture
def company(catalogue):
    """The approved exporter under test: a seafood processor selling to Singapore."""
    categories, countries = catalogue
    return ExporterProfileFactory(company_name="みなと水産加工株式会社",
                                  product_categories=[categories["seafood"]],
                                  target_markets=[countries["SG"]])


@pytest.fixture
def other_company(catalogue):
    categories, countries = catalogue
    return ExporterProfileFactory(company_name="さくら酒造株式会社",
                                  status=ExporterStatus.PENDING_APPROVAL,
                                  product_categories=[categories["sake"]],
                                  target_markets=[countries["US"]])


@pytest.fixture
def food_export(officer):
    """The food-export programme, owned by `officer`: its officers review registrations."""
    return InitiativeFactory(code="FOOD-EXPORT", owner=officer,
                             reviews_exporter_registrations=True)


@pytest.fixture
def internal_world(db):
    """The shared scene (tests.support.scene), built for the test: the other tests of this
    module set up a smaller world of their own. Its approved exporter, and one record of every
    internal resource keyed by its URL prefix."""
    scene = build_scene()
    return scene.exporter, {
        "initiatives": scene.programme.pk,
        "projects": scene.project.pk,
        "milestones": scene.milestone.pk,
        "status-updates": scene.status_update.pk,
        "kpis": scene.kpi.pk,
        "regions": scene.region.pk,
        "countries": scene.countries["SG"].pk,
        "strategic-fields": scene.gx.pk,
        "organisations": scene.jetro.pk,
        "country-plans": scene.plan.pk,
        "country-actions": scene.action.pk,
    }


INTERNAL = ("initiatives", "projects", "milestones", "status-updates", "kpis", "regions",
            "countries", "strategic-fields", "organisations", "country-plans", "country-actions")


def notification_for(user, measure, title):
    return NotificationFactory(recipient=user, kind="new_support_measure", title=title,
                               body=title, subject=measure)


# --- the approved exporter: what is closed -----------------------------------------------------

@pytest.mark.parametrize("resource", INTERNAL)
def test_an_approved_exporter_gets_403_on_every_internal_list_and_record(internal_world,
                                                                        resource):
    exporter, ids = internal_world
    client = signed_in(exporter)
    listed = client.get(f"{API}/{resource}/")
    assert listed.status_code == 403, listed.content
    assert listed.json()["code"] == "permission_denied"
    detail = client.get(f"{API}/{resource}/{ids[resource]}/")
    assert detail.status_code == 403, detail.content


def test_an_approved_exporter_gets_403_on_the_registrations_and_their_review(company,
                                                                            other_company,
                                                                            food_export):
    client = signed_in(company.user)
    assert client.get(f"{API}/exporters/").status_code == 403
    assert client.get(f"{API}/exporters/{other_company.pk}/").status_code == 403
    assert client.get(f"{API}/exporters/{company.pk}/").status_code == 403
    assert review(client, other_company, "approve").status_code == 403
    assert review(client, other_company, "reject", reason="重複登録").status_code == 403
    # Not even their own registration can be approved through the review endpoint.
    assert review(client, company, "approve").status_code == 403
    other_company.refresh_from_db()
    assert other_company.status == ExporterStatus.PENDING_APPROVAL
    assert other_company.reviewed_by is None


@pytest.mark.parametrize("nested", ["initiatives/{}/status-updates", "milestones/{}/status-updates",
                                    "kpis/{}/measurements"])
def test_an_approved_exporter_gets_403_on_the_nested_internal_lists(internal_world, nested):
    exporter, ids = internal_world
    resource = nested.split("/")[0]
    client = signed_in(exporter)
    assert client.get(f"{API}/{nested.format(ids[resource])}/").status_code == 403


def test_an_approved_exporter_learns_nothing_about_ids_of_internal_records(company):
    """Permissions come before the lookup: a missing id is 403 too, not 404."""
    client = signed_in(company.user)
    for resource in ("milestones", "initiatives", "exporters"):
        assert client.get(f"{API}/{resource}/999999/").status_code == 403


# --- the approved exporter: what is open -------------------------------------------------------

def test_an_approved_exporter_reads_measures_own_profile_fits_and_notifications(company):
    measure = SupportMeasureFactory(code="SG-SEAFOOD", name_ja="シンガポール水産物商談会",
                                    product_categories=[ProductCategory.objects.get(
                                        code="seafood")],
                                    target_markets=company.target_markets.all())
    mine = notification_for(company.user, measure, "あなたへの支援策")
    client = signed_in(company.user)

    for path in ("/support-measures/", f"/support-measures/{measure.pk}/", "/me/",
                 "/exporters/me/", "/exporters/me/support-measures/", "/notifications/",
                 f"/notifications/{mine.pk}/", "/notification-preferences/"):
        response = client.get(f"{API}{path}")
        assert response.status_code == 200, (path, response.content)

    assert client.get(f"{API}/me/").json()["role"] == "exporter"
    profile = client.get(f"{API}/exporters/me/").json()
    assert (profile["id"], profile["company_name"], profile["status"]) == (
        company.pk, "みなと水産加工株式会社", "approved")
    fits = client.get(f"{API}/exporters/me/support-measures/").json()["results"]
    assert [row["measure"]["code"] for row in fits] == ["SG-SEAFOOD"]
    notifications = client.get(f"{API}/notifications/").json()
    assert [row["id"] for row in notifications["results"]] == [mine.pk]


def test_a_draft_measure_is_invisible_to_exporters_but_not_to_a_manager(company, manager):
    published = SupportMeasureFactory(code="PUBLISHED")
    draft = SupportMeasureFactory(code="DRAFT", is_published=False)
    exporter_client = signed_in(company.user)

    listed = exporter_client.get(f"{API}/support-measures/").json()
    assert [row["code"] for row in listed["results"]] == ["PUBLISHED"]
    assert exporter_client.get(f"{API}/support-measures/{draft.pk}/").status_code == 404
    assert exporter_client.get(f"{API}/support-measures/{published.pk}/").status_code == 200
    fits = exporter_client.get(f"{API}/exporters/me/support-measures/").json()["results"]
    assert [row["measure"]["code"] for row in fits] == ["PUBLISHED"]
    assert exporter_client.get(f"{API}/support-measures/", {"search": "DRAFT"}).json()[
        "count"] == 0

    manager_client = signed_in(manager)
    listed = manager_client.get(f"{API}/support-measures/").json()
    assert {row["code"] for row in listed["results"]} == {"PUBLISHED", "DRAFT"}
    detail = manager_client.get(f"{API}/support-measures/{draft.pk}/")
    assert detail.status_code == 200 and detail.json()["code"] == "DRAFT"


def test_another_companys_notification_is_404(company, other_company):
    measure = SupportMeasureFactory()
    mine = notification_for(company.user, measure, "あなたへの支援策")
    theirs = notification_for(other_company.user, measure, "他社への支援策")
    client = signed_in(company.user)
    assert client.get(f"{API}/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"{API}/notifications/{theirs.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert [row["id"] for row in client.get(f"{API}/notifications/").json()["results"]] == [
        mine.pk]


# --- the sign-in gate ----------------------------------------------------------------------------

@pytest.mark.parametrize("status", [ExporterStatus.PENDING_VERIFICATION,
                                    ExporterStatus.PENDING_APPROVAL, ExporterStatus.REJECTED])
def test_an_unapproved_exporter_gets_no_token(catalogue, status):
    profile = ExporterProfileFactory(status=status)
    response = token_response(profile.user)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert not Token.objects.filter(user=profile.user).exists()


def test_an_approved_exporter_signs_in_with_the_email_address_as_username(company):
    assert company.user.username == company.user.email
    response = token_response(company.user, username=company.user.email)
    assert response.status_code == 200 and response.json()["token"]


def test_an_exporter_account_without_a_profile_gets_no_token(exporter):
    response = token_response(exporter)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


def test_a_token_issued_before_a_rejection_stops_working(company, food_export, officer):
    client = signed_in(company.user)
    assert client.get(f"{API}/exporters/me/").status_code == 200

    reviewer = signed_in(officer)
    rejected = review(reviewer, company, "reject", reason="法人番号と会社名が一致しません")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"

    for path in ("/me/", "/exporters/me/", "/exporters/me/support-measures/",
                 "/support-measures/", "/notifications/"):
        response = client.get(f"{API}{path}")
        assert response.status_code == 401, (path, response.content)
        assert response.json()["code"] == "authentication_failed"
    assert token_response(company.user).status_code == 400


def test_a_token_issued_before_a_rejection_through_the_service_stops_working(company,
                                                                            administrator):
    client = signed_in(company.user)
    exporter_reject(profile=company, by=administrator, reason="要件を満たしていません")
    assert client.get(f"{API}/support-measures/").status_code == 401


# --- internal roles and the exporter's own endpoints --------------------------------------------

@pytest.mark.parametrize("role", ["officer", "manager", "administrator"])
def test_internal_roles_cannot_use_the_exporters_own_endpoints(request, role):
    client = signed_in(request.getfixturevalue(role))
    assert client.get(f"{API}/exporters/me/").status_code == 403
    assert client.patch(f"{API}/exporters/me/", {"contact_name": "誰か"},
                        format="json").status_code == 403
    assert client.get(f"{API}/exporters/me/support-measures/").status_code == 403


# --- who reviews registrations --------------------------------------------------------------------

@pytest.fixture
def reviewers(food_export, officer, other_officer, administrator):
    """Who may review: the programme's owner, a member of its team, an administrator."""
    food_export.members.add(other_officer)
    return {"owner": officer, "member": other_officer, "administrator": administrator}


@pytest.mark.parametrize("who", ["owner", "member", "administrator"])
def test_food_export_officers_and_administrators_approve_and_reject(reviewers, catalogue,
                                                                    who):
    reviewer = reviewers[who]
    client = signed_in(reviewer)
    to_approve = ExporterProfileFactory(status=ExporterStatus.PENDING_APPROVAL)
    to_reject = ExporterProfileFactory(status=ExporterStatus.PENDING_APPROVAL)

    assert client.get(f"{API}/exporters/").status_code == 200
    approved = review(client, to_approve, "approve")
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    rejected = review(client, to_reject, "reject", reason="所在地を確認できません")
    assert rejected.status_code == 200, rejected.content
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["rejection_reason"] == "所在地を確認できません"

    to_approve.refresh_from_db()
    to_reject.refresh_from_db()
    assert (to_approve.status, to_approve.reviewed_by) == (ExporterStatus.APPROVED, reviewer)
    assert (to_reject.status, to_reject.reviewed_by) == (ExporterStatus.REJECTED, reviewer)


@pytest.mark.parametrize("who", ["officer_elsewhere", "manager"])
def test_other_internal_roles_may_not_approve_or_reject(request, food_export, own_initiative,
                                                        other_officer, catalogue, who):
    # `other_officer` owns an initiative of their own, just not the food-export programme.
    caller = other_officer if who == "officer_elsewhere" else request.getfixturevalue("manager")
    profile = ExporterProfileFactory(status=ExporterStatus.PENDING_APPROVAL)
    client = signed_in(caller)

    approve = review(client, profile, "approve")
    assert approve.status_code == 403, approve.content
    assert approve.json()["code"] == "permission_denied"
    reject = review(client, profile, "reject", reason="不明")
    assert reject.status_code == 403, reject.content

    profile.refresh_from_db()
    assert (profile.status, profile.reviewed_by, profile.rejection_reason) == (
        ExporterStatus.PENDING_APPROVAL, None, "")


def test_a_manager_lists_and_reads_registrations_but_cannot_approve(manager, food_export,
                                                                    company, other_company):
    client = signed_in(manager)
    listed = client.get(f"{API}/exporters/")
    assert listed.status_code == 200
    assert {row["company_name"] for row in listed.json()["results"]} == {
        "みなと水産加工株式会社", "さくら酒造株式会社"}
    pending = client.get(f"{API}/exporters/", {"status": "pending_approval"}).json()
    assert [row["id"] for row in pending["results"]] == [other_company.pk]
    assert client.get(f"{API}/exporters/{other_company.pk}/").json()["company_name"] == (
        "さくら酒造株式会社")
    assert review(client, other_company, "approve").status_code == 403
    assert ExporterProfile.objects.get(pk=other_company.pk).status == (
        ExporterStatus.PENDING_APPROVAL)


def test_without_the_food_export_programme_only_administrators_review(officer, administrator,
                                                                      catalogue):
    profile = ExporterProfileFactory(status=ExporterStatus.PENDING_APPROVAL)
    assert review(signed_in(officer), profile, "approve").status_code == 403
    assert review(signed_in(administrator), profile, "approve").status_code == 200
