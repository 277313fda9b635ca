"""The Japanese catalogue speaks for every page: help texts and messages the tracker marks for
translation have a Japanese entry, none fuzzy (a fuzzy entry is left out when compiled, so
its English would show) and none empty. Django's and DRF's own strings the tracker reuses
read as they do there."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def entries():
    """Each entry of the catalogue as (flags, msgid, msgstr), obsolete ones left out."""
    for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = {flag.strip() for line in lines if line.startswith("#,")
                 for flag in line[2:].split(",")}
        parts: dict[str, str] = {}
        key = None
        for line in lines:
            if match := re.match(r'(msgid|msgstr(?:\[\d+\])?|msgctxt|msgid_plural) "(.*)"$', line):
                key = match[1]
                parts[key] = match[2]
            elif key and line.startswith('"'):
                parts[key] += line[1:-1]
        if parts.get("msgid"):
            yield flags, parts["msgid"], [text for name, text in parts.items()
                                          if name.startswith("msgstr")]


def test_no_entry_of_the_catalogue_is_fuzzy_or_empty():
    fuzzy = [msgid for flags, msgid, _ in entries() if "fuzzy" in flags]
    empty = [msgid for _, msgid, texts in entries() if not all(texts)]
    assert fuzzy == [] and empty == []


@pytest.mark.django_db
def test_the_initiative_page_explains_blank_reminder_settings_in_japanese(
        client, administrator, own_initiative):
    client.force_login(administrator)
    html = client.get(reverse("admin:programs_initiative_change",
                              args=[own_initiative.pk])).content.decode()
    assert "空欄の場合はシステム全体の設定を使用します。" in html
    assert "Empty: the site-wide setting." not in html


@pytest.mark.django_db
def test_a_history_without_entries_says_so_in_japanese(client, manager, own_initiative):
    own_initiative.history.all().delete()
    client.force_login(manager)
    html = client.get(reverse("admin:programs_initiative_history",
                              args=[own_initiative.pk])).content.decode()
    assert "このオブジェクトには変更履歴がありません。" in html
