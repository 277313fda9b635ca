"""Officers update many milestones at once from Excel: export their milestones, edit them, import
the file. A preview shows what each row would do before anything is saved; the rows go through
the same services (rights, workflow, versions, history) as every other write."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from programs.models import Health, Milestone, WorkStatus
from programs.services.milestones import milestone_update
from tests.factories import InitiativeFactory, MilestoneFactory, UserFactory

pytestmark = pytest.mark.django_db

TEMPLATE_URL = "admin:programs_milestone_import_template"
UPLOAD_URL = "admin:programs_milestone_import"
API_URL = "/api/v1/imports/milestones/"


def today():
    return timezone.localdate()


def exported_workbook(client, user, blank=False):
    client.force_login(user)
    response = client.get(reverse(TEMPLATE_URL) + ("?blank=1" if blank else ""))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(response.content))


def headings(sheet):
    return {cell.value: cell.column for cell in sheet[1]}


def rows_by_id(sheet):
    columns = headings(sheet)
    return {sheet.cell(row=row, column=columns["ID"]).value: row
            for row in range(2, sheet.max_row + 1)}


def set_cell(sheet, row, heading, value):
    sheet.cell(row=row, column=headings(sheet)[heading], value=value)


def saved(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def import_via_api(api, user, content, *, dry_run, name="工程表.xlsx"):
    client = api.as_user(user)
    url = API_URL + ("?dry_run=true" if dry_run else "")
    return client.post(url, {"file": upload(name, content)}, format="multipart")


@pytest.fixture
def officers_milestones(officer, own_initiative):
    return [MilestoneFactory(initiative=own_initiative, owner=officer,
                             planned_due_on=today() + timedelta(days=10 * n),
                             baseline_due_on=today() + timedelta(days=10 * n))
            for n in range(1, 9)]


def history_count():
    return Milestone.history.count()


# --- the round trip ----------------------------------------------------------------------------

def edit_five_add_two(book, milestones, initiative, officer):
    """The officer's edits in Excel: five rows changed, two rows added."""
    sheet = book.worksheets[0]
    row_of = rows_by_id(sheet)
    first, second, third, fourth, fifth = milestones[:5]
    set_cell(sheet, row_of[first.pk], "ステータス", "進行中")
    set_cell(sheet, row_of[second.pk], "予定期限", date(2026, 12, 1) + timedelta(days=400))
    set_cell(sheet, row_of[third.pk], "健全性", "赤（遅延・問題あり）")
    set_cell(sheet, row_of[fourth.pk], "進捗率", 40)
    set_cell(sheet, row_of[fifth.pk], "マイルストーン", "第5回閣僚会合で共同声明を採択")
    last = sheet.max_row
    for offset, title in enumerate(("新規案件の形成調査に着手", "官民ミッションを派遣"), start=1):
        for heading, value in (("施策コード", initiative.code), ("マイルストーン", title),
                               ("担当者", officer.username),
                               ("予定期限", f"2027年{offset}月15日")):
            set_cell(sheet, last + offset, heading, value)
    return saved(book)


