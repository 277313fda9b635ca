"""KPI measurements and country actions come in from spreadsheets too, by the same rules; and
an import is written whole or not at all."""

import io
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from programs.imports.applying import import_apply
from programs.imports.kinds import KINDS
from programs.imports.planning import plan_import
from programs.imports.reading import read_table
from programs.models import CountryAction, KPIMeasurement, Milestone, WorkStatus
from programs.services.milestones import milestone_update
from tests.factories import (
    CountryActionFactory,
    CountryPlanFactory,
    InitiativeFactory,
    KPIFactory,
    KPIMeasurementFactory,
    MilestoneFactory,
    UserFactory,
)
from tracker.errors import Conflict


def csv_file(rows, encoding="utf-8-sig"):
    return ("\r\n".join(",".join(str(v) for v in row) for row in rows) + "\r\n").encode(encoding)


def post(api, user, kind, content, *, dry_run=False, name="file.csv"):
    return api.as_user(user).post(
        f"/api/v1/imports/{kind}/" + ("?dry_run=true" if dry_run else ""),
        {"file": SimpleUploadedFile(name, content)}, format="multipart")


@pytest.mark.django_db
def test_kpi_values_are_recorded_corrected_and_refused_by_the_same_rules(
        api, officer, own_initiative, others_initiative):
    kpi = KPIFactory(code="FOOD-EXPORTS", initiative=own_initiative)
    others_kpi = KPIFactory(code="OTHER-KPI", initiative=others_initiative)
    recorded = KPIMeasurementFactory(kpi=kpi, period_on=date(2025, 12, 31),
                                     value=Decimal("1.7"))
    unchanged = KPIMeasurementFactory(kpi=kpi, period_on=date(2024, 12, 31),
                                      value=Decimal("1.5"))
    content = csv_file([
        ["KPIコード", "対象期間の末日", "実績値", "出典", "バージョン"],
        ["FOOD-EXPORTS", "2026年12月31日", "2.1", "農林水産省 輸出統計", ""],
        ["FOOD-EXPORTS", "2025/12/31", "1.8", "", recorded.version],
        ["FOOD-EXPORTS", "2024/12/31", "1.5", "", unchanged.version],
        ["OTHER-KPI", "2026/12/31", "9", "", ""],
        ["NO-SUCH-KPI", "2026/12/31", "9", "", ""],
        ["FOOD-EXPORTS", "2023/12/31", "一兆円", "", ""],
    ], "cp932")
    body = post(api, officer, "kpi-measurements", content).json()
    assert [(row["outcome"], row["code"]) for row in body["rows"]] == [
        ("new", ""), ("changed", ""), ("unchanged", ""), ("refused", "not_yours"),
        ("refused", "unknown_kpi"), ("refused", "invalid_number")]
    assert body["rows"][1]["changes"][0] == {"field": "value", "column": "実績値",
                                             "old": "1.7", "new": "1.8"}
    new = KPIMeasurement.objects.get(kpi=kpi, period_on=date(2026, 12, 31))
    assert (new.value, new.source, new.recorded_by) == (Decimal("2.1"), "農林水産省 輸出統計",
                                                        officer)
    assert KPIMeasurement.objects.get(pk=recorded.pk).value == Decimal("1.8")
    assert not KPIMeasurement.objects.filter(kpi=others_kpi).exists()
    assert new.history.first().history_change_reason.startswith("import: file.csv")


@pytest.mark.django_db
def test_a_kpi_value_recorded_since_the_export_is_not_overwritten(api, officer, own_initiative):
    kpi = KPIFactory(code="JETRO-OFFICES", initiative=own_initiative)
    KPIMeasurementFactory(kpi=kpi, period_on=date(2026, 3, 31), value=Decimal("76"))
    content = csv_file([["KPIコード", "対象期間の末日", "実績値"],
                        ["JETRO-OFFICES", "2026/03/31", "77"]])
    row = post(api, officer, "kpi-measurements", content).json()["rows"][0]
    assert (row["outcome"], row["code"]) == ("refused", "already_recorded")
    assert KPIMeasurement.objects.get(kpi=kpi).value == Decimal("76")


