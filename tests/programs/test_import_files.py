"""Files that cannot be imported get a clear reason and write nothing: not a spreadsheet, too
large, formulas, macros, hidden sheets, too many rows, merged cells, empty. Formula cells are
refused, never evaluated."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from programs.models import ImportUpload, Milestone
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

API_URL = "/api/v1/imports/milestones/"
HEADINGS = ["ID", "バージョン", "施策コード", "マイルストーン", "進捗率"]


def workbook(rows=None, change=None):
    book = Workbook()
    sheet = book.active
    sheet.title = "マイルストーン"
    for row in [HEADINGS, *(rows or [])]:
        sheet.append(row)
    if change:
        change(book, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def milestone(officer, own_initiative):
    return MilestoneFactory(initiative=own_initiative, owner=officer)


def row_of(milestone, percent=50):
    return [milestone.pk, milestone.version, milestone.initiative.code, milestone.title_ja,
            percent]


def with_macro(content):
    """The same workbook with a VBA project inside, as Excel saves an .xlsm."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 512)
    return out.getvalue()


def merged(book, sheet):
    sheet.merge_cells("D2:E2")


def formula(book, sheet):
    sheet["E2"] = "=40+10"


def hidden_sheet(book, sheet):
    book.create_sheet("隠しシート").sheet_state = "hidden"


def hidden_row(book, sheet):
    sheet.row_dimensions[2].hidden = True


def many_rows_csv(milestone, count):
    lines = [",".join(HEADINGS)] + [",".join(str(v) for v in row_of(milestone))] * count
    return "\r\n".join(lines).encode("utf-8-sig")


BAD_FILES = {
    "a PNG image": (lambda m: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not_a_spreadsheet"),
    "a PDF": (lambda m: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n\x00\x01",
              "not_a_spreadsheet"),
    "an old .xls": (lambda m: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
                    "not_a_spreadsheet"),
    "a Word document (a zip without a workbook)": (
        lambda m: _zip({"word/document.xml": b"<w:document/>"}), "not_a_spreadsheet"),
    "a damaged workbook": (lambda m: workbook([row_of(m)])[:3000], "not_a_spreadsheet"),
    "formulas": (lambda m: workbook([row_of(m)], formula), "formulas_not_allowed"),
    "a formula in a CSV": (
        lambda m: f"{','.join(HEADINGS)}\r\n{m.pk},1,X,=1+1,5\r\n".encode(),
        "formulas_not_allowed"),
    "macros": (lambda m: with_macro(workbook([row_of(m)])), "macros_not_allowed"),
    "a hidden sheet": (lambda m: workbook([row_of(m)], hidden_sheet), "hidden_sheets"),
    "a hidden row with values": (lambda m: workbook([row_of(m)], hidden_row), "hidden_cells"),
    "merged cells": (lambda m: workbook([row_of(m)], merged), "merged_cells"),
    "thousands of rows": (lambda m: many_rows_csv(m, 3000), "too_many_rows"),
    "thousands of rows in a workbook": (lambda m: workbook([row_of(m)] * 1500),
                                        "too_many_rows"),
    "an empty file": (lambda m: b"", "empty_file"),
    "headings only": (lambda m: workbook([]), "empty_file"),
    "an empty workbook": (lambda m: _empty_workbook(), "empty_file"),
    "UTF-16 text": (lambda m: "ID,バージョン\r\n1,1\r\n".encode("utf-16"), "not_a_spreadsheet"),
    "neither UTF-8 nor Shift_JIS": (lambda m: b"ID,\x81\xff\xfe\x80\r\n", "unreadable_encoding"),
    "columns that are not ours": (lambda m: b"name,price\r\napple,100\r\n", "missing_columns"),
}


def _zip(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    return out.getvalue()


def _empty_workbook():
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_file_is_refused_with_its_reason_and_nothing_is_written(api, officer, milestone,
                                                                     case):
    make, code = BAD_FILES[case]
    before = (Milestone.history.count(), Milestone.objects.get(pk=milestone.pk).version)
    response = api.as_user(officer).post(
        API_URL, {"file": SimpleUploadedFile("file.xlsx", make(milestone))}, format="multipart")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code
    assert body["fields"]["file"][0]["code"] == code
    assert body["fields"]["file"][0]["message"]  # in Japanese, by default
    assert (Milestone.history.count(), Milestone.objects.get(pk=milestone.pk).version) == before


def test_a_file_over_the_size_limit_is_refused_with_the_limit_stated(api, officer, milestone,
                                                                      settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    content = many_rows_csv(milestone, 30_000)
    assert 1024 * 1024 < len(content) < 2 * 1024 * 1024
    response = api.as_user(officer).post(
        API_URL, {"file": SimpleUploadedFile("big.csv", content)}, format="multipart")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert response.json()["detail"] == "ファイルが大きすぎます（上限 1 MB）。"
    assert Milestone.objects.get(pk=milestone.pk).percent_complete == 0


def test_the_limit_is_stated_in_megabytes(api, officer, milestone):
    big = b"ID," + b"x" * (2 * 1024 * 1024 + 10)
    response = api.as_user(officer).post(
        API_URL, {"file": SimpleUploadedFile("big.csv", big)}, format="multipart")
    assert response.status_code == 413
    assert "2 MB" in response.json()["detail"]


def test_formula_cells_are_refused_even_with_a_cached_value(api, officer, milestone):
    """A formula's cached result is whatever the file's author wrote: it is not read."""

    def cached_formula(book, sheet):
        sheet["E2"] = "=HYPERLINK(\"http://example.com\",90)"

    response = api.as_user(officer).post(
        API_URL, {"file": SimpleUploadedFile("f.xlsx", workbook([row_of(milestone)],
                                                                cached_formula))},
        format="multipart")
    assert response.json()["code"] == "formulas_not_allowed"
    assert "E2" in response.json()["fields"]["file"][0]["message"]


def test_bad_file_in_the_admin_shows_the_reason_and_keeps_nothing(client, officer, milestone):
    client.force_login(officer)
    response = client.post(reverse("admin:programs_milestone_import"), {
        "file": SimpleUploadedFile("f.xlsx", workbook([row_of(milestone)], merged))})
    assert response.status_code == 400
    assert "結合されたセル" in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_missing_file_and_bad_dry_run_are_400_in_the_error_shape(api, officer):
    client = api.as_user(officer)
    missing = client.post(API_URL, {}, format="multipart")
    assert missing.status_code == 400 and missing.json()["code"] == "required"
    bad = client.post(API_URL + "?dry_run=yes",
                      {"file": SimpleUploadedFile("a.csv", b"ID\r\n1\r\n")}, format="multipart")
    assert bad.status_code == 400 and bad.json()["fields"]["dry_run"][0]["code"] == "invalid"


def test_a_large_file_in_the_admin_is_refused_with_the_limit_before_it_is_read(
        client, officer, milestone, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(officer)
    response = client.post(reverse("admin:programs_milestone_import"), {
        "file": SimpleUploadedFile("big.csv", many_rows_csv(milestone, 30_000))})
    assert response.status_code == 400
    assert "ファイルが大きすぎます（上限 1 MB）" in response.content.decode()
    assert not ImportUpload.objects.exists()