def test_round_trip_export_edit_import_lists_exactly_the_edits_and_saves_them(
        client, officer, own_initiative, officers_milestones):
    book = exported_workbook(client, officer)
    assert sorted(rows_by_id(book.worksheets[0])) == sorted(m.pk for m in officers_milestones)
    content = edit_five_add_two(book, officers_milestones, own_initiative, officer)
    before = history_count()

    response = client.post(reverse(UPLOAD_URL), {"file": upload("工程表_12月.xlsx", content)})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    plan = preview.context["plan"]
    by_outcome = {outcome: [row for row in plan.rows if row.outcome == outcome]
                  for outcome in ("new", "changed", "unchanged", "refused")}
    assert {row.record_id: [c.field for c in row.changes] for row in by_outcome["changed"]} == {
        officers_milestones[0].pk: ["status"],
        officers_milestones[1].pk: ["planned_due_on"],
        officers_milestones[2].pk: ["health"],
        officers_milestones[3].pk: ["percent_complete"],
        officers_milestones[4].pk: ["title_ja"],
    }
    assert sorted(row.describes for row in by_outcome["new"]) == [
        "官民ミッションを派遣", "新規案件の形成調査に着手"]
    assert len(by_outcome["unchanged"]) == 3 and not by_outcome["refused"]
    page = preview.content.decode()
    assert "進行中" in page and "未着手" in page and "保存していません" in page
    # The preview wrote nothing.
    assert history_count() == before and Milestone.objects.count() == 8

    confirm = client.post(preview.request["PATH_INFO"],
                          {"fingerprint": preview.context["fingerprint"]})
    assert confirm.status_code == 302
    assert Milestone.objects.count() == 10
    first, second, third, fourth, fifth = (Milestone.objects.get(pk=m.pk)
                                          for m in officers_milestones[:5])
    assert first.status == WorkStatus.IN_PROGRESS
    assert second.planned_due_on == date(2026, 12, 1) + timedelta(days=400)
    assert third.health == Health.RED and fourth.percent_complete == 40
    assert fifth.title_ja == "第5回閣僚会合で共同声明を採択"
    added = Milestone.objects.get(title_ja="官民ミッションを派遣")
    assert (added.planned_due_on, added.baseline_due_on, added.owner) == (
        date(2027, 2, 15), date(2027, 2, 15), officer)
    imported = Milestone.history.filter(
        history_change_reason__startswith="import: 工程表_12月.xlsx")
    assert imported.count() == 7
    assert {row.history_user_id for row in imported} == {officer.pk}
    assert history_count() == before + 7


def test_confirming_twice_or_someone_elses_upload_writes_nothing(
        client, officer, other_officer, own_initiative, officers_milestones):
    book = exported_workbook(client, officer)
    set_cell(book.worksheets[0], 2, "進捗率", 55)
    response = client.post(reverse(UPLOAD_URL), {"file": upload("a.xlsx", saved(book))})
    preview_url = response["Location"]
    fingerprint = client.get(preview_url).context["fingerprint"]
    client.force_login(other_officer)
    assert client.post(preview_url, {"fingerprint": fingerprint}).status_code == 302
    assert not Milestone.objects.filter(percent_complete=55).exists()
    client.force_login(officer)
    client.post(preview_url, {"fingerprint": fingerprint})
    before = history_count()
    again = client.post(preview_url, {"fingerprint": fingerprint})  # the upload is gone
    assert again.status_code == 302 and history_count() == before


def test_a_change_between_preview_and_confirmation_shows_the_new_preview(
        client, officer, own_initiative, officers_milestones):
    book = exported_workbook(client, officer)
    set_cell(book.worksheets[0], 2, "進捗率", 55)
    preview_url = client.post(reverse(UPLOAD_URL),
                              {"file": upload("a.xlsx", saved(book))})["Location"]
    fingerprint = client.get(preview_url).context["fingerprint"]
    row_of = {v: k for k, v in rows_by_id(book.worksheets[0]).items()}
    milestone_update(milestone=Milestone.objects.get(pk=row_of[2]), by=officer,
                     data={"health": Health.AMBER})
    response = client.post(preview_url, {"fingerprint": fingerprint})
    assert response.status_code == 200
    assert response.context["changed_since"]
    assert [row.code for row in response.context["plan"].rows if row.outcome == "refused"] == [
        "stale_version"]
    assert not Milestone.objects.filter(percent_complete=55).exists()


# --- rights, versions, workflow --------------------------------------------------------------

def test_a_file_of_another_officers_initiatives_is_refused_row_by_row_and_writes_nothing(
        client, api, officer, other_officer, others_initiative):
    for _ in range(3):
        MilestoneFactory(initiative=others_initiative, owner=other_officer)
    book = exported_workbook(client, other_officer)
    sheet = book.worksheets[0]
    for row in range(2, sheet.max_row + 1):
        set_cell(sheet, row, "進捗率", 70)
    set_cell(sheet, sheet.max_row + 1, "施策コード", others_initiative.code)
    set_cell(sheet, sheet.max_row, "マイルストーン", "追加しようとした行")
    set_cell(sheet, sheet.max_row, "担当者", officer.username)
    set_cell(sheet, sheet.max_row, "予定期限", "2027/01/31")
    before = (history_count(), Milestone.objects.count())

    response = import_via_api(api, officer, saved(book), dry_run=False)
    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == {"new": 0, "changed": 0, "unchanged": 0, "refused": 4}
    assert {row["code"] for row in body["rows"]} == {"not_yours"}
    assert body["written"] == 0
    assert (history_count(), Milestone.objects.count()) == before


