"""The briefing deck (?format=pptx): a title slide, a summary slide, a slide per pillar with
its status, next milestones and a native KPI chart; Japanese text in a face Japanese Windows
has; everything editable (no pictures); nothing spilling out of its box."""

import io
import shutil
import subprocess
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Emu

from programs.api.report_pptx import (
    BOX_PADDING,
    LINE_SPACING,
    ROW_PADDING,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    lines_needed,
)
from programs.models import Health, WorkStatus
from tests.factories import InitiativeFactory, MilestoneFactory
from tests.support.documents import shape_texts, slide_texts
from tests.support.every_code import AS_OF, build_every_code_portfolio

pytestmark = pytest.mark.django_db
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def deck(client, initiative=None):
    path = (f"/api/v1/reports/initiatives/{initiative.pk}/" if initiative
            else "/api/v1/reports/portfolio/")
    response = client.get(path, {"format": "pptx", "as_of": AS_OF.isoformat()})
    assert response.status_code == 200, response.content[:300]
    return response


def slides_of(response):
    return list(Presentation(io.BytesIO(response.content)).slides)


def test_the_portfolio_deck_has_a_title_a_summary_and_a_slide_per_pillar(api, manager,
                                                                          officer):
    build_every_code_portfolio(officer)
    response = deck(api.as_user(manager))
    assert response["Content-Type"] == PPTX
    ascii_name, name = response["Content-Disposition"].split("; filename*=UTF-8''")
    assert ascii_name == 'attachment; filename="report-portfolio-2026-12-01.pptx"'
    assert unquote(name) == "進捗報告書-通商戦略2026_全体-2026-12-01.pptx"
    texts = slide_texts(response.content)
    assert len(texts) == 2 + 4  # the four top-level initiatives
    assert texts[0][:3] == ["進捗ブリーフィング", "通商戦略2026 全体", "基準日 2026年12月1日"]
    summary = texts[1]
    assert summary[:7] == ["概要", "緑（順調）\n5件", "黄（要注意）\n5件",
                           "赤（遅延・問題あり）\n5件", "項目", "値", "マイルストーン"]
    # The KPIs furthest from their targets first, with the growth needed and observed.
    kpi_row = summary.index("農林水産物・食品の輸出額")
    assert summary[kpi_row:kpi_row + 7] == ["農林水産物・食品の輸出額", "1.7兆円", "5兆円",
                                            "2030年", "24.1%", "13.0%", "未達見込み"]
    assert "当初期限からの遅延が大きい未完了のマイルストーン" in summary
    assert [slide[0].split()[0] for slide in texts[2:]] == [
        "PILLAR-A", "PILLAR-B", "PILLAR-C", "PILLAR-D"]
    assert all("基準日 2026年12月1日" in slide for slide in texts)
    assert [slide[-2] for slide in texts] == [f"{n} / 6 ページ" for n in range(1, 7)]


def test_a_pillar_slide_shows_status_next_milestones_and_a_native_kpi_chart(api, manager,
                                                                            officer):
    pillar = build_every_code_portfolio(officer)
    slides = slides_of(deck(api.as_user(manager), pillar))
    texts = [[t for shape in slide.shapes for t in shape_texts(shape)] for slide in slides]
    own, child = texts[2], texts[3]  # the pillar's own work, then its sub-initiative
    assert own[0].startswith("PILLAR-A") and child[0].startswith("PILLAR-A-NEW-DEMAND")
    assert own[1:6] == ["施策の状況", "健全性", "マイルストーン", "平均進捗率", "期限超過"]
    assert own[6:8] == ["計画中", "緑（順調）"]
    assert "次のマイルストーン" in own
    dates = [t for t in own if t.startswith("2026年12月") or t.startswith("2027年")]
    assert dates and dates == sorted(dates, key=lambda d: [int(x) for x in
                                     d.replace("年", " ").replace("月", " ").split()[:2]])
    charts = [shape.chart for shape in slides[2].shapes if shape.has_chart]
    assert len(charts) == 1
    chart = charts[0]
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert chart.chart_title.text_frame.text == "農林水産物・食品の輸出額（兆円）"
    assert list(chart.plots[0].categories) == [f"{year}年" for year in range(2024, 2031)]
    measured, needed, trend = chart.plots[0].series
    assert (measured.name, needed.name, trend.name) == ("実績", "目標に必要な推移", "現在の傾向")
    assert measured.values[:2] == (1.5044, 1.7)  # the figures are inside, editable
    assert needed.values[-1] == pytest.approx(5, abs=0.001)  # the path ends at the target
    shapes = [shape for slide in slides for shape in slide.shapes]
    assert not [s for s in shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]


