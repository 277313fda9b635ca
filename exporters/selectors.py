"""Which support measures fit a registered exporter, which exporters a measure fits, and
everything the tracker holds about a company."""

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, overload

from axes.models import AccessFailureLog, AccessLog
from django.db.models import Count, QuerySet, Window
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts.models import AnyUser, Language
from accounts.sign_in import canonical_identity
from programs.models import (
    Country,
    Delivery,
    DeliveryStatus,
    Frequency,
    Notification,
    NotificationPreference,
    ReminderKind,
    ReminderTime,
    SupportMeasure,
)
from programs.reporting.labels import in_language
from programs.selectors.access import (
    can_read_exporters,
    can_review_exporters,
    notifications_visible_to,
)
from programs.selectors.support import (
    Fit,
    fit_of,
    fits_categories,
    fits_markets,
    list_categories_and_markets,
    measures_ranked_for,
)

from .models import ExporterProfile, ExporterStatus
from .prefectures import Prefecture

# A company exports from Japan: Japan is no market to pick, on the web or through the API.
HOME_COUNTRY = "JP"


def export_markets() -> QuerySet[Country]:
    return Country.objects.exclude(iso2=HOME_COUNTRY).select_related("region")


def profile_scope(profile: ExporterProfile) -> tuple[set[str], set[str]]:
    return ({c.code for c in profile.product_categories.all()},
            {c.iso2 for c in profile.target_markets.all()})


def _profile_scope_in_one_query(profile: ExporterProfile) -> tuple[set[str], set[str]]:
    pairs = ExporterProfile.objects.filter(pk=profile.pk).values_list(
        "product_categories__code", "target_markets__iso2")
    return ({category for category, _market in pairs if category},
            {market for _category, market in pairs if market})


class RankedFits(Sequence[Fit]):
    """The fits of ranked measures, read when asked for: a slice reads only its rows and the
    count of all with them (so PageFirstPaginator reads a page in one query), len() is one
    COUNT query (none after a slice or iterating), iterating reads them all."""

    def __init__(self, measures: QuerySet[SupportMeasure], *, categories: Collection[str],
                 markets: Collection[str], on: date) -> None:
        self._measures = measures
        self._categories, self._markets, self._on = categories, markets, on
        self._count: int | None = None

    def only(self, *, category: str = "", market: str = "") -> "RankedFits":
        """Those open to every category (market) or naming `category` (`market`), ranked as
        among all; empty: no narrowing."""
        measures = self._measures
        if category:
            measures = measures.filter(fits_categories([category]))
        if market:
            measures = measures.filter(fits_markets([market]))
        if measures is self._measures:
            return self
        return RankedFits(measures, categories=self._categories, markets=self._markets,
                          on=self._on)

    def _fit(self, measure: SupportMeasure) -> Fit:
        fit = fit_of(measure, categories=self._categories, markets=self._markets, on=self._on)
        if fit is None:  # the SQL filter (open_to) let through a measure fit_of refuses
            raise AssertionError(f"{measure.code} was ranked but does not fit")
        return fit

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._measures.count()
        return self._count

    def _rows(self, low: int, high: int) -> list[SupportMeasure]:
        """Measures `low` to `high` in rank, read with the count of all that fit (a window
        over the rows the ranking finds anyway), so a page needs no COUNT of its own."""
        page = list(self._measures.annotate(fitting=Window(Count("pk")))[low:high + 1])
        if page:
            self._count = page[0].fitting
        rows: list[SupportMeasure] = list(page)
        list_categories_and_markets(rows)
        return rows

    @overload
    def __getitem__(self, index: int) -> Fit: ...

    @overload
    def __getitem__(self, index: slice) -> list[Fit]: ...

    def __getitem__(self, index: int | slice) -> Fit | list[Fit]:
        if (isinstance(index, slice) and index.step in (None, 1) and (index.start or 0) >= 0
                and index.stop is not None and index.stop >= 0):
            # A page: its rows bring the count, so none is asked for first.
            start = index.start or 0
            return [self._fit(measure) for measure in self._rows(start, index.stop - 1)
                    ] if index.stop > start else []
        # Otherwise as a list indexes (negative, out of range, steps); the rows read are those
        # between the first and the last position asked for.
        positions = range(len(self))[index]
        if isinstance(positions, int):
            measure = self._measures[positions]
            list_categories_and_markets([measure])
            return self._fit(measure)
        if not positions:
            return []
        low, high = min(positions), max(positions)
        rows = self._rows(low, high)
        return [self._fit(rows[position - low]) for position in positions]

    def __iter__(self) -> Iterator[Fit]:
        measures = list(self._measures)
        list_categories_and_markets(measures)
        fits = [self._fit(measure) for measure in measures]
        self._count = len(fits)  # a len() after reading them all needs no COUNT
        return iter(fits)


def measures_fitting(profile: ExporterProfile, *, on: date) -> RankedFits:
    """The published measures that fit `profile`, best fit first, then the nearest deadline
    (measures without one last), then code."""
    categories, markets = _profile_scope_in_one_query(profile)
    return RankedFits(measures_ranked_for(categories=categories, markets=markets, on=on),
                      categories=categories, markets=markets, on=on)


def registrations() -> QuerySet[ExporterProfile]:
    """Every registration, with what one shows (its account, categories and markets); for
    a reader's list, exporters_visible_to."""
    return ExporterProfile.objects.select_related("user").prefetch_related(
        "product_categories", "target_markets")