def test_rows_changed_by_someone_else_since_the_export_are_refused_as_stale(
        client, api, officer, own_initiative, officers_milestones, administrator):
    book = exported_workbook(client, officer)
    sheet = book.worksheets[0]
    row_of = rows_by_id(sheet)
    changed_since, untouched = officers_milestones[0], officers_milestones[1]
    milestone_update(milestone=changed_since, by=administrator, data={"percent_complete": 30})
    milestone_update(milestone=officers_milestones[2], by=administrator,
                     data={"title_en": "Changed by the administrator"})
    set_cell(sheet, row_of[changed_since.pk], "進捗率", 50)  # the officer edits it too
    set_cell(sheet, row_of[untouched.pk], "進捗率", 60)

    body = import_via_api(api, officer, saved(book), dry_run=False).json()
    outcomes = {row["id"]: (row["outcome"], row["code"]) for row in body["rows"]}
    assert outcomes[changed_since.pk] == ("refused", "stale_version")
    # Not edited by the officer, but the file holds the old English title: also refused, so
    # the administrator's change is not undone.
    assert outcomes[officers_milestones[2].pk] == ("refused", "stale_version")
    assert outcomes[untouched.pk] == ("changed", "")
    assert Milestone.objects.get(pk=changed_since.pk).percent_complete == 30
    assert Milestone.objects.get(pk=untouched.pk).percent_complete == 60
    assert Milestone.objects.get(pk=officers_milestones[2].pk).title_en == (
        "Changed by the administrator")


