"""A report download that is refused answers in the API's JSON error shape, whatever format
was asked for: a client parses every error the same way."""

import pytest

from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db
FORMATS = ("csv", "xlsx", "pdf", "pptx")


@pytest.mark.parametrize("path", [
    *[f"/api/v1/reports/portfolio/?format={file_format}" for file_format in FORMATS],
    *[f"/api/v1/reports/portfolio/{file_format}/" for file_format in FORMATS]])
def test_a_refused_download_is_a_json_error(api, exporter, path):
    response = api.as_user(exporter).get(path)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert "Content-Disposition" not in response
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("route", [
    *[f"?format={file_format}&" for file_format in FORMATS],
    *[f"{file_format}/?" for file_format in FORMATS]])
def test_a_bad_date_on_a_download_is_a_json_error(api, manager, route):
    initiative = InitiativeFactory()
    response = api.as_user(manager).get(
        f"/api/v1/reports/initiatives/{initiative.pk}/{route}as_of=9999-12-31")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "date_out_of_range"
