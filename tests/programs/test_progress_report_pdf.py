"""The approved quarterly report as an official document: a PDF with its period as staff name
it, the initiative, the narrative, the frozen figures with their units, who submitted and
approved it and when, in Japanese; read by exactly those who may read the report, and refused
in the API's JSON error shape."""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.utils import timezone
from pypdf import PdfReader

from programs.api.report_pdf import TRUETYPE_FONTS
from programs.models import Health, KPIUnit, ProgressReport, WorkStatus
from programs.reporting import labels
from programs.services.progress_reports import (
    progress_report_approve,
    progress_report_create,
    progress_report_submit,
    progress_report_update,
)
from tests.factories import (
    KPIFactory,
    KPIMeasurementFactory,
    MilestoneFactory,
    StrategicFieldFactory,
    UserFactory,
)
from tests.support.documents import pdf_fonts
from tests.support.installed import missing

pytestmark = pytest.mark.django_db
CODES = [*WorkStatus.values, *Health.values, *KPIUnit.values, "on_track", "at_risk",
         "off_track", "no_trend", "approved", "submitted", "2026-Q4", "ENERGY_GX"]
RAW_CODES = re.compile(r"(?<![A-Za-z_])(" + "|".join(CODES) + r")(?![A-Za-z_])")


def at(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))


@pytest.fixture
def approved(officer, own_initiative):
    officer.last_name, officer.first_name = "山田", "花子"
    officer.save()
    manager = UserFactory(role="manager", username="kacho", last_name="佐藤", first_name="健")
    own_initiative.name_ja = "農林水産物・食品の輸出拡大"
    own_initiative.save()
    own_initiative.fields.add(StrategicFieldFactory(
        code="ENERGY_GX", name_ja="資源・エネルギー安全保障・GX",
        name_en="Resources, energy security and GX"))
    MilestoneFactory(initiative=own_initiative, title_ja="輸出商談会の開催", health="red",
                     status="in_progress", planned_due_on=date(2026, 11, 20),
                     baseline_due_on=date(2026, 10, 31))
    exports = KPIFactory(initiative=own_initiative, code="AGRIFOOD", name_ja="農林水産物輸出額",
                         unit=KPIUnit.TRILLION_JPY, baseline_value=Decimal("1.7"),
                         baseline_year=2025, target_value=Decimal("5"), target_year=2030)
    KPIMeasurementFactory(kpi=exports, period_on=date(2024, 12, 31), value=Decimal("1.5"))
    KPIMeasurementFactory(kpi=exports, period_on=date(2025, 12, 31), value=Decimal("1.7"))
    report = progress_report_create(initiative=own_initiative, period="2026-Q4", by=officer)
    narrative = "商談会を開催し、成約が増えた。\n課題: 物流費の高騰。"
    progress_report_update(report=report, by=officer, data={"narrative": narrative})
    progress_report_submit(report=report, by=officer)
    progress_report_approve(report=report, by=manager)
    ProgressReport.objects.filter(pk=report.pk).update(
        submitted_at=at(date(2026, 11, 30)), reviewed_at=at(date(2026, 12, 1)))
    return ProgressReport.objects.get(pk=report.pk)


