"""The API answers a refusal by the type of exception the domain raised (tracker.errors), not by
its code: a new kind of conflict gets 409 without anyone listing its code anywhere."""

from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from tracker.errors import Conflict, ServiceError, StaleVersion


class SeatAlreadyTaken(Conflict):
    """A domain conflict the toolkit has never heard of."""


class BudgetOverrun(ServiceError):
    pass


class StaleSeatingPlan(StaleVersion):
    pass


def answer_to(exception):
    class Refusing(APIView):
        authentication_classes = []
        permission_classes = []

        def post(self, request):
            raise exception

    request = APIRequestFactory().post("/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    response = Refusing.as_view()(request)
    return response.status_code, response.data


def test_a_domain_conflict_is_a_409_with_its_own_code():
    status, body = answer_to(SeatAlreadyTaken("Someone sat here first.", code="seat_taken"))
    assert status == 409
    assert body == {"code": "seat_taken", "detail": "Someone sat here first.", "fields": {}}


def test_a_conflict_named_on_a_field_is_a_409_with_the_field():
    status, body = answer_to(ServiceError({"seat": SeatAlreadyTaken(
        "Someone sat here first.", code="seat_taken")}))
    assert status == 409
    assert body["code"] == "seat_taken"
    assert body["fields"] == {"seat": [{"code": "seat_taken",
                                        "message": "Someone sat here first."}]}


def test_a_conflict_beside_a_bad_field_is_a_400():
    status, body = answer_to(ServiceError({
        "seat": SeatAlreadyTaken("Someone sat here first.", code="seat_taken"),
        "guests": ServiceError("Too many guests.", code="too_many_guests"),
    }))
    assert status == 400
    assert body["code"] == "invalid"


def test_a_domain_refusal_is_a_400_with_its_own_code():
    status, body = answer_to(BudgetOverrun("Over budget.", code="over_budget"))
    assert (status, body["code"]) == (400, "over_budget")


def test_a_refusal_coded_like_a_conflict_but_not_raised_as_one_is_a_400():
    status, body = answer_to(BudgetOverrun("Not a conflict.", code="invalid_transition"))
    assert (status, body["code"]) == (400, "invalid_transition")


def test_a_stale_copy_is_a_412_stale_version():
    status, body = answer_to(StaleSeatingPlan(3))
    assert status == 412
    assert body["code"] == "stale_version"
