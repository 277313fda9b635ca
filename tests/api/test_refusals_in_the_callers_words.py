"""A refusal reads in the caller's language and names what was wrong in the caller's terms:
the value sent, the JSON type, the place in the body; not a column, a Python type or a
parser's English."""

import pytest

from tests.factories import CountryFactory, MilestoneFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_a_body_that_is_not_json_is_told_so_in_japanese_with_where(api, officer):
    milestone = MilestoneFactory(initiative__owner=officer, owner=officer)
    response = api.as_user(officer).generic(
        "PATCH", f"/api/v1/milestones/{milestone.pk}/", '{"title_ja": "x",\n bad}',
        content_type="application/json", HTTP_IF_MATCH="*", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "parse_error"
    assert body["detail"] == "リクエスト本文が正しいJSONではありません（2行目、2文字目）。"


def test_a_list_sent_as_a_string_names_the_json_type(api, manager):
    response = api.as_user(manager).post(
        "/api/v1/initiatives/", {"code": "NEW", "name_ja": "新規", "countries": "SG"},
        format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    [error] = response.json()["fields"]["countries"]
    assert error == {"code": "not_a_list",
                     "message": "Send a list (a JSON array), not a JSON string."}


def test_an_unknown_code_in_a_body_is_named_not_its_column(client, db):
    CountryFactory(iso2="SG")
    response = client.post("/api/v1/exporters/register/", {"target_markets": ["ZZ"]},
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="ja")
    [error] = response.json()["fields"]["target_markets"]
    assert error == {"code": "does_not_exist",
                     "message": "「ZZ」は存在しません。コードを確認してください。"}


def test_an_unknown_code_in_a_filter_is_named(api, manager):
    RegionFactory(code="ASIA_PACIFIC")
    response = api.as_user(manager).get("/api/v1/milestones/?region=ATLANTIS",
                                        HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 400
    [error] = response.json()["fields"]["region"]
    assert error["code"] == "invalid_choice"
    assert error["message"] == "「ATLANTIS」は存在しません。コードまたはIDを確認してください。"
