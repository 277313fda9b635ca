"""One-line text: titles, names, contact names and codes hold no control characters (line
breaks, tabs, NUL…) and no invisible ones. A line break in a title would end an e-mail header
built from it; a right-to-left override or a zero-width space makes a title read otherwise
than it is written (in lists, e-mails and exports)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 controls, DEL, and Unicode's own line and paragraph separators.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# NUL is refused by Django's and DRF's own validator (code null_characters_not_allowed). Also
# refused: the bidirectional embeddings, overrides and isolates, and the zero-width space,
# word joiner and byte-order mark (joiners inside emoji, U+200C/U+200D, are left alone).
_REFUSED = re.compile(r"[\x01-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                      r"\u200b\u2060\ufeff]")


def validate_one_line(value: object) -> None:
    if isinstance(value, str) and _REFUSED.search(value):
        raise ValidationError(_("Use one line of visible text: no line breaks, control or "
                                "invisible characters."), code="control_characters")


def one_line(text: object) -> str:
    """`text` on one line: each run of control characters becomes one space. For headers
    (e-mail subjects) built from text stored before it was checked."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", str(text)).split())
