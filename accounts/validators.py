"""Password rules beyond Django's own. Each reads the password as a person sees it: NFKC
(full-width letters are letters), without invisible characters (a zero-width space adds no
strength)."""

import re
import unicodedata
from difflib import SequenceMatcher

from django.conf import settings
from django.contrib.auth.password_validation import (  # type: ignore[attr-defined]
    CommonPasswordValidator,
    MinimumLengthValidator,
    UserAttributeSimilarityValidator,
    exceeds_maximum_length_ratio,
)
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _


def visible(password):
    """The password as it reads: NFKC, control and format (zero-width) characters removed."""
    return "".join(character for character in unicodedata.normalize("NFKC", password)
                   if unicodedata.category(character) not in ("Cc", "Cf"))


def letters_and_digits(text):
    """Only the letters and digits, case-folded: "Sakura-Shuzo" and "sakurashuzo" are one."""
    return "".join(character for character in visible(text).casefold() if character.isalnum())


# Words every company name has: a password containing them says nothing about the company.
COMPANY_FORMS = {"co", "ltd", "inc", "corp", "llc", "kk", "company", "corporation", "limited",
                 "株式会社", "有限会社", "合同会社"}


def _words(value):
    """The parts of a name someone would put in a password: long enough to mean something
    (four letters or digits, or two of a script without spaces, such as 桜井), and not a
    company form."""
    for word in [*re.split(r"\W+", visible(value).casefold()), letters_and_digits(value)]:
        word = letters_and_digits(word)
        if word in COMPANY_FORMS or not word:
            continue
        if len(word) >= (4 if word.isascii() else 2):
            yield word


class PersonAndCompanySimilarityValidator(UserAttributeSimilarityValidator):
    """Django's similarity rule over the person (user name, e-mail, names) and, for a
    registered exporter, over its company too: the company names and the contact person are
    the first words someone who knows the company would try."""

    PROFILE_ATTRIBUTES = ("company_name", "company_name_en", "contact_name", "corporate_number")
    # Contained in the password, these give it away however it is dressed up
    # ("SakuraShuzo2026!", "newguy123456", the 法人番号 and a symbol). The e-mail address is
    # left to Django's similarity rule: its parts ("export@…") are ordinary words.
    CONTAINED_ATTRIBUTES = ("username", "first_name", "last_name", *PROFILE_ATTRIBUTES)

    def _values(self, user):
        """(attribute, value, what it is) for each attribute the password must not resemble."""
        records = [(user, self.user_attributes)]
        # Set before the profile is saved, during registration; absent for internal staff.
        profile = getattr(user, "exporter_profile", None)
        if profile is not None:
            # A company's account holds its contact's name and its address, named on its
            # forms as the profile's contact and the e-mail address: a message that said
            # "the last name" or "the user name" named fields the company never filled in.
            records = [(user, [name for name in self.user_attributes
                               if name not in ("first_name", "last_name")]),
                       (profile, self.PROFILE_ATTRIBUTES)]
        for record, names in records:
            for name in names:
                value = getattr(record, name, None)
                if value and isinstance(value, str):
                    shown_as = "email" if record is user and profile is not None else name
                    try:
                        label = record._meta.get_field(shown_as).verbose_name
                    except FieldDoesNotExist:
                        label = name
                    yield name, value, label

    def validate(self, password, user=None):
        if not user:
            return
        contained = letters_and_digits(password)
        password = visible(password).lower()
        for name, value, label in self._values(user):
            if name in self.CONTAINED_ATTRIBUTES and "@" not in value and any(
                    word in contained for word in _words(value)):
                raise ValidationError(self.get_error_message(), code="password_too_similar",
                                      params={"verbose_name": label})
            value = value.lower()
            for part in [*re.split(r"\W+", value), value]:
                if exceeds_maximum_length_ratio(password, self.max_similarity, part):
                    continue
                if SequenceMatcher(a=password, b=part).quick_ratio() >= self.max_similarity:
                    raise ValidationError(self.get_error_message(), code="password_too_similar",
                                          params={"verbose_name": label})

    def get_help_text(self):
        return _("Your password can’t be too similar to your name, e-mail address or company.")


class VisibleLengthValidator(MinimumLengthValidator):
    """Django's length rule, counting only the characters a person sees."""

    def validate(self, password, user=None):
        super().validate(visible(password), user)


# The demo accounts' password, as the README prints it.
PUBLISHED_PASSWORDS = ("tracker-demo-2026",)


class PublicPasswordValidator(CommonPasswordValidator):
    """Django's list of common passwords, read as a person sees the password
    (ｐａｓｓｗｏｒｄ１２３４ is password1234), and the passwords this project publishes."""

    def validate(self, password, user=None):
        super().validate(visible(password), user)
        published = {letters_and_digits(known) for known in
                     (*PUBLISHED_PASSWORDS, settings.DEMO_PASSWORD) if known}
        if letters_and_digits(password) in published:
            raise ValidationError(self.get_error_message(), code="password_too_common")


class DistinctCharactersValidator:
    """A password of one or two characters repeated (twelve spaces, "aaaaaaaaaaaa",
    "abababababab") passes the length rule but is among the first guesses."""

    def __init__(self, min_distinct=5):
        self.min_distinct = min_distinct

    def validate(self, password, user=None):
        if len(set(visible(password))) < self.min_distinct:
            raise ValidationError(
                _("This password has too few different characters: use at least "
                  "%(min_distinct)d different ones."),
                code="password_too_repetitive", params={"min_distinct": self.min_distinct})

    def get_help_text(self):
        return _("Your password must contain at least %(min_distinct)d different characters.") % {
            "min_distinct": self.min_distinct}
