"""A failure inside the API answers in the API's error shape and tells nothing of the code;
every JSON body, the lockout's and the 503's too, is UTF-8 text like the rest."""

import json

import pytest
from django.db import OperationalError

from programs.api import reports

pytestmark = pytest.mark.django_db
SECRET = "password=hunter2 at /srv/tracker/programs/selectors/reports.py line 42"


@pytest.fixture
def failing_report(monkeypatch):
    def fail(**kwargs):
        raise RuntimeError(SECRET)

    monkeypatch.setattr(reports, "progress_report", fail)


def body(response):
    """The JSON body, checked to be UTF-8 text without \\u escapes."""
    assert response["Content-Type"].startswith("application/json")
    text = response.content.decode("utf-8")
    assert "\\u" not in text
    return json.loads(text)


def test_an_unexpected_failure_is_a_500_in_the_error_shape(api, manager, failing_report,
                                                           caplog):
    client = api.as_user(manager)
    client.raise_request_exception = False
    response = client.get("/api/v1/reports/portfolio/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 500
    error = body(response)
    assert error["code"] == "server_error" and error["fields"] == {}
    assert "サーバー" in error["detail"]
    for leak in ("hunter2", "RuntimeError", "Traceback", "/srv/", "reports.py"):
        assert leak not in response.content.decode()
    # The administrators still get the traceback, in the log.
    assert any(record.exc_info and SECRET in str(record.exc_info[1])
               for record in caplog.records)


def test_the_500_message_follows_the_callers_language(api, manager, failing_report):
    client = api.as_user(manager)
    client.raise_request_exception = False
    response = client.get("/api/v1/reports/portfolio/", HTTP_ACCEPT_LANGUAGE="en")
    assert body(response)["detail"].startswith("Something went wrong on the server")


def test_a_download_that_fails_is_a_json_500_too(api, manager, failing_report):
    client = api.as_user(manager)
    client.raise_request_exception = False
    response = client.get("/api/v1/reports/portfolio/", {"format": "pdf"})
    assert (response.status_code, body(response)["code"]) == (500, "server_error")


def test_a_lost_database_is_still_a_503_in_utf8(api, manager, monkeypatch):
    def lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(reports, "progress_report", lost)
    client = api.as_user(manager)
    client.raise_request_exception = False
    response = client.get("/api/v1/reports/portfolio/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 503 and response["Retry-After"]
    error = body(response)
    assert error["code"] == "database_unavailable"
    assert "データベース" in error["detail"]


def test_the_lockout_answer_is_utf8(client, officer):
    for _ in range(6):
        response = client.post("/api/v1/auth/token/",
                               {"username": officer.username, "password": "wrong"},
                               content_type="application/json", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 429
    error = body(response)
    assert error["code"] == "account_locked"
    assert any("\u3040" <= char <= "\u9fff" for char in error["detail"])


def test_pages_outside_the_api_keep_djangos_own_500(client, manager, monkeypatch):
    from programs.admin import report_pages

    monkeypatch.setattr(report_pages, "progress_report",
                        lambda **kwargs: (_ for _ in ()).throw(RuntimeError(SECRET)))
    client.force_login(manager)
    client.raise_request_exception = False
    response = client.get("/admin/reports/")
    assert response.status_code == 500
    assert "hunter2" not in response.content.decode()
    assert not response["Content-Type"].startswith("application/json")


def test_the_health_checks_answer_utf8_json(client):
    assert body(client.get("/health/")) == {"status": "ok"}
    ready = client.get("/health/ready/")
    assert body(ready)["checks"]["database"] == "ok"
