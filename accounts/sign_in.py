"""Who is signing in, and whether they may try now: one identity per account, however its user
name or e-mail address is typed; the lockout (django-axes) counts per account and client
address; across all clients, repeated failures slow further attempts at that account down.

The same rules hold on the admin, the exporter page and the token endpoint, since all three
sign in through django.contrib.auth.authenticate: AxesStandaloneBackend asks `SignInHandler`
whether the attempt may go ahead, `TrackerModelBackend` finds the account with
`user_for_sign_in`, and `lockout_identity` names the account for the lockout.
"""

import logging
import math
import unicodedata
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import HttpRequest
from django.utils import timezone

from .models import User
from .roles import is_administrator

logger = logging.getLogger(__name__)

# The lockout's records hold at most this many characters of a name.
IDENTITY_MAX_LENGTH = 255


def canonical_identity(typed: object) -> str:
    """A user name or e-mail address as it is matched and counted: trimmed, NFKC-normalised
    and case-folded, so that `ADMIN@…`, `admin@…` and `ａｄｍｉｎ@…` are one."""
    text = str(typed).encode("utf-8", "replace").decode("utf-8")  # no lone surrogates
    text = unicodedata.normalize("NFKC", text).strip().casefold()
    return unicodedata.normalize("NFKC", text)[:IDENTITY_MAX_LENGTH]


def _accounts_possibly_named(identity: str, typed: object) -> list[User]:
    """The accounts whose user name or e-mail may be `identity` (the database compares case
    only; the caller compares canonical forms). Active accounts first, then the oldest."""
    spellings = {identity, unicodedata.normalize("NFKC", str(typed)).strip()}
    by_name, by_email = Q(), Q()
    for spelling in spellings:
        by_name |= Q(username__iexact=spelling)
        by_email |= Q(email__iexact=spelling)
    return list(User.objects.filter(by_name | by_email).order_by("-is_active", "pk"))


def user_for_sign_in(typed: object) -> User | None:
    """The account that `typed` names: the user whose user name is it in canonical form, else,
    for an address, the user whose e-mail is. Active accounts first, then the oldest."""
    identity = canonical_identity(typed)
    if not identity:
        return None
    candidates = _accounts_possibly_named(identity, typed)
    for user in candidates:
        if canonical_identity(user.username) == identity:
            return user
    if "@" in identity:
        for user in candidates:
            if user.email and canonical_identity(user.email) == identity:
                return user
    return None


def identity_in_use(typed: object, *, exclude: User | None = None) -> bool:
    """Whether `typed`, as a user name or an e-mail address, already names an account other
    than `exclude` in any spelling: one identity, one account, or signing in by it would
    reach the wrong one (`ADMIN@ｅｘａｍｐｌｅ.jp` for `admin@example.jp`)."""
    identity = canonical_identity(typed)
    return bool(identity) and any(
        user.pk != getattr(exclude, "pk", None) and identity in {
            canonical_identity(user.username), canonical_identity(user.email or "")}
        for user in _accounts_possibly_named(identity, typed))


