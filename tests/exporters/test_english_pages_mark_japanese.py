"""On an exporter page in English, every piece of Japanese text (the programme's name, 法人番号,
審査中, a company's name, an officer's reason, the prefectures) sits inside an element marked
`lang="ja"`, so that a screen reader reads it in Japanese (WCAG 3.1.2, JIS X 8341-3 AA)."""

import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from exporters.models import ExporterStatus
from programs.models import Notification, ReminderKind, SupportMeasure
from tests.factories import (
    CountryFactory,
    ExporterProfileFactory,
    ProductCategoryFactory,
    SupportMeasureFactory,
)

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-2026"  # every factory user's password
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class UnmarkedJapanese(HTMLParser):
    """The text nodes with Japanese in them whose nearest `lang` is not Japanese."""

    def __init__(self):
        super().__init__()
        self.langs: list[str | None] = []
        self.found: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.langs.append(dict(attrs).get("lang"))
        self.skipping += tag in ("script", "style", "title")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        self.langs.pop()
        self.skipping -= tag in ("script", "style", "title")

    def handle_data(self, data):
        lang = next((lang for lang in reversed(self.langs) if lang), None)
        if not self.skipping and JAPANESE.search(data) and lang != "ja":
            self.found.append(data.strip())


def unmarked_japanese(response) -> list[str]:
    assert response.status_code in (200, 400, 429), response.status_code
    parser = UnmarkedJapanese()
    parser.feed(response.content.decode())
    return parser.found


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_public_pages_in_english_mark_their_japanese(english):
    ProductCategoryFactory(code="seafood", name_ja="水産物", name_en="Seafood")
    CountryFactory(iso2="SG", name_ja="シンガポール", name_en="Singapore")
    for path in ("/exporters/", "/exporters/login/", "/exporters/register/",
                 "/exporters/register/next/", "/exporters/data-use/",
                 "/exporters/password-reset/", "/exporters/verify/not-a-token/"):
        response = english.get(path)
        assert 'lang="en"' in response.content.decode()[:200], path
        assert unmarked_japanese(response) == [], path
    login = english.get("/exporters/login/").content.decode()
    assert '<span lang="ja">日本の食輸出1万者支援プログラム</span>' in login
    wrong_number = english.post("/exporters/register/", {"corporate_number": "1000012050002"})
    assert unmarked_japanese(wrong_number) == []
    assert "This corporate number (<span lang=\"ja\">法人番号</span>) is not valid" in (
        wrong_number.content.decode())


@pytest.mark.parametrize("status, words", [
    (ExporterStatus.PENDING_APPROVAL, "審査中"),
    (ExporterStatus.REJECTED, "法人番号と会社名が一致しません")])
def test_a_refused_sign_in_in_english_marks_its_japanese(english, status, words):
    profile = ExporterProfileFactory(status=status,
                                     rejection_reason="法人番号と会社名が一致しません")
    response = english.post("/exporters/login/", {"username": profile.user.email,
                                                  "password": PASSWORD})
    assert f'<span lang="ja">{words}</span>' in response.content.decode()
    assert unmarked_japanese(response) == []


def test_the_signed_in_pages_in_english_mark_their_japanese(english):
    seafood = ProductCategoryFactory(code="seafood", name_ja="水産物", name_en="Seafood")
    singapore = CountryFactory(iso2="SG", name_ja="シンガポール", name_en="Singapore")
    profile = ExporterProfileFactory(company_name="みなと水産加工株式会社",
                                     product_categories=[seafood], target_markets=[singapore])
    fair = SupportMeasureFactory(
        code="SG-FAIR", name_ja="シンガポール水産物商談会", name_en="",
        opens_on=timezone.localdate(), product_categories=[seafood],
        target_markets=[singapore])
    from django.contrib.contenttypes.models import ContentType

    Notification.objects.create(
        recipient=profile.user, kind=ReminderKind.NEW_SUPPORT_MEASURE,
        title="御社向けの支援施策：シンガポール水産物商談会", body="…",
        subject_type_id=ContentType.objects.get_for_model(SupportMeasure).pk,
        subject_id=fair.pk)
    english.force_login(profile.user)
    for path in ("/exporters/", "/exporters/profile/", "/exporters/password/"):
        assert unmarked_japanese(english.get(path)) == [], path


def test_a_reader_switches_the_pages_to_english_and_back(client, db):
    """A Japanese browser reached only Japanese pages: the front door's English box linked to
    pages that opened in Japanese again."""
    front = client.get("/exporters/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert 'name="language" value="en"' in front
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/exporters/register/"},
                           HTTP_ACCEPT_LANGUAGE="ja")
    assert switched.status_code == 302 and switched["Location"] == "/exporters/register/"
    page = client.get("/exporters/register/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<html lang="en">' in page and 'name="language" value="ja"' in page
    client.post("/i18n/setlang/", {"language": "ja", "next": "/exporters/"})
    assert '<html lang="ja">' in client.get("/exporters/register/").content.decode()


def test_the_switch_goes_nowhere_but_this_site(client, db):
    switched = client.post("/i18n/setlang/", {"language": "en",
                                              "next": "https://attacker.example/"})
    assert switched["Location"] == "/"