def csv_file(rows, encoding="utf-8-sig"):
    lines = [",".join(str(value) for value in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


CSV_HEADINGS = ["ID", "バージョン", "施策コード", "マイルストーン", "担当者", "予定期限",
                "ステータス", "完了日", "健全性", "進捗率"]


def csv_row(milestone, **changes):
    values = {"ID": milestone.pk, "バージョン": milestone.version,
              "施策コード": milestone.initiative.code, "マイルストーン": milestone.title_ja,
              "担当者": milestone.owner.username,
              "予定期限": milestone.planned_due_on.strftime("%Y/%m/%d"),
              "ステータス": "未着手", "完了日": "", "健全性": "緑", "進捗率": 0}
    values.update(changes)
    return [values[heading] for heading in CSV_HEADINGS]


def test_workflow_dates_owners_and_duplicates_are_checked_row_by_row(
        api, officer, own_initiative, officers_milestones, manager):
    first, second, third, fourth, fifth, sixth, seventh = officers_milestones[:7]
    content = csv_file([
        CSV_HEADINGS,
        csv_row(first, ステータス="完了", 完了日="2026/01/05"),  # not started -> done
        csv_row(second, 予定期限="1999/12/31"),
        csv_row(third, 担当者=manager.username),
        csv_row(fourth, 進捗率=30), csv_row(fourth, 進捗率=35),
        csv_row(fifth, 施策コード="NO-SUCH-CODE"),
        csv_row(sixth, ステータス="保留"),
        ["", "", "NO-SUCH-CODE", "新しい行", officer.username, "2027/01/01", "", "", "", ""],
        ["", "", own_initiative.code, "新しい行", officer.username, "2027/01/01", "", "", "",
         ""],

        csv_row(seventh, 担当者="no-such-person"),
    ])
    body = import_via_api(api, officer, content, dry_run=True, name="schedule.csv").json()
    codes = [(row["row"], row["outcome"], row["code"]) for row in body["rows"]]
    assert codes[:8] == [
        (2, "refused", "invalid_transition"),
        (3, "refused", "date_out_of_range"),
        (4, "refused", "invalid_owner"),
        (5, "refused", "duplicate_row"), (6, "refused", "duplicate_row"),
        (7, "refused", "initiative_mismatch"),
        (8, "refused", "invalid_choice"),
        (9, "refused", "unknown_initiative"),
    ]
    assert codes[8:] == [(10, "new", ""), (11, "refused", "unknown_owner")]
    assert "no-such-person" in body["rows"][9]["message"]
    assert "2000-01-01" in body["rows"][1]["message"]
    # A row refused for a cell still says which milestone it is.
    assert (body["rows"][1]["describes"], body["rows"][1]["id"]) == (second.title_ja, second.pk)


def test_refusal_messages_are_in_japanese_by_default_and_english_on_request(
        api, officer, own_initiative, officers_milestones):
    content = csv_file([CSV_HEADINGS, csv_row(officers_milestones[0], 施策コード="OTHER")])
    client = api.as_user(officer)
    japanese = client.post(API_URL + "?dry_run=true", {"file": upload("a.csv", content)},
                           format="multipart").json()["rows"][0]["message"]
    english = client.post(API_URL + "?dry_run=true", {"file": upload("a.csv", content)},
                          format="multipart", HTTP_ACCEPT_LANGUAGE="en").json()[
        "rows"][0]["message"]
    assert "別の施策" in japanese or "施策" in japanese
    assert "cannot move to another initiative" in english


def test_officers_cannot_move_a_baseline_through_an_import(
        api, officer, own_initiative, officers_milestones):
    milestone = officers_milestones[0]
    content = csv_file([CSV_HEADINGS + ["当初期限"],
                        csv_row(milestone) + ["2030/01/01"]])
    row = import_via_api(api, officer, content, dry_run=False, name="a.csv").json()["rows"][0]
    assert (row["outcome"], row["code"]) == ("refused", "field_not_writable")
    assert "当初期限" in row["message"]
    assert Milestone.objects.get(pk=milestone.pk).baseline_due_on == milestone.baseline_due_on


def done_milestone(initiative, owner):
    return MilestoneFactory(initiative=initiative, owner=owner, status=WorkStatus.DONE,
                            completed_on=today() - timedelta(days=3), percent_complete=100)


def test_a_percent_typed_next_to_done_that_is_not_100_is_refused_not_replaced(
        client, api, officer, own_initiative, officers_milestones):
    done = done_milestone(own_initiative, officer)
    finishing = officers_milestones[0]
    milestone_update(milestone=finishing, by=officer,
                     data={"status": WorkStatus.IN_PROGRESS, "percent_complete": 40})
    finishing.refresh_from_db()
    finished_on = (today() - timedelta(days=1)).strftime("%Y/%m/%d")
    done_on = done.completed_on.strftime("%Y/%m/%d")
    content = csv_file([
        CSV_HEADINGS,
        csv_row(done, ステータス="完了", 完了日=done_on, 進捗率=78),
        csv_row(finishing, ステータス="完了", 完了日=finished_on, 進捗率=78),
        ["", "", own_initiative.code, "完了済みの新しい行", officer.username, "2027/01/01",
         "完了", finished_on, "", 78],
    ])
    body = import_via_api(api, officer, content, dry_run=True, name="a.csv").json()
    assert [(row["outcome"], row["code"]) for row in body["rows"]] == [
        ("refused", "percent_disagrees_with_status")] * 3
    assert "78" in body["rows"][0]["message"]

    client.force_login(officer)
    preview = client.get(client.post(reverse(UPLOAD_URL),
                                     {"file": upload("a.csv", content)})["Location"])
    assert "完了したマイルストーンの進捗率は 100 % です（入力値: 78 %）" in (
        preview.content.decode())
    assert preview.context["plan"].counts()["refused"] == 3
    done.refresh_from_db()
    finishing.refresh_from_db()
    assert (done.percent_complete, finishing.status, finishing.percent_complete) == (
        100, WorkStatus.IN_PROGRESS, 40)


def test_done_with_100_or_an_empty_or_untouched_percent_is_accepted(
        api, officer, own_initiative, officers_milestones):
    done_with_100, done_left_empty = (done_milestone(own_initiative, officer)
                                      for _ in range(2))
    finishing, finishing_empty = officers_milestones[:2]
    for milestone in (finishing, finishing_empty):
        milestone_update(milestone=milestone, by=officer,
                         data={"status": WorkStatus.IN_PROGRESS, "percent_complete": 40})
        milestone.refresh_from_db()
    finished_on = (today() - timedelta(days=1)).strftime("%Y/%m/%d")
    content = csv_file([
        CSV_HEADINGS,
        csv_row(done_with_100, ステータス="完了",
                完了日=done_with_100.completed_on.strftime("%Y/%m/%d"), 進捗率=100),
        csv_row(done_left_empty, ステータス="完了",
                完了日=done_left_empty.completed_on.strftime("%Y/%m/%d"), 進捗率=""),
        # The percentage as exported: finishing the work sets 100, as the form does.
        csv_row(finishing, ステータス="完了", 完了日=finished_on, 進捗率=40),
        csv_row(finishing_empty, ステータス="完了", 完了日=finished_on, 進捗率=""),
    ])
    body = import_via_api(api, officer, content, dry_run=False, name="a.csv").json()
    assert [row["outcome"] for row in body["rows"]] == [
        "unchanged", "unchanged", "changed", "changed"], body
    for milestone in (finishing, finishing_empty):
        milestone.refresh_from_db()
        assert (milestone.status, milestone.percent_complete) == (WorkStatus.DONE, 100)


# --- encodings, labels and dates ---------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig", "utf-8"])
def test_csv_in_shift_jis_or_utf8_with_or_without_bom_is_read(
        api, officer, own_initiative, officers_milestones, encoding):
    first, second = officers_milestones[:2]
    content = csv_file([CSV_HEADINGS,
                        csv_row(first, ステータス="進行中", 予定期限="2027年3月1日",
                                健全性="黄（要注意）", 進捗率="２５％"),
                        csv_row(second, 予定期限="２０２７／０４／０２", 健全性="amber")],
                       encoding)
    body = import_via_api(api, officer, content, dry_run=False, name="工程表.csv").json()
    assert body["summary"]["changed"] == 2, body
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.planned_due_on, first.health, first.percent_complete) == (
        WorkStatus.IN_PROGRESS, date(2027, 3, 1), Health.AMBER, 25)
    assert (second.planned_due_on, second.health) == (date(2027, 4, 2), Health.AMBER)


def test_status_and_health_by_their_codes_are_read(
        api, officer, own_initiative, officers_milestones):
    milestone = officers_milestones[0]
    content = csv_file([CSV_HEADINGS,
                        csv_row(milestone, ステータス="in_progress", 健全性="AMBER")])
    body = import_via_api(api, officer, content, dry_run=False, name="a.csv").json()
    assert body["summary"]["changed"] == 1, body
    milestone.refresh_from_db()
    assert (milestone.status, milestone.health) == (WorkStatus.IN_PROGRESS, Health.AMBER)


def test_excel_dates_are_read_from_a_date_cell_or_a_serial_number(
        api, officer, own_initiative, officers_milestones):
    first, second = officers_milestones[:2]
    book = Workbook()
    sheet = book.active
    sheet.append(CSV_HEADINGS[:6])
    # A date cell, and a date cell that lost its date format (Excel's serial number:
    # 46357 is 2026/12/01).
    sheet.append([first.pk, first.version, own_initiative.code, first.title_ja,
                  officer.username, datetime(2027, 3, 1)])
    sheet.append([second.pk, second.version, own_initiative.code, second.title_ja,
                  officer.username, 46357])
    assert sheet["F2"].is_date and not sheet["F3"].is_date
    body = import_via_api(api, officer, saved(book), dry_run=False).json()
    assert body["summary"]["changed"] == 2, body
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.planned_due_on, second.planned_due_on) == (date(2027, 3, 1),
                                                             date(2026, 12, 1))


