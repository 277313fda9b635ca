"""Writes for two-factor sign-in: set up an authenticator, check a code, issue backup codes,
turn it off. django-otp's devices hold the secrets; its throttling slows repeated wrong codes
on one device, and the sign-in steps count wrong codes toward the lockout."""

import re
import unicodedata
from base64 import b32encode

import segno
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..services import api_tokens_revoke
from .rules import second_factor_required

AUTHENTICATOR_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"
BACKUP_CODE_COUNT = 10
AUTHENTICATOR_CODE = re.compile(r"[0-9]{6}")


def normalised_code(code):
    """As typed on a phone: full-width digits, spaces and hyphens are forgiven; backup codes
    are lower case."""
    code = unicodedata.normalize("NFKC", code or "")
    return re.sub(r"[\s-]", "", code).lower()


def second_factor_check(*, user, code):
    """The device that accepts the code, or None. Six digits are an authenticator code; anything
    else is a backup code, used up by this check. Each kind is tried only against its own
    devices, so that a mistyped code does not slow down the other kind."""
    code = normalised_code(code)
    model = TOTPDevice if AUTHENTICATOR_CODE.fullmatch(code) else StaticDevice
    with transaction.atomic():
        devices = model.objects.devices_for_user(user, confirmed=True).select_for_update()
        for device in devices:
            if device.verify_token(code):
                return device
    return None


def authenticator_start(*, user):
    """The authenticator being set up for the user: the same until a code from it confirms it,
    so that reloading the page does not change the QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME,
                                               confirmed=False)


def authenticator_confirm(*, user, device, code):
    """Confirms the authenticator with a code from it. Returns the new backup codes (to be shown
    once), or None when the code is wrong."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied(_("This authenticator is not being set up."))
    code = normalised_code(code)
    with transaction.atomic():
        if not AUTHENTICATOR_CODE.fullmatch(code) or not device.verify_token(code):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        # Tokens issued on the password alone would outlive the new rule by up to a week.
        api_tokens_revoke(user=user)
        return backup_codes_issue(user=user)


def backup_codes_issue(*, user):
    """New backup codes, replacing any left: each signs in once, for a lost phone."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_turn_off(*, user):
    """Removes the user's authenticator and backup codes, where the rules allow it."""
    if second_factor_required(user):
        raise PermissionDenied(_("Two-factor sign-in is required for your account."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def authenticator_qr_svg(device):
    """The QR code an authenticator app scans, as inline SVG (no image library needed)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)


def authenticator_secret(device):
    """The secret as an app asks for it when typed by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
