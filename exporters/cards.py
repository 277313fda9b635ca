"""What a measure's card on the exporter page says, in the reader's language, every Japanese
text marked as Japanese so that it is read as Japanese on the English page too."""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import Organisation
from programs.models import SupportMeasure
from programs.reporting.labels import in_language, reads_english
from programs.selectors.support import Fit, categories_of, markets_of

# The strategy's footnote marks as typed: "施策*の拡充" and the note's leading "* ".
FOOTNOTE_MARK = re.compile(r"^[*＊]\s*|(?<=\S)[*＊]", re.MULTILINE)


@dataclass(frozen=True)
class Text:
    """A text and the language it is written in (for the `lang` attribute)."""

    text: str
    lang: str


def in_reader_language(obj: object, name: str) -> Text | None:
    """`obj.<name>_en` for an English reader when there is one, else `obj.<name>_ja`."""
    if reads_english() and (english := getattr(obj, f"{name}_en", "")):
        return Text(english, "en")
    japanese = getattr(obj, f"{name}_ja", "")
    return Text(japanese, "ja") if japanese else None


def without_footnote_marks(text: str) -> str:
    return FOOTNOTE_MARK.sub("", text)


def organisation_name(organisation: Organisation | None) -> Text | None:
    """日本貿易振興機構（JETRO） / Japan External Trade Organization (JETRO)."""
    if organisation is None:
        return None
    name = in_reader_language(organisation, "name")
    if name is None:
        return None
    abbreviation = organisation.abbreviation
    # A Japanese abbreviation (経産省) says nothing more to an English reader.
    if abbreviation and abbreviation != name.text and (name.lang == "ja"
                                                       or abbreviation.isascii()):
        return Text(_("%(name)s (%(abbreviation)s)") % {
            "name": name.text, "abbreviation": abbreviation}, name.lang)
    return name


def matched_names(fit: Fit) -> tuple[list[str] | None, list[str] | None]:
    """The names, in the reader's language, of the company's categories and markets that the
    measure names (水産物, 加工食品; シンガポール); None where it is open to all."""
    measure = fit.measure
    categories = [in_language(category, "name") for category in categories_of(measure)
                  if category.code in fit.categories] if fit.categories else None
    markets = [in_language(country, "name") for country in markets_of(measure)
               if country.iso2 in fit.markets] if fit.markets else None
    return categories, markets


@dataclass(frozen=True)
class MeasureCard:
    measure: SupportMeasure
    name: Text
    japanese_name: Text | None  # the official name, under an English one
    description: Text | None
    categories: list[str] | None  # the company's that the measure names; None: all
    markets: list[str] | None
    upcoming: bool
    opens_on: date | None
    closes_on: date | None
    organisation: Text | None
    url: str
    provider_site: str  # the provider's site, where the measure has no page of its own
    contact: str
    programme_contact: str  # the programme office, where the measure names no contact
    strategy_words: Text | None  # the strategy's sentence, without its footnote marks
    is_new: bool

    @property
    def anchor(self) -> str:
        return f"measure-{self.measure.pk}"


def measure_card(fit: Fit, *, is_new: bool) -> MeasureCard:
    measure = fit.measure
    name = in_reader_language(measure, "name") or Text(measure.code, "en")
    summary = in_reader_language(measure, "summary")
    categories, markets = matched_names(fit)
    return MeasureCard(
        measure=measure, name=name,
        japanese_name=Text(measure.name_ja, "ja") if name.lang != "ja" else None,
        description=in_reader_language(measure, "description"),
        categories=categories, markets=markets, upcoming=fit.window == "upcoming",
        opens_on=measure.opens_on, closes_on=measure.closes_on,
        organisation=organisation_name(measure.provider), url=measure.url,
        provider_site="" if measure.url or measure.provider is None
        else measure.provider.website,
        contact=measure.contact,
        programme_contact="" if measure.contact else settings.EXPORTER_CONTACT_EMAIL,
        strategy_words=Text(without_footnote_marks(summary.text), summary.lang)
        if summary else None,
        is_new=is_new)
