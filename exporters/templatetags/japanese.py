"""`{{ text|mark_japanese }}`: on a page in another language, each run of Japanese in the text
(a programme's name, 法人番号, a company's name, a reason typed by an officer) is wrapped in
`<span lang="ja">`, so that a screen reader reads it in Japanese (WCAG 3.1.2). On a Japanese page
the text is only escaped."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# Kana, CJK ideographs, Japanese punctuation and full-width forms; digits may sit inside a run
# (1万者) but neither start nor end one.
_JAPANESE = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60"
JAPANESE_RUN = re.compile(f"[{_JAPANESE}](?:[{_JAPANESE}0-9]*[{_JAPANESE}])?")


@register.filter
def mark_japanese(text: str) -> SafeString:
    escaped = conditional_escape(text)
    if (get_language() or "ja").startswith("ja"):
        return escaped
    # Safe: every character of the text was escaped above; only our own tags are added.
    return mark_safe(JAPANESE_RUN.sub(  # nosec B308 B703
        lambda match: f'<span lang="ja">{match.group(0)}</span>', escaped))