def test_every_text_is_set_in_meiryo_ui_for_latin_and_japanese(api, manager, officer):
    build_every_code_portfolio(officer)
    slides = slides_of(deck(api.as_user(manager)))
    runs = [run for slide in slides for run in slide.shapes._spTree.iter(qn("a:r"))]
    charts = [shape.chart for slide in slides for shape in slide.shapes if shape.has_chart]
    properties = [run.find(qn("a:rPr")) for run in runs]
    properties += [chart._chartSpace.find(qn("c:txPr")).find(".//" + qn("a:defRPr"))
                   for chart in charts]
    assert runs and charts
    for rpr in properties:
        assert rpr.find(qn("a:latin")).get("typeface") == "Meiryo UI"
        assert rpr.find(qn("a:ea")).get("typeface") == "Meiryo UI"


def test_long_lists_are_capped_and_say_how_many_more(api, manager, officer):
    pillar = InitiativeFactory(owner=officer, code="BUSY", name_ja="多忙な施策")
    for n in range(7):
        MilestoneFactory(initiative=pillar, title_ja="商談会の開催",
                         planned_due_on=AS_OF + timedelta(days=n + 1),
                         baseline_due_on=AS_OF - timedelta(days=40 - n))
    MilestoneFactory(initiative=pillar, title_ja="完了した調査", status=WorkStatus.DONE,
                     completed_on=AS_OF, percent_complete=100, planned_due_on=AS_OF,
                     baseline_due_on=AS_OF - timedelta(days=100))  # done: no longer a worry
    texts = slide_texts(deck(api.as_user(manager)).content)
    assert texts[2].count("商談会の開催") == 4 and "他 3 件" in texts[2]
    assert "完了した調査" not in texts[1]
    slips = texts[1][texts[1].index("当初期限からの遅延が大きい未完了のマイルストーン"):]
    assert slips.count("商談会の開催") == 5 and "他 2 件" in slips


def text_height(frame, width):
    """How high the paragraphs of `frame` stand in a box `width` points wide (estimated)."""
    return sum(lines_needed(paragraph.text, width - BOX_PADDING, size) * size * LINE_SPACING
               for paragraph in frame.paragraphs
               for size in [max(run.font.size.pt for run in paragraph.runs)]) + ROW_PADDING


def test_no_text_spills_out_of_its_box(api, manager, officer):
    """Long names and titles are cut to their box with "…"; markup and control characters
    are written as text."""
    long_name = "サプライチェーン強靱化のための官民連携による重要鉱物の共同調達と備蓄" * 4
    pillar = InitiativeFactory(owner=officer, code="LONG", name_ja=long_name)
    for n, health in enumerate(Health.values):
        MilestoneFactory(initiative=pillar, title_ja=f"\x01<b>{long_name}</b>", health=health,
                         status=WorkStatus.IN_PROGRESS,
                         planned_due_on=AS_OF + timedelta(days=n + 1),
                         baseline_due_on=AS_OF - timedelta(days=n))
    build_every_code_portfolio(officer)
    slides = slides_of(deck(api.as_user(manager)))
    checked = 0
    for slide in slides:
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text:
                frame = shape.text_frame
                assert text_height(frame, shape.width.pt) <= shape.height.pt + 0.5, frame.text
                checked += 1
            if shape.has_table:
                table = shape.table
                for row in table.rows:
                    for column, cell in zip(table.columns, row.cells, strict=True):
                        assert text_height(cell.text_frame, column.width.pt) <= (
                            row.height.pt + 0.5), cell.text
                        checked += 1
                assert sum(c.width for c in table.columns) <= shape.width + 1
            assert Emu(shape.left + shape.width).pt <= SLIDE_WIDTH + 0.5
            assert Emu(shape.top + shape.height).pt <= SLIDE_HEIGHT + 0.5
    assert checked > 100
    text = "\n".join(t for slide in slide_texts(deck(api.as_user(manager)).content)
                     for t in slide)
    assert "\ufffd<b>サプライチェーン" in text and "…" in text


def test_the_deck_reads_the_same_few_queries_however_many_pillars(api, manager, officer):
    client = api.as_user(manager)
    build_every_code_portfolio(officer)
    with CaptureQueriesContext(connection) as few:
        deck(client)
    for n in range(6):
        MilestoneFactory(initiative=InitiativeFactory(owner=officer, code=f"MORE-{n}"))
    with CaptureQueriesContext(connection) as many:
        deck(client)
    assert len(many) == len(few)


def test_libreoffice_converts_the_deck_to_pdf(api, manager, officer, tmp_path):
    if not shutil.which("soffice"):
        pytest.skip("needs LibreOffice (soffice) to convert the deck")
    pillar = build_every_code_portfolio(officer)
    source = tmp_path / "deck.pptx"
    source.write_bytes(deck(api.as_user(manager), pillar).content)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(source)], check=True, timeout=180, capture_output=True)
    assert (tmp_path / "deck.pdf").read_bytes().startswith(b"%PDF")
