"""The 法人番号 (corporate number) of a registered company."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CORPORATE_NUMBER_LENGTH = 13
# What people type between the digits, after NFKC: spaces, and every dash a Japanese input
# method gives for "-" (ー above all, the long-vowel mark), which NFKC leaves as they are.
SEPARATORS = str.maketrans("", "", " -\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc")


def normalise_corporate_number(value: object) -> str:
    """Full-width digits (１２３) become ASCII; spaces and hyphens people type are dropped."""
    return unicodedata.normalize("NFKC", str(value or "")).translate(SEPARATORS).strip()


def corporate_number_check_digit(base):
    """The check digit of a 法人番号 from its other twelve digits: 9 − (Σ Pn × Qn mod 9),
    Pn the n-th digit counted from the right, Qn 1 for odd n and 2 for even n."""
    total = sum(int(digit) * (1 if n % 2 else 2)
                for n, digit in enumerate(reversed(base), start=1))
    return 9 - total % 9


def validate_corporate_number(value):
    number = normalise_corporate_number(value)
    if not number.isascii() or not number.isdigit():
        raise ValidationError(_("A corporate number (法人番号) has digits only."),
                              code="corporate_number_not_digits")
    if len(number) != CORPORATE_NUMBER_LENGTH:
        raise ValidationError(
            _("A corporate number (法人番号) has 13 digits; this one has %(length)d."),
            code="corporate_number_length", params={"length": len(number)})
    if int(number[0]) != corporate_number_check_digit(number[1:]):
        raise ValidationError(
            _("This corporate number (法人番号) is not valid: its check digit does not match."),
            code="corporate_number_check_digit")
