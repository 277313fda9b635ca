"""A report download that is refused answers in the API's JSON error shape, whatever format
was asked for: a client parses every error the same way."""

import pytest

from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "pdf", "pptx"])
def test_a_refused_download_is_a_json_error(api, exporter, file_format):
    response = api.as_user(exporter).get(f"/api/v1/reports/portfolio/?format={file_format}")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert "Content-Disposition" not in response
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "pdf", "pptx"])
def test_a_bad_date_on_a_download_is_a_json_error(api, manager, file_format):
    initiative = InitiativeFactory()
    response = api.as_user(manager).get(
        f"/api/v1/reports/initiatives/{initiative.pk}/?format={file_format}&as_of=9999-12-31")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "date_out_of_range"
