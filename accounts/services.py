"""Writes for people: passwords, deactivation and anonymisation."""

from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from tracker.history import attribute_change

from .models import User
from .sign_in import canonical_identity


def api_tokens_revoke(*, user: User) -> None:
    """The person's API tokens stop working; signing in again issues a new one."""
    Token.objects.filter(user=user).delete()


def user_sign_out_everywhere(*, user: User) -> None:
    """Revoke the person's API tokens and end their sessions. A session would fail anyway
    (Django checks it against the password hash, and refuses inactive people); deleting it
    leaves nothing behind for a later reactivation or password to revive."""
    api_tokens_revoke(user=user)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return  # sessions outside the database: the password hash and is_active end them
    sessions = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    for session in sessions.iterator():
        if store().decode(session.session_data).get(SESSION_KEY) == str(user.pk):
            store(session_key=session.session_key).delete()


def password_check(password: str, user: User) -> None:
    """The password validators, with their errors under the `password` field."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from error


@transaction.atomic
def user_set_password(*, user: User, password: str | None) -> User:
    """A new password (or None: no password sign-in at all). Every token and every other
    session of the person stops working; a view that keeps the caller signed in calls
    update_session_auth_hash afterwards, as Django's password views do."""
    if password is None:
        user.set_unusable_password()
    else:
        password_check(password, user)
        user.set_password(password)
    user.save(update_fields=["password"])
    user_sign_out_everywhere(user=user)
    return user


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> User:
    """The person can no longer sign in: tokens revoked, sessions ended, history kept."""
    if user.is_active:
        user.is_active = False
        attribute_change(user, by=by)
        user.save(update_fields=["is_active"])
    user_sign_out_everywhere(user=user)
    return user


def closed_identity(user: User) -> str:
    """The user name and address an anonymised account is left with: unique, and never a
    deliverable address (.invalid is reserved for that)."""
    return f"closed-{user.pk}@closed.invalid"


@transaction.atomic
def user_anonymise(*, user: User, by: User, reason: str) -> User:
    """The person's account closes and keeps nothing that names them: user name, address and
    names replaced, in its history too; no password, tokens, sessions, authenticators or
    sign-in records (the addresses they signed in from). Rows that point to the account (who
    approved or changed what) still point to it."""
    identities = {canonical_identity(name) for name in (user.username, user.email) if name}
    placeholder = closed_identity(user)
    user.username = user.email = placeholder
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    attribute_change(user, by=by, reason=reason)
    user.save()
    user.history.update(username=placeholder, email=placeholder,
                        first_name="", last_name="")
    user_sign_out_everywhere(user=user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    for records in (AccessAttempt, AccessFailureLog, AccessLog):
        records.objects.filter(username__in=identities).delete()
    return user