def test_headings_of_the_english_template_are_accepted_too(
        api, officer, own_initiative, officers_milestones):
    milestone = officers_milestones[0]
    content = csv_file([["ID", "version", "Initiative code", "Milestone", "Status", "Health"],
                        [milestone.pk, milestone.version, own_initiative.code,
                         milestone.title_ja, "In progress", "Red"]])
    body = import_via_api(api, officer, content, dry_run=False, name="a.csv").json()
    assert body["summary"]["changed"] == 1
    milestone.refresh_from_db()
    assert (milestone.status, milestone.health) == (WorkStatus.IN_PROGRESS, Health.RED)


def test_a_title_that_looks_like_a_formula_survives_the_round_trip(
        client, api, officer, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, owner=officer,
                                 title_ja="=HYPERLINK(\"http://example.com\")")
    book = exported_workbook(client, officer)
    sheet = book.worksheets[0]
    assert sheet.cell(row=2, column=headings(sheet)["マイルストーン"]).value.startswith("'=")
    body = import_via_api(api, officer, saved(book), dry_run=True).json()
    assert body["rows"][0]["outcome"] == "unchanged", body
    assert milestone.pk == body["rows"][0]["id"]


# --- the template ------------------------------------------------------------------------------

def test_template_offers_drop_downs_for_status_health_initiatives_and_owners(
        client, officer, own_initiative, others_initiative, officers_milestones):
    member_of = InitiativeFactory()
    member_of.members.add(officer)
    book = exported_workbook(client, officer)
    data, lists = book.worksheets[0], book["選択肢"]
    assert [sheet.sheet_state for sheet in book.worksheets] == ["visible"] * 3
    assert [cell.value for cell in data[1]] == [
        "ID", "バージョン", "施策コード", "マイルストーン", "件名（英語）", "担当者", "案件コード",
        "予定期限", "当初期限", "ステータス", "完了日", "健全性", "進捗率"]
    column_values = {lists.cell(row=1, column=c).value: [
        lists.cell(row=r, column=c).value for r in range(2, lists.max_row + 1)
        if lists.cell(row=r, column=c).value] for c in range(1, lists.max_column + 1)}
    assert column_values["ステータス"] == ["未着手", "進行中", "停滞中", "完了", "中止"]
    assert column_values["健全性"] == ["緑（順調）", "黄（要注意）", "赤（遅延・問題あり）"]
    assert sorted(column_values["施策コード"]) == sorted([own_initiative.code, member_of.code])
    assert officer.username in column_values["担当者"]
    validations = {str(v.sqref).split(":")[0]: v for v in data.data_validations.dataValidation}
    letter = {cell.value: cell.column_letter for cell in data[1]}
    assert validations[f"{letter['ステータス']}2"].type == "list"
    assert validations[f"{letter['ステータス']}2"].formula1.startswith("'選択肢'!$")
    assert validations[f"{letter['健全性']}2"].type == "list"
    assert validations[f"{letter['施策コード']}2"].type == "list"
    assert validations[f"{letter['予定期限']}2"].type == "date"
    assert validations[f"{letter['進捗率']}2"].type == "whole"
    status_cell = data.cell(row=2, column=headings(data)["ステータス"])
    assert status_cell.value == "未着手"
    assert data.cell(row=2, column=headings(data)["予定期限"]).is_date