def lockout_identity(request: HttpRequest,
                     credentials: Mapping[str, Any] | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the name the lockout counts under, the same for every spelling
    of one account (its user name in canonical form); for an unknown name, that name in
    canonical form. Remembered on the request: axes asks several times per attempt."""
    typed = (credentials or {}).get("username")
    if typed is None:
        return None
    known: dict[Any, str] | None = getattr(request, "_sign_in_identities", None)
    if known is None:
        known = request._sign_in_identities = {}  # type: ignore[attr-defined]  # a note on it
    if typed not in known:
        user = user_for_sign_in(typed)
        known[typed] = canonical_identity(user.username if user else typed)
    return known[typed]


def account_retry_after(identity: str, *, now: datetime | None = None) -> int:
    """Seconds before the next attempt at this account may go ahead (0: now), from its
    failures over all clients within SIGN_IN_WINDOW_MINUTES."""
    now = now or timezone.now()
    recent = AccessFailureLog.objects.filter(
        username=identity,
        attempt_time__gte=now - timedelta(minutes=settings.SIGN_IN_WINDOW_MINUTES),
    ).aggregate(failures=Count("id"), latest=Max("attempt_time"))
    failures: int = recent["failures"]
    beyond_free = failures - settings.SIGN_IN_FREE_FAILURES
    if beyond_free < 0:
        return 0
    delay = min(2 ** min(beyond_free + 1, 16), settings.SIGN_IN_MAX_DELAY_SECONDS)
    latest: datetime = recent["latest"]
    remaining = (latest + timedelta(seconds=delay) - now).total_seconds()
    return max(0, math.ceil(remaining))


def lockout_retry_after(identity: str, ip_address: str | None, *,
                        now: datetime | None = None) -> int:
    """Seconds until the lockout of this account from this address ends."""
    now = now or timezone.now()
    latest: datetime | None = AccessAttempt.objects.filter(
        username=identity, ip_address=ip_address).aggregate(latest=Max("attempt_time"))["latest"]
    if latest is None:
        return 0
    ends = latest + timedelta(hours=settings.AXES_COOLOFF_TIME)
    return max(0, math.ceil((ends - now).total_seconds()))


class SignInHandler(AxesDatabaseHandler):
    """django-axes' database handler, plus the per-account slow-down. An attempt refused here
    is not checked and not counted as a failure (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT
    is off), so waiting out someone else's failures never locks anyone out."""

    def is_allowed(self, request: HttpRequest,
                   credentials: Mapping[str, Any] | None = None) -> bool:
        if not super().is_allowed(request, credentials):
            return False
        if self.is_whitelisted(request, credentials):
            return True
        identity = get_client_username(request, credentials)
        wait = account_retry_after(identity) if identity else 0
        if wait:
            # lockout_response (accounts.backends) reads it to say when to try again.
            request.sign_in_retry_after = wait  # type: ignore[attr-defined]
            logger.warning("Sign-in to %s slowed down: next attempt in %d s", identity, wait)
            return False
        return True

    def user_login_failed(self, sender: object, credentials: dict[str, Any],
                          request: HttpRequest | None = None, **kwargs: Any) -> None:
        """Not counted when the password was right and only the account may not sign in (yet):
        an exporter whose registration awaits confirmation or review, or was not approved
        (accounts.backends marks the request). Such an attempt tells nothing a stranger could
        use and proves the password known, so it must not lock its owner out; a wrong password
        is counted as always."""
        if getattr(request, "sign_in_refused_account", None) is not None:
            logger.info("Sign-in refused with the right password: %s may not sign in (yet)",
                        get_client_username(request, credentials))
            return
        super().user_login_failed(sender, credentials, request, **kwargs)


def account_unlock_sign_in(*, user: User, by: User) -> int:
    """An administrator lifts the lockout of `user`'s account from every address."""
    if not is_administrator(by):
        raise PermissionDenied
    identity = canonical_identity(user.username)
    count: int
    count, _ = AccessAttempt.objects.filter(username=identity).delete()
    logger.info("Sign-in lockout of %s lifted by %s", identity, by.username)
    return count


class LockedAccount(NamedTuple):
    identity: str  # the name the lockout counts under (sign_in.lockout_identity)
    until: datetime  # when the lockout ends
    user: User | None  # the account it names; None for a name no account has


def locked_out_accounts(*, now: datetime | None = None) -> list[LockedAccount]:
    """Every account locked out from some address now, the latest first: what an
    administrator may unlock. Two queries, whatever the number of accounts."""
    now = now or timezone.now()
    cooloff = timedelta(hours=settings.AXES_COOLOFF_TIME)
    rows = list(AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gt=now - cooloff,
    ).values("username").annotate(latest=Max("attempt_time")).order_by("-latest", "username"))
    named = Q()
    for row in rows:
        named |= Q(username__iexact=row["username"])
    # The identity is the user name in canonical form: the database compares case only.
    users = {canonical_identity(user.username): user
             for user in (User.objects.filter(named).order_by("-pk") if rows else ())}
    return [LockedAccount(row["username"], row["latest"] + cooloff, users.get(row["username"]))
            for row in rows]
