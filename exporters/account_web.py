"""The exporter pages about the account itself: registering (the same service and rules as
the API, and its throttle), how the data are used, resetting a forgotten password (Django's
views, the project's password rules), and the company's own data: download it, or ask to
close the account."""

import csv
import io
import json
import math
from datetime import date, datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.forms import PasswordSetByService
from accounts.models import Role
from accounts.sign_in import user_for_sign_in
from tracker.api.throttling import ScopedRateThrottle
from tracker.spreadsheets import inert_cell

from .api.views import RegisterView
from .selectors import company_data
from .services.closure import exporter_request_closure
from .services.registrations import exporter_register
from .validators import validate_corporate_number
from .web import ProfileForm, exporter_required

# The session remembers where the confirmation link went, for the page after registering.
REGISTERED_EMAIL = "exporter_registered_email"


class ConsentField(forms.BooleanField):
    """Required, and so marked on the form like every field the application needs; left
    unticked it is refused as exporter_register (and so the API) refuses it."""

    def validate(self, value):
        if not value:
            raise ValidationError(
                _("Registration needs your consent to the terms of the programme."),
                code="consent_required")


class RegistrationForm(ProfileForm):
    """The application: the profile's own fields (and pickers), plus what only registering
    asks. The fields check their format (and the consent); exporter_register checks the
    rest — consent, duplicates, the password rules — for the API and this form alike."""

    corporate_number = forms.CharField(
        label=_("corporate number (法人番号)"), max_length=30,
        validators=[validate_corporate_number],
        help_text=_("13 digits, as in the National Tax Agency's register; full-width digits "
                    "and hyphens are fine."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    email = forms.EmailField(
        label=_("e-mail address"), max_length=150,
        help_text=_("We send the confirmation link here; you sign in with it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label=_("password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("password (again)"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    consent = ConsentField(label=_("I agree to how the programme uses our data"))

    field_order = ("company_name", "company_name_en", "corporate_number", "prefecture",
                   "contact_name", "email", "password1", "password2", "product_categories",
                   "target_markets", "consent")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = (
            password_validation.password_validators_help_text_html())
        self.fields["consent"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("exporter-data-use"),
            _("How the programme uses your data"))

    def clean(self):
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", ValidationError(
                _("The two passwords differ."), code="password_mismatch"))
        return cleaned

    def application(self, *, language: str) -> dict[str, Any]:
        """What exporter_register takes, as the API sends it."""
        data = {name: self.cleaned_data[name] for name in (
            "company_name", "company_name_en", "corporate_number", "prefecture",
            "contact_name", "email", "product_categories", "target_markets", "consent")}
        return {**data, "password": self.cleaned_data["password1"], "language": language}

    def add_service_error(self, error: ValidationError) -> None:
        """The service's errors under the fields they name (its `password` is password1)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            field = "password1" if name == "password" else name
            self.add_error(field if field in self.fields else None, errors)


def registration_wait(request) -> int:
    """Seconds before this address may register again (0: now), counted with the API's
    registrations in one bucket (the API view's scope, THROTTLE_REGISTER): the web form is no
    way round it."""
    throttle = ScopedRateThrottle()
    if throttle.allow_request(request, RegisterView()):
        return 0
    return max(1, math.ceil(throttle.wait() or 1))


def register(request):
    if request.user.is_authenticated:
        return redirect("exporter-home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = registration_wait(request)
        if wait:
            response = render(request, "exporters/register.html", {
                "form": form, "wait_minutes": math.ceil(wait / 60), "error": True}, status=429)
            response["Retry-After"] = str(wait)
            return response
        try:
            profile = exporter_register(data=form.application(
                language=translation.get_language() or settings.LANGUAGE_CODE))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            request.session[REGISTERED_EMAIL] = profile.user.email
            return redirect("exporter-registered")
    return render(request, "exporters/register.html", {"form": form})


def registered(request):
    """What happens next, after registering."""
    return render(request, "exporters/registered.html", {
        "email": request.session.get(REGISTERED_EMAIL, ""),
        "days": settings.EXPORTER_VERIFICATION_MAX_AGE // (24 * 3600),
        "contact": settings.EXPORTER_CONTACT_EMAIL})


def data_use(request):
    """How the programme uses a company's data: what the consent on the form agrees to."""
    return render(request, "exporters/data_use.html", {
        "contact": settings.EXPORTER_CONTACT_EMAIL})


# --- a forgotten password ------------------------------------------------------------------------

class ExporterPasswordResetForm(PasswordResetForm):
    """Django's reset form, for registered exporters only (the ministry's people ask an
    administrator), matching the address in any spelling as signing in does, and writing
    the e-mail in the company's language."""

    def get_users(self, email):
        user = user_for_sign_in(email)
        if (user is not None and user.role == Role.EXPORTER and user.is_active
                and user.has_usable_password() and user.email):
            yield user

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        with translation.override(context["user"].language or settings.LANGUAGE_CODE):
            super().send_mail(subject_template_name, email_template_name, context,
                              from_email, to_email, html_email_template_name)


class ExporterSetPasswordForm(PasswordSetByService, SetPasswordForm):
    """The new password passes the same rules as everywhere and is set by the one service,
    which signs the company out everywhere else."""


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ExporterPasswordResetForm
    template_name = "exporters/password_reset.html"
    email_template_name = "exporters/password_reset_email.txt"
    subject_template_name = "exporters/password_reset_subject.txt"
    success_url = reverse_lazy("exporter-password-reset-sent")

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL}  # the link is absolute, as in every e-mail


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "exporters/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ExporterSetPasswordForm
    template_name = "exporters/password_reset_confirm.html"
    success_url = reverse_lazy("exporter-password-reset-done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["error"] = not context["validlink"]  # used or expired: the title says so
        return context


class PasswordResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "exporters/password_reset_done.html"


# --- the company's own data ----------------------------------------------------------------------

# The CSV's item column in words: each key of company_data() as the company reads it
# (プロフィール › 品目区分 1, not profile.product_categories[0]).
ITEM_WORDS = {
    "account": _("Account"), "profile": _("Profile"), "history": _("Registration history"),
    "notifications": _("Notifications"), "emails": _("E-mails"),
    "notification_preferences": _("Notification preferences"),
    "reminder_hour": _("Hour of the daily e-mail"), "sign_ins": _("Sign-ins"),
    "failed_sign_ins": _("Failed sign-ins"), "api_tokens": _("API tokens"),
    "authenticators": _("Authenticators"),
    "username": _("User name"), "email": _("E-mail address"), "language": _("Language"),
    "date_joined": _("Registered at"), "last_login": _("Last signed in at"),
    "company_name": _("Company name"), "company_name_en": _("Company name (English)"),
    "corporate_number": _("Corporate number (法人番号)"), "prefecture": _("Prefecture"),
    "contact_name": _("Contact person"), "status": _("Status"),
    "consented_at": _("Consent given at"), "email_verified_at": _("E-mail confirmed at"),
    "reviewed_at": _("Reviewed at"), "rejection_reason": _("Reason for rejection"),
    "closure_requested_at": _("Closure asked at"), "created_at": _("Created at"),
    "updated_at": _("Updated at"), "product_categories": _("Product category"),
    "target_markets": _("Export market"), "at": _("At"), "change": _("Change"),
    "reason": _("Reason"), "by": _("By"), "kind": _("Kind"), "title": _("Title"),
    "body": _("Message"), "read_at": _("Read at"), "sent_at": _("Sent at"),
    "email_subject": _("Subject"), "enabled": _("On"), "frequency": _("Frequency"),
    "attempt_time": _("At"), "logout_time": _("Signed out at"),
    "ip_address": _("IP address"), "user_agent": _("Browser"), "created": _("Created at"),
    "name": _("Name"), "confirmed": _("Confirmed"),
}


def _rows_for_a_reader(value: Any, path: str = ""):
    """(where, value) for each single value inside nested dicts and lists, as a person reads
    it in a spreadsheet (the CSV's rows): where in words (ITEM_WORDS, the n-th of a list
    counted from 1), each code replaced by its words (`status` by `status_label`), each
    moment in local time in the reader's language (2026年12月2日10:05)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not key.endswith("_label"):
                words = str(ITEM_WORDS.get(key, key))
                yield from _rows_for_a_reader(value.get(f"{key}_label", item),
                                              f"{path} › {words}" if path else words)
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            yield from _rows_for_a_reader(item, f"{path} {index}")
    elif isinstance(value, datetime):
        yield path, date_format(timezone.localtime(value), "DATETIME_FORMAT")
    elif isinstance(value, date):
        yield path, date_format(value, "DATE_FORMAT")
    else:
        yield path, value


@exporter_required
def data_download(request, profile, file_format):
    """Everything the tracker holds about the company, as JSON (codes, with their words
    beside them, and ISO times) or as CSV for a person (one row per value: where it is, and
    the value in words and local time)."""
    data = company_data(profile)
    stamp = timezone.localdate().isoformat()
    name = f"exporter-{profile.corporate_number}-{stamp}.{file_format}"
    if file_format == "json":
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8")
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow([_("Item"), _("Value")])
        for where, value in _rows_for_a_reader(data):
            writer.writerow([inert_cell(where), inert_cell("" if value is None else value)])
        # With a byte-order mark, so that Excel reads the Japanese as UTF-8.
        response = HttpResponse("\ufeff" + text.getvalue(),
                                content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@exporter_required
def closure_request(request, profile):
    """The company asks to close its account, on a page of its own that says what follows
    (one click on the profile page sent it); an officer of the programme confirms."""
    if profile.closure_requested_at is not None:
        return redirect("exporter-profile")
    if request.method != "POST" or request.POST.get("confirmed") != "yes":
        return render(request, "exporters/closure_confirm.html", {
            "contact": settings.EXPORTER_CONTACT_EMAIL})
    exporter_request_closure(profile=profile, by=request.user)
    messages.success(request, _("Your request to close the account is sent. Once an officer "
                                "of the programme confirms it, the account closes and its "
                                "personal data are removed; until then nothing changes."))
    return redirect("exporter-profile")
