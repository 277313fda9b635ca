"""The schema as client generators read it: valid OpenAPI, ASCII names, integer ids, enums
named once, concurrency and every answer declared. (The generated-client test drives a client
made from it.)"""

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db
WRITES = ("patch", "put", "delete")


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        return APIClient().get("/api/v1/schema/", {"format": "json"}).json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_schema_is_valid_openapi_with_an_ascii_title(schema):
    validate(schema)
    assert schema["info"]["title"].isascii()
    assert "通商戦略トラッカー" in schema["info"]["description"]


def test_every_operation_is_summed_up_in_words_not_by_its_class(schema):
    """The docs page listed "List CountryViewSet": a class name is nothing a reader knows."""
    for path, method, operation in operations(schema):
        words = f"{operation.get('summary', '')} {operation.get('description', '')}"
        assert operation.get("summary"), (method, path)
        assert "ViewSet" not in words and "`model`" not in words, (method, path, words)


def test_ids_in_paths_are_integers_and_filters_name_no_type_in_japanese(schema):
    for path, method, operation in operations(schema):
        for parameter in operation.get("parameters", ()):
            where = f"{method} {path} {parameter['name']}"
            if parameter["in"] == "path" and parameter["name"] == "id":
                assert parameter["schema"]["type"] == "integer", where
            assert "title" not in parameter["schema"], where
            assert "title" not in parameter["schema"].get("items", {}), where
    milestones = schema["paths"]["/api/v1/milestones/"]["get"]["parameters"]
    by_name = {parameter["name"]: parameter["schema"] for parameter in milestones}
    assert by_name["status"]["items"] == {"$ref": "#/components/schemas/WorkStatusEnum"}
    assert by_name["owner"]["type"] == by_name["project"]["type"] == "integer"
    assert "-planned_due_on" in by_name["ordering"]["enum"]


def test_every_change_of_a_record_requires_if_match_and_declares_412_and_428(schema):
    # Every change of a record, and every action on one. Not: creations (nothing read yet;
    # nor a KPI's first recording, whose correction does need If-Match), the collection action
    # `read-all` (no single representation to name) and revoking one's own token.
    changes = [(path, method, operation) for path, method, operation in operations(schema)
               if (method in WRITES and path != "/api/v1/auth/token/")
               or (method == "post" and "{" in path
                   and not path.endswith(("/status-updates/", "/measurements/")))]
    assert {path for path, _method, _operation in changes} >= {
        "/api/v1/webhooks/{id}/", "/api/v1/webhooks/{id}/rotate-secret/",
        "/api/v1/webhooks/{id}/test/", "/api/v1/exporters/{id}/approve/",
        "/api/v1/exporters/{id}/reject/", "/api/v1/exporters/me/",
        "/api/v1/notification-preferences/{kind}/", "/api/v1/notification-preferences/hour/",
        "/api/v1/notifications/{id}/read/", "/api/v1/progress-reports/{id}/approve/"}
    for path, method, operation in changes:
        headers = {p["name"]: p for p in operation.get("parameters", ()) if p["in"] == "header"}
        assert headers.get("If-Match", {}).get("required") is True, (method, path)
        assert {"412", "428"} <= set(operation["responses"]), (method, path)
        for code, response in operation["responses"].items():
            if code in ("200", "201"):
                assert "ETag" in response["headers"], (method, path, code)
    read_all = schema["paths"]["/api/v1/notifications/read-all/"]["post"]
    assert "no single representation" in read_all["description"]
    added = schema["paths"]["/api/v1/milestones/{id}/status-updates/"]["post"]
    assert "ETag" in added["responses"]["201"]["headers"]


def test_a_reminder_kind_in_a_path_is_the_kinds_enum(schema):
    for method in ("get", "patch"):
        operation = schema["paths"]["/api/v1/notification-preferences/{kind}/"][method]
        [kind] = [p for p in operation["parameters"] if p["name"] == "kind"]
        assert kind["schema"] == {"$ref": "#/components/schemas/ReminderKindEnum"}


def test_reads_declare_their_etag_and_304_and_every_answer_is_declared(schema):
    retrieve = schema["paths"]["/api/v1/milestones/{id}/"]["get"]
    assert "ETag" in retrieve["responses"]["200"]["headers"]
    assert "304" in retrieve["responses"]
    assert any(p["name"] == "If-None-Match" for p in retrieve["parameters"])
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert {"405", "406", "500", "503"} <= set(responses), (method, path)
        if "requestBody" in operation:
            assert "415" in responses, (method, path)
        for code, response in responses.items():
            if int(code) >= 400:
                error = response["content"]["application/json"]["schema"]
                assert error == {"$ref": "#/components/schemas/Error"}, (method, path, code)
        for code in ("429", "503"):
            if code in responses:
                assert "Retry-After" in responses[code]["headers"], (method, path, code)


def test_an_exporters_matched_measures_are_declared_as_a_page_of_fits(schema):
    operation = schema["paths"]["/api/v1/exporters/me/support-measures/"]["get"]
    assert {"page", "page_size"} <= {p["name"] for p in operation["parameters"]}
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert page == {"$ref": "#/components/schemas/PaginatedFitList"}
    paged = schema["components"]["schemas"]["PaginatedFitList"]
    assert set(paged["required"]) == {"count", "next", "previous", "results"}
    assert paged["properties"]["results"]["items"] == {"$ref": "#/components/schemas/Fit"}
    assert {"400", "404"} <= set(operation["responses"])


def test_fields_always_present_are_required_and_field_errors_are_typed(schema):
    components = schema["components"]["schemas"]
    milestone = components["Milestone"]
    assert set(milestone["required"]) == set(milestone["properties"])
    error_items = components["Error"]["properties"]["fields"]["additionalProperties"]["items"]
    assert error_items == {"$ref": "#/components/schemas/FieldError"}
    assert set(components["FieldError"]["required"]) == {"code", "message"}


def test_an_unknown_ordering_is_refused_not_ignored(api, manager):
    client = api.as_user(manager)
    assert client.get("/api/v1/milestones/", {"ordering": "-planned_due_on,id"}).status_code == 200
    response = client.get("/api/v1/milestones/", {"ordering": "password"})
    assert response.status_code == 400
    assert response.json()["fields"]["ordering"][0]["code"] == "invalid_ordering"
