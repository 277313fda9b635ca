"""One-line text: titles, names, contact names and codes hold no control characters (line
breaks, tabs, NUL…). A line break in a title would end an e-mail header built from it."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 controls, DEL, and Unicode's own line and paragraph separators.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# NUL is refused by Django's and DRF's own validator (code null_characters_not_allowed).
_REFUSED = re.compile(r"[\x01-\x1f\x7f-\x9f\u2028\u2029]")


def validate_one_line(value):
    if isinstance(value, str) and _REFUSED.search(value):
        raise ValidationError(_("Use one line of text: no line breaks or control characters."),
                              code="control_characters")


def one_line(text):
    """`text` on one line: each run of control characters becomes one space. For headers
    (e-mail subjects) built from text stored before it was checked."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", str(text)).split())
