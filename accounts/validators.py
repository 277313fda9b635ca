import re
import unicodedata
from difflib import SequenceMatcher

from django.contrib.auth.password_validation import (
    UserAttributeSimilarityValidator,
    exceeds_maximum_length_ratio,
)
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _

CORPORATE_NUMBER_LENGTH = 13


def normalise_corporate_number(value):
    """Full-width digits (１２３) become ASCII; spaces and hyphens people type are dropped."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return text.replace("-", "").replace(" ", "").strip()


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


class PersonAndCompanySimilarityValidator(UserAttributeSimilarityValidator):
    """Django's similarity rule over the person (user name, e-mail, names) and, for a
    registered exporter, over its company too: the company names and the contact person are
    the first words someone who knows the company would try."""

    PROFILE_ATTRIBUTES = ("company_name", "company_name_en", "contact_name")

    def _values(self, user):
        """(value, what it is) for each attribute the password must not resemble."""
        records = [(user, self.user_attributes)]
        # Set before the profile is saved, during registration; absent for internal staff.
        profile = getattr(user, "exporter_profile", None)
        if profile is not None:
            records.append((profile, self.PROFILE_ATTRIBUTES))
        for record, names in records:
            for name in names:
                value = getattr(record, name, None)
                if value and isinstance(value, str):
                    try:
                        label = record._meta.get_field(name).verbose_name
                    except FieldDoesNotExist:
                        label = name
                    yield value, label

    def validate(self, password, user=None):
        if not user:
            return
        password = password.lower()
        for value, label in self._values(user):
            value = value.lower()
            for part in [*re.split(r"\W+", value), value]:
                if exceeds_maximum_length_ratio(password, self.max_similarity, part):
                    continue
                if SequenceMatcher(a=password, b=part).quick_ratio() >= self.max_similarity:
                    raise ValidationError(self.get_error_message(), code="password_too_similar",
                                          params={"verbose_name": label})

    def get_help_text(self):
        return _("Your password can’t be too similar to your name, e-mail address or company.")


class DistinctCharactersValidator:
    """A password of one or two characters repeated (twelve spaces, "aaaaaaaaaaaa",
    "abababababab") passes the length rule but is among the first guesses."""

    def __init__(self, min_distinct=5):
        self.min_distinct = min_distinct

    def validate(self, password, user=None):
        if len(set(password)) < self.min_distinct:
            raise ValidationError(
                _("This password repeats too few characters: use at least %(min_distinct)d "
                  "different ones."),
                code="password_too_repetitive", params={"min_distinct": self.min_distinct})

    def get_help_text(self):
        return _("Your password must contain at least %(min_distinct)d different characters.") % {
            "min_distinct": self.min_distinct}