@pytest.mark.django_db
def test_country_actions_change_owner_status_and_dates_but_none_is_added(
        client, api, officer, own_initiative):
    plan = CountryPlanFactory(initiative=own_initiative)
    first, second = (CountryActionFactory(plan=plan, text_ja=text)
                     for text in ("エネルギー協力を推進", "人材交流を拡大"))
    foreign = CountryActionFactory(plan=CountryPlanFactory(initiative=InitiativeFactory()))
    client.force_login(officer)
    book = load_workbook(io.BytesIO(client.get(
        reverse("admin:programs_countryaction_import_template")).content))
    sheet = book.worksheets[0]
    columns = {cell.value: cell.column for cell in sheet[1]}
    assert [sheet.cell(row=r, column=columns["ID"]).value for r in (2, 3)] == [first.pk,
                                                                              second.pk]
    sheet.cell(row=2, column=columns["ステータス"], value="進行中")
    sheet.cell(row=2, column=columns["担当者"], value=officer.username)
    sheet.cell(row=3, column=columns["期限"], value="2027/03/31")
    sheet.cell(row=3, column=columns["アクション（日本語）"], value="書き換えても取り込まれない")
    sheet.cell(row=4, column=columns["ID"], value=foreign.pk)
    sheet.cell(row=4, column=columns["バージョン"], value=foreign.version)
    sheet.cell(row=4, column=columns["ステータス"], value="中止")
    sheet.cell(row=5, column=columns["アクション（日本語）"], value="新しいアクション")
    sheet.cell(row=5, column=columns["ステータス"], value="未着手")
    out = io.BytesIO()
    book.save(out)
    body = post(api, officer, "country-actions", out.getvalue(), name="actions.xlsx").json()
    assert [(row["outcome"], row["code"]) for row in body["rows"]] == [
        ("changed", ""), ("changed", ""), ("refused", "not_yours"), ("refused", "cannot_add")]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.owner) == (WorkStatus.IN_PROGRESS, officer)
    assert (second.due_on, second.text_ja) == (date(2027, 3, 31), "人材交流を拡大")
    assert CountryAction.objects.get(pk=foreign.pk).status == WorkStatus.NOT_STARTED


@pytest.mark.django_db
def test_import_buttons_sit_on_the_kpi_and_country_action_lists(client, officer):
    client.force_login(officer)
    for changelist, upload in (("admin:programs_kpi_changelist",
                                "admin:programs_kpi_import"),
                               ("admin:programs_countryaction_changelist",
                                "admin:programs_countryaction_import")):
        assert reverse(upload) in client.get(reverse(changelist)).content.decode()
        assert client.get(reverse(upload)).status_code == 200


@pytest.mark.django_db
def test_if_one_row_fails_when_written_no_row_is_written(officer, own_initiative,
                                                         administrator):
    """Planned, then someone changes one of the records before the officer confirms: writing
    stops at that row and the rows before it are rolled back."""
    milestones = [MilestoneFactory(initiative=own_initiative, owner=officer) for _ in range(3)]
    content = csv_file([["ID", "バージョン", "施策コード", "マイルストーン", "進捗率"],
                        *[[m.pk, m.version, own_initiative.code, m.title_ja, 50]
                          for m in milestones]])
    plan = plan_import(kind=KINDS["milestones"], table=read_table(content), user=officer)
    assert len(plan.accepted()) == 3
    milestone_update(milestone=milestones[2], by=administrator, data={"title_en": "changed"})
    before = Milestone.history.count()
    with pytest.raises(Conflict) as refused:
        import_apply(plan=plan, by=officer, file_name="a.csv", content=content)
    assert refused.value.code == "stale_version" and "4 行目" in refused.value.messages[0]
    assert Milestone.history.count() == before
    assert not Milestone.objects.filter(percent_complete=50).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs concurrent writers: PostgreSQL (CI runs it there)")
def test_two_officers_importing_at_once_never_half_apply_and_never_overwrite():
    """Two officers of one initiative import files made from the same export at the same
    moment: each file's rows are written whole or refused, never interleaved."""
    owner, member = UserFactory(role="officer"), UserFactory(role="officer")
    initiative = InitiativeFactory(owner=owner)
    initiative.members.add(member)
    milestones = [MilestoneFactory(initiative=initiative, owner=owner) for _ in range(20)]
    files = {person.pk: csv_file([["ID", "バージョン", "施策コード", "マイルストーン", "進捗率"],
                                  *[[m.pk, m.version, initiative.code, m.title_ja, percent]
                                    for m in milestones]])
             for person, percent in ((owner, 30), (member, 70))}
    results, barrier = {}, threading.Barrier(2)

    def run(person):
        client = APIClient()
        client.force_authenticate(person)
        barrier.wait()
        response = client.post("/api/v1/imports/milestones/", {
            "file": SimpleUploadedFile("a.csv", files[person.pk])}, format="multipart")
        results[person.pk] = (response.status_code, response.json())
        connection.close()

    threads = [threading.Thread(target=run, args=(person,)) for person in (owner, member)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    written = [body.get("written", 0) for _status, body in results.values()]
    percents = set(Milestone.objects.values_list("percent_complete", flat=True))
    assert sorted(written) == [0, 20], results
    assert len(percents) == 1  # one file whole, the other not at all
    assert Milestone.history.filter(history_change_reason__startswith="import:").count() == 20