def exporters_visible_to(user: AnyUser) -> QuerySet[ExporterProfile]:
    """Registrations, as the review API and the admin list them: to those who review them
    and the managers (can_read_exporters)."""
    if not can_read_exporters(user):
        return ExporterProfile.objects.none()
    return registrations()


def approved_exporters() -> QuerySet[ExporterProfile]:
    return ExporterProfile.objects.filter(
        status=ExporterStatus.APPROVED, user__is_active=True).select_related(
        "user").prefetch_related("product_categories", "target_markets")


def exporters_fitting(measure: SupportMeasure, *,
                      on: date) -> list[tuple[ExporterProfile, Fit]]:
    """(profile, fit) for every approved exporter that `measure` fits."""
    pairs: list[tuple[ExporterProfile, Fit]] = []
    for profile in approved_exporters():
        categories, markets = profile_scope(profile)
        fit = fit_of(measure, categories=categories, markets=markets, on=on)
        if fit:
            pairs.append((profile, fit))
    return pairs


def registrations_awaiting_review(user: AnyUser) -> QuerySet[ExporterProfile]:
    """Registrations with a confirmed address that wait for a reviewer's decision, the
    oldest first; none for someone who does not review them."""
    if not can_review_exporters(user):
        return ExporterProfile.objects.none()
    return ExporterProfile.objects.filter(
        status=ExporterStatus.PENDING_APPROVAL).order_by("created_at", "id")


def measure_notices_received(profile: ExporterProfile, *,
                             limit: int = 20) -> QuerySet[Notification]:
    """The notices of fitting measures the company has received, newest first."""
    return notifications_visible_to(profile.user).filter(
        kind=ReminderKind.NEW_SUPPORT_MEASURE)[:limit]
def _with_labels(rows: Iterable[Mapping[str, Any]], **choices: Any) -> list[dict[str, Any]]:
    """Each row with `<field>_label` beside each coded `field`: its words in the reader's
    language, from the field's choices."""
    return [{**row, **{f"{name}_label": str(labels(row[name]).label)
                       for name, labels in choices.items() if row.get(name)}}
            for row in rows]


def company_data(profile: ExporterProfile) -> dict[str, Any]:
    """Everything the tracker holds about `profile`'s company and its account, as the company
    downloads it: the account, the profile, the registration's history, the notices and
    e-mails sent to it, its reminder settings, its sign-ins, tokens and authenticators (that
    they exist, never a secret). Nothing of another company or of the ministry's people: who
    made a change is "company" or "programme". Codes come with their words in the reader's
    language beside them (`status` and `status_label`, `target_markets` and
    `target_market_names`)."""
    user = profile.user
    identities = {canonical_identity(name) for name in (user.username, user.email) if name}
    categories = list(profile.product_categories.order_by("order", "code"))
    markets = list(profile.target_markets.order_by("iso2"))
    fields = ("company_name", "company_name_en", "corporate_number", "prefecture",
              "contact_name", "status", "consented_at", "email_verified_at", "reviewed_at",
              "rejection_reason", "closure_requested_at", "created_at", "updated_at")
    return {
        "account": {"username": user.username, "email": user.email, "language": user.language,
                    "language_label": str(Language(user.language).label),
                    "date_joined": user.date_joined, "last_login": user.last_login},
        "profile": {**{name: getattr(profile, name) for name in fields},
                    "prefecture_label": str(Prefecture(profile.prefecture).label),
                    "status_label": str(profile.get_status_display()),
                    "product_categories": [category.code for category in categories],
                    "product_categories_label": [in_language(category, "name")
                                                 for category in categories],
                    "target_markets": [market.iso2 for market in markets],
                    "target_markets_label": [in_language(market, "name")
                                             for market in markets]},
        "history": _with_labels([
            {"at": row.history_date, "change": row.get_history_type_display(),
             "status": row.status, "reason": row.history_change_reason or "",
             "by": "company" if row.history_user_id == user.pk else "programme",
             "by_label": str(_("your company") if row.history_user_id == user.pk
                             else _("the programme office"))}
            for row in profile.history.order_by("history_date", "history_id")],
            status=ExporterStatus),
        "notifications": _with_labels(Notification.objects.filter(
            recipient=user).order_by("created_at", "pk").values(
            "created_at", "kind", "title", "body", "read_at"), kind=ReminderKind),
        "emails": _with_labels(Delivery.objects.filter(recipient=user).order_by(
            "created_at", "pk").values("created_at", "sent_at", "kind", "email_subject",
                                       "status"), kind=ReminderKind, status=DeliveryStatus),
        "notification_preferences": _with_labels(NotificationPreference.objects.filter(
            user=user).order_by("kind").values("kind", "enabled", "frequency"),
            kind=ReminderKind, frequency=Frequency),
        "reminder_hour": ReminderTime.objects.filter(user=user).values_list(
            "hour", flat=True).first(),
        "sign_ins": list(AccessLog.objects.filter(username__in=identities).order_by(
            "attempt_time").values("attempt_time", "logout_time", "ip_address", "user_agent")),
        "failed_sign_ins": list(AccessFailureLog.objects.filter(
            username__in=identities).order_by("attempt_time").values(
            "attempt_time", "ip_address", "user_agent")),
        "api_tokens": list(Token.objects.filter(user=user).values("created")),
        "authenticators": list(TOTPDevice.objects.filter(user=user).values(
            "name", "confirmed")),
    }