def test_blank_template_has_the_headings_and_no_rows(client, officer, officers_milestones):
    sheet = exported_workbook(client, officer, blank=True).worksheets[0]
    assert sheet.max_row == 1 and sheet["A1"].value == "ID"


def test_a_template_of_more_milestones_than_a_file_holds_says_so_and_comes_by_initiative(
        client, api, settings, officer, own_initiative, officers_milestones):
    second_initiative = InitiativeFactory(owner=officer)
    for _ in range(2):
        MilestoneFactory(initiative=second_initiative, owner=officer)
    settings.IMPORT_MAX_ROWS = 5
    client.force_login(officer)

    response = client.get(reverse(TEMPLATE_URL))
    assert (response["X-Template-Rows"], response["X-Template-Total"]) == ("5", "10")
    book = load_workbook(io.BytesIO(response.content))
    assert book.worksheets[0].max_row == 1 + 5
    notice = book["記入方法"]["A1"].value
    assert "5" in notice and "10" in notice and "施策コード" in notice

    page = client.get(reverse(UPLOAD_URL))
    assert page.context["partial_message"] == notice
    parts = {code: (records, url) for code, records, url in page.context["template_parts"]}
    assert {code: records for code, (records, _) in parts.items()} == {
        own_initiative.code: 8, second_initiative.code: 2}
    assert parts[second_initiative.code][1] in page.content.decode()

    part = client.get(parts[second_initiative.code][1])
    assert (part["X-Template-Rows"], part["X-Template-Total"]) == ("2", "2")
    sheet = load_workbook(io.BytesIO(part.content)).worksheets[0]
    assert sorted(rows_by_id(sheet)) == sorted(
        second_initiative.milestones.values_list("pk", flat=True))
    assert load_workbook(io.BytesIO(part.content))["記入方法"]["A1"].value == "列"

    by_api = api.as_user(officer).get(API_URL + f"template/?initiative={own_initiative.code}")
    assert (by_api["X-Template-Rows"], by_api["X-Template-Total"]) == ("5", "8")


