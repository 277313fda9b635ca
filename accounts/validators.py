"""Password rules beyond Django's own."""

import re
from difflib import SequenceMatcher

from django.contrib.auth.password_validation import (  # type: ignore[attr-defined]
    UserAttributeSimilarityValidator,
    exceeds_maximum_length_ratio,
)
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _


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
