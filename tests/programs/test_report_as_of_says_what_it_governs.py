"""A report chosen for another day says what that day governs: overdue, due soon and slips
are judged on it, while health and completion are the milestones' current ones. The page,
the PDF, the deck and the files say so; a report for today needs no such note."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from programs.reporting import labels
from tests.factories import InitiativeFactory, MilestoneFactory
from tests.support.documents import pdf_pages, slide_texts, workbook_cells

pytestmark = pytest.mark.django_db
GOVERNS = "期限判定・遅延の基準日"
CURRENT = "健全性・進捗率は現在"


@pytest.fixture
def past():
    MilestoneFactory(initiative=InitiativeFactory(code="FOOD", name_ja="食品輸出"))
    return timezone.localdate() - timedelta(days=17)


def page_text(client, manager, as_of):
    client.force_login(manager)
    response = client.get("/admin/reports/", {"as_of": as_of.isoformat()})
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_a_past_report_date_says_health_and_completion_are_current(client, manager, past):
    html = page_text(client, manager, past)
    note = (f"基準日（{labels.day(past)}）は{GOVERNS}です。{CURRENT}"
            f"（{labels.day(timezone.localdate())}）の値です。")
    assert note in html
    assert f"{GOVERNS}。{CURRENT}の値です。" in html  # beside the date picker


def test_todays_report_has_no_note_but_the_picker_still_explains(client, manager, past):
    html = page_text(client, manager, timezone.localdate())
    assert 'class="report-as-of-note"' not in html
    assert f"{GOVERNS}。{CURRENT}の値です。" in html


def test_the_documents_of_a_past_report_date_say_so(api, manager, past):
    client = api.as_user(manager)

    def download(fmt):
        response = client.get("/api/v1/reports/portfolio/",
                              {"format": fmt, "as_of": past.isoformat()})
        assert response.status_code == 200
        return response.content

    pdf = "".join("".join(page.split()) for page in pdf_pages(download("pdf")))
    assert GOVERNS in pdf and CURRENT in pdf
    csv_head = download("csv").decode("utf-8-sig").splitlines()[1]
    assert GOVERNS in csv_head and CURRENT in csv_head
    summary = [str(cell.value) for cell in workbook_cells(download("xlsx"))
               if cell.parent.title == "概要"]
    assert any(GOVERNS in cell and CURRENT in cell for cell in summary)
    slides = slide_texts(download("pptx"))
    assert any(GOVERNS in text and CURRENT in text for text in slides[0])