def pdf_text(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    return pages


def test_the_approved_report_pdf_reads_as_an_official_document(api, manager, approved):
    response = api.as_user(manager).get(f"/api/v1/progress-reports/{approved.pk}/pdf/")
    assert "attachment" in response["Content-Disposition"]
    pages = pdf_text(response)
    flat = "".join("".join(page.split()) for page in pages)
    assert "四半期進捗報告書" in flat
    assert "2026年度第3四半期(10–12月)" in flat  # the period as staff name it
    assert "農林水産物・食品の輸出拡大" in flat
    assert "商談会を開催し、成約が増えた。" in flat and "課題:物流費の高騰。" in flat
    assert "提出者山田花子" in flat and "提出日2026年11月30日" in flat
    assert "承認者佐藤健" in flat and "承認日2026年12月1日" in flat
    assert "承認済み" in flat
    assert "1.7兆円" in flat and "5兆円" in flat  # frozen KPI figures, with their unit
    assert "輸出商談会の開催" in flat and "赤（遅延・問題あり）" in flat
    assert "分野別" in flat and "資源・エネルギー安全保障・GX" in flat  # the field by its name
    assert not RAW_CODES.findall(flat), RAW_CODES.findall(flat)
    for number, page in enumerate(pages, start=1):
        assert f"{number}/{len(pages)}ページ" in "".join(page.split())


def test_the_pdf_is_saved_under_a_japanese_name(api, manager, approved):
    response = api.as_user(manager).get(f"/api/v1/progress-reports/{approved.pk}/pdf/")
    ascii_name, name = response["Content-Disposition"].split("; filename*=UTF-8''")
    code = approved.initiative.code
    assert ascii_name == f'attachment; filename="progress-report-{code}-2026-Q4.pdf"'
    # The period as staff name it, its spaces made underscores as in the other reports' names.
    assert unquote(name) == ("四半期進捗報告書-農林水産物・食品の輸出拡大-"
                             "2026年度_第3四半期_(10–12月).pdf")


def test_every_page_carries_the_date_of_the_frozen_figures(api, manager, approved):
    pages = pdf_text(api.as_user(manager).get(f"/api/v1/progress-reports/{approved.pk}/pdf/"))
    day = "".join(labels.day(approved.figures_as_of).split())
    for page in pages:
        assert f"承認済み基準日{day}" in "".join(page.split())


def test_no_date_figure_or_name_wraps_inside_itself(api, manager, approved):
    pages = pdf_text(api.as_user(manager).get(f"/api/v1/progress-reports/{approved.pk}/pdf/"))
    lines = [line.strip() for page in pages for line in page.splitlines()]
    for value in ("2026年12月1日", "2026年11月30日", "1.7兆円", "AGRIFOOD", "佐藤 健"):
        assert any(value in line for line in lines), value


def test_every_font_the_pdf_uses_is_embedded(api, manager, approved):
    if not TRUETYPE_FONTS[0].is_file():
        missing("needs fonts-ipaexfont (make fonts installs it)")
    response = api.as_user(manager).get(f"/api/v1/progress-reports/{approved.pk}/pdf/")
    fonts = pdf_fonts(response.content)
    assert fonts and all(fonts.values()), fonts  # no Helvetica left to the viewer


def test_the_pdf_is_in_english_for_an_english_reader(api, manager, approved):
    pages = pdf_text(api.as_user(manager).get(f"/api/v1/progress-reports/{approved.pk}/pdf/",
                                              HTTP_ACCEPT_LANGUAGE="en"))
    text = " ".join(pages)
    assert "FY2026 Q3 (Oct–Dec)" in text and "1 December 2026" in text
    flat = "".join(text.split())
    assert "Resources,energysecurityandGX" in flat and "ENERGY_GX" not in flat


def test_the_officer_of_the_initiative_reads_it_too(api, officer, approved):
    pdf_text(api.as_user(officer).get(f"/api/v1/progress-reports/{approved.pk}/pdf/"))


def test_another_officer_gets_a_json_not_found(api, other_officer, approved):
    response = api.as_user(other_officer).get(f"/api/v1/progress-reports/{approved.pk}/pdf/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "Content-Disposition" not in response
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("who", ["exporter", None])
def test_an_exporter_or_a_stranger_gets_a_json_refusal(api, request, who, approved):
    user = request.getfixturevalue(who) if who else None
    response = api.as_user(user).get(f"/api/v1/progress-reports/{approved.pk}/pdf/")
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")
    assert "Content-Disposition" not in response


def test_a_report_whose_stored_figures_are_partial_still_prints(api, manager, approved):
    ProgressReport.objects.filter(pk=approved.pk).update(figures={"milestones": {"total": 7}})
    flat = "".join("".join(page.split()) for page in pdf_text(
        api.as_user(manager).get(f"/api/v1/progress-reports/{approved.pk}/pdf/")))
    assert "商談会を開催し、成約が増えた。" in flat


def test_the_review_page_names_the_field_not_its_code(client, manager, approved):
    client.force_login(manager)
    html = client.get(f"/admin/programs/progressreport/{approved.pk}/change/").content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert "資源・エネルギー安全保障・GX" in text
    assert not RAW_CODES.findall(text), RAW_CODES.findall(text)


@pytest.mark.parametrize(("language", "name"), [("ja", "資源・エネルギー安全保障・GX"),
                                                 ("en", "Resources, energy security and GX")])
def test_the_report_csv_names_the_field_in_the_readers_language(api, manager, approved,
                                                                language, name):
    response = api.as_user(manager).get("/api/v1/reports/portfolio/", {"format": "csv"},
                                        HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content[:300]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    field_rows = [row for row in rows if name in row]
    assert field_rows and all("ENERGY_GX" not in row for row in rows)


def test_a_long_initiative_name_never_runs_into_the_as_of_date(api, manager, approved):
    from reportlab.pdfbase import pdfmetrics

    from programs.api.report_pdf import FONT

    approved.initiative.name_ja = "アジア・ゼロエミッション共同体（AZEC）の枠組みを活用した" * 3
    approved.initiative.save()
    response = api.as_user(manager).get(f"/api/v1/progress-reports/{approved.pk}/pdf/")
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    drawn = []  # (x, text) of what is drawn on the header's line, near the top of the page
    top = float(page.mediabox.top)

    def keep(text, _cm, tm, _font, _size):
        if text.strip() and tm[5] > top - 40:
            drawn.append((tm[4], text.strip()))

    page.extract_text(visitor_text=keep)
    scope_x, as_of_x = min(x for x, _text in drawn), max(x for x, _text in drawn)
    scope = " ".join(text for x, text in drawn if x == scope_x)
    as_of = " ".join(text for x, text in drawn if x == as_of_x)
    assert scope.startswith("四半期進捗報告書 — 2026年度 第3四半期")
    assert "アジア・ゼロエミッション" in scope and scope.endswith("…")
    assert as_of == "承認済み 基準日 " + labels.day(approved.figures_as_of)
    assert scope_x + pdfmetrics.stringWidth(scope, FONT, 8) < as_of_x