def test_a_template_that_holds_every_record_has_no_notice(
        client, officer, officers_milestones):
    client.force_login(officer)
    response = client.get(reverse(TEMPLATE_URL))
    assert (response["X-Template-Rows"], response["X-Template-Total"]) == ("8", "8")
    assert load_workbook(io.BytesIO(response.content))["記入方法"]["A1"].value == "列"
    assert "partial_message" not in client.get(reverse(UPLOAD_URL)).context


# --- who may import ----------------------------------------------------------------------------

def test_managers_and_exporters_cannot_import(client, api, manager, officers_milestones):
    client.force_login(manager)
    assert client.get(reverse(UPLOAD_URL)).status_code == 403
    assert client.get(reverse(TEMPLATE_URL)).status_code == 403
    page = client.get(reverse("admin:programs_milestone_changelist"))
    assert reverse(UPLOAD_URL) not in page.content.decode()
    response = import_via_api(api, manager, b"ID\r\n1\r\n", dry_run=True)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    exporter = UserFactory(role="exporter", is_staff=False)
    assert import_via_api(api, exporter, b"ID\r\n1\r\n", dry_run=True).status_code == 403


def test_the_import_button_is_on_the_officers_milestone_list(client, officer):
    client.force_login(officer)
    page = client.get(reverse("admin:programs_milestone_changelist")).content.decode()
    assert reverse(UPLOAD_URL) in page and "マイルストーンのインポート" in page


# --- cost --------------------------------------------------------------------------------------

@pytest.mark.parametrize("rows", [10, 100])
def test_the_preview_reads_the_same_few_queries_for_10_or_100_rows(
        api, officer, own_initiative, django_assert_max_num_queries, rows):
    milestones = [MilestoneFactory(initiative=own_initiative, owner=officer)
                  for _ in range(rows)]
    content = csv_file([CSV_HEADINGS, *[csv_row(m, 進捗率=10) for m in milestones]])
    client = api.as_user(officer)
    # The milestones named, the initiatives, the caller's editable ones and the owners, once
    # each for the whole file, inside the request's savepoint.
    with django_assert_max_num_queries(6):
        response = client.post(API_URL + "?dry_run=true", {"file": upload("a.csv", content)},
                               format="multipart")
    assert response.json()["summary"]["changed"] == rows


def test_scripts_get_the_same_template_through_the_api(api, officer, officers_milestones):
    client = api.as_user(officer)
    response = client.get(API_URL + "template/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="milestones.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sorted(rows_by_id(sheet)) == sorted(m.pk for m in officers_milestones)
    blank = client.get(API_URL + "template/?blank=true")
    assert load_workbook(io.BytesIO(blank.content)).worksheets[0].max_row == 1
    assert client.get(API_URL + "template/?blank=1").json()["fields"]["blank"][0][
        "code"] == "invalid"
