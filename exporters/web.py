"""The exporter page: a small server-rendered site for registered companies (Japanese first,
usable on a phone): the front door, sign in, the support measures for you, your profile.
Registration, password reset and the company's own data: exporters.account_web."""

from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from accounts.backends import lockout_detail
from accounts.forms import OwnPasswordChangeForm
from accounts.roles import is_exporter
from accounts.two_factor.forms import CodeForm
from accounts.two_factor.rules import has_authenticator, second_factor_satisfied
from accounts.two_factor.services import second_factor_check, second_factor_turn_off
from accounts.two_factor.steps import WRONG_CODE, SecondFactorLoginMixin, code_step, setup_step
from programs.reporting.labels import in_language
from programs.services.common import today
from tracker.pagination import PageFirstPaginator
from tracker.text import validate_one_line

from .cards import measure_card
from .models import ExporterProfile, ExporterStatus
from .pickers import CategoriesField, MarketsField
from .selectors import measure_notices_received, measures_fitting
from .services.registrations import (
    exporter_resend_verification,
    exporter_update_profile,
    exporter_verify_email,
)
from .services.visits import exporter_record_measures_visit


class SignInForm(AuthenticationForm):
    """Says why a sign-in failed, without telling a stranger whether an address is
    registered: a wrong password (or an unknown name) always gets Django's one message; a
    lockout is told as a lockout, with when to try again, whoever asks (it is counted per
    name typed, registered or not); the state of a registration — not yet confirmed, under
    review, not approved — only to whoever gave its right password."""

    retry_after = 0
    # Django's says both fields may be case-sensitive: the address is found in any spelling.
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": _(
        "Enter a correct e-mail address and password. The password must be typed exactly, "
        "capitals as they are.")}

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                code, self.retry_after, detail = lockout_detail(
                    self.request, {"username": self.cleaned_data.get("username")})
                if code == "account_locked":
                    # "…unless an administrator unlocks it sooner": the company's is the
                    # programme's office.
                    detail = " ".join((str(detail), _(
                        "To have it unlocked sooner, write to the programme at %(contact)s.")
                        % {"contact": settings.EXPORTER_CONTACT_EMAIL}))
                raise ValidationError(detail, code=code) from None
            account = getattr(self.request, "sign_in_refused_account", None)
            profile = getattr(account, "exporter_profile", None)
            if profile is None:
                raise
            raise self.registration_state_error(profile) from None

    def confirm_login_allowed(self, user):
        """The ministry's staff sign in on the staff site: signed in here, they met a bare
        403 on every company page. Told only to whoever gave the account's password."""
        super().confirm_login_allowed(user)
        if not is_exporter(user):
            raise ValidationError(
                _("This sign-in is for registered companies. The ministry's staff sign in on "
                  "the staff site: %(url)s"), code="not_an_exporter",
                params={"url": f"{settings.SITE_URL}{reverse('admin:login')}"})

    def registration_state_error(self, profile):
        if profile.status == ExporterStatus.PENDING_VERIFICATION:
            exporter_resend_verification(profile=profile)
            return ValidationError(
                _("Your e-mail address is not confirmed yet. We have sent the confirmation "
                  "link to %(email)s again: open it within %(days)d days, then wait for the "
                  "programme's review."), code="pending_verification",
                params={"email": profile.user.email,
                        "days": settings.EXPORTER_VERIFICATION_MAX_AGE // (24 * 3600)})
        if profile.status == ExporterStatus.PENDING_APPROVAL:
            return ValidationError(
                _("Your registration is under review (審査中). We will e-mail you the "
                  "decision; once it is approved you can sign in here."),
                code="pending_approval")
        return ValidationError(
            _("Your registration was not approved (reason: %(reason)s). To ask about it, "
              "write to the programme at %(contact)s."), code="rejected",
            params={"reason": profile.rejection_reason,
                    "contact": settings.EXPORTER_CONTACT_EMAIL})


class ExporterLoginView(SecondFactorLoginMixin, auth_views.LoginView):
    """The password; then, for a company that turned on two-factor sign-in, the code."""

    template_name = "exporters/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    code_url = reverse_lazy("exporter-two-factor")  # type: ignore[assignment]
    # Only staff can be made to set one up at sign-in, and they do it in the admin.
    setup_url = reverse_lazy("admin:two_factor_setup")  # type: ignore[assignment]

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.retry_after:
            # Locked out or slowed down: told on the page, in its own words (and kept so by
            # accounts.backends.lockout_response).
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


@never_cache
def two_factor_code(request):
    return code_step(request, template="exporters/two_factor_code.html", context={},
                     start_url=reverse_lazy("exporter-login"),
                     setup_url=reverse_lazy("admin:two_factor_setup"))


def exporter_required(view):
    # Never kept by the browser: after signing out on a shared computer, Back must not show
    # the company's pages again.
    @never_cache
    @login_required
    def wrapped(request, *args, **kwargs):
        if not second_factor_satisfied(request):
            # Signed in before the account turned on two-factor sign-in elsewhere.
            logout(request)
            return redirect_to_login(request.get_full_path())
        if not is_exporter(request.user):
            raise PermissionDenied(_("This page is for registered exporters."))
        return view(request, request.user.exporter_profile, *args, **kwargs)
    return wrapped


class MeasureFilterForm(forms.Form):
    """Narrow the page to one of the company's categories or markets (a measure open to all
    of them stays)."""

    category = forms.ChoiceField(label=_("Product category"), required=False)
    market = forms.ChoiceField(label=_("Market"), required=False)

    def __init__(self, data, *, profile: ExporterProfile):
        super().__init__(data)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("All your categories")),
            *((c.code, in_language(c, "name"))
              for c in profile.product_categories.order_by("order"))]
        self.fields["market"].choices = [  # type: ignore[attr-defined]
            ("", _("All your markets")),
            *((c.iso2, in_language(c, "name")) for c in profile.target_markets.order_by("iso2"))]

    def narrowing(self) -> dict[str, str]:
        """The category and market chosen (empty: all of the company's)."""
        chosen = self.cleaned_data if self.is_valid() else {}
        return {"category": chosen.get("category") or "", "market": chosen.get("market") or ""}


MEASURES_PER_PAGE = 20

# The session remembers when the company's previous visit was, so that what is new stays
# marked while it looks around (filters, the profile) during this visit.
NEW_SINCE_SESSION_KEY = "exporter_measures_new_since"


def _new_since(request, profile: ExporterProfile) -> datetime | None:
    if NEW_SINCE_SESSION_KEY not in request.session:
        previous = exporter_record_measures_visit(profile=profile, at=timezone.now())
        request.session[NEW_SINCE_SESSION_KEY] = previous.isoformat() if previous else ""
    since = request.session[NEW_SINCE_SESSION_KEY]
    return datetime.fromisoformat(since) if since else None
def front_door(request):
    """/exporters/: what the programme offers, with register and sign in, for visitors; the
    support measures for a signed-in company (the address its e-mails link to)."""
    if request.user.is_authenticated:
        return measures_for_you(request)
    return render(request, "exporters/front_door.html", {
        "contact": settings.EXPORTER_CONTACT_EMAIL})


@exporter_required
def measures_for_you(request, profile):
    since = _new_since(request, profile)
    notices = list(measure_notices_received(profile))
    noticed_since = {notice.subject_id for notice in notices
                     if since and notice.created_at > since}
    chosen = {name: value for name in ("category", "market")
              if (value := request.GET.get(name))}
    filters = MeasureFilterForm(chosen or None, profile=profile)
    fits = measures_fitting(profile, on=today())
    # A page at a time: a company that fits thousands of measures gets them twenty by twenty,
    # each page read on its own (the ranking is the database's).
    page = PageFirstPaginator(fits.only(**filters.narrowing()),
                              MEASURES_PER_PAGE).get_page(request.GET.get("page"))
    cards = [measure_card(fit, is_new=since is not None and (
        fit.measure.created_at > since or fit.measure.pk in noticed_since))
        for fit in page.object_list]
    on_page = {card.measure.pk: card.anchor for card in cards}
    return render(request, "exporters/measures.html", {
        "profile": profile, "cards": cards, "filters": filters, "filtered": filters.is_bound,
        "page": page, "page_query": urlencode(
            {name: value for name, value in filters.narrowing().items() if value}),
        "fitting_count": len(fits),
        "notices": [(notice, on_page.get(notice.subject_id)) for notice in notices]})


class ProfileForm(forms.ModelForm):
    product_categories = CategoriesField()
    target_markets = MarketsField()

    class Meta:
        model = ExporterProfile
        fields = ("company_name", "company_name_en", "prefecture", "contact_name",
                  "product_categories", "target_markets")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("company_name", "company_name_en", "contact_name"):
            self.fields[name].validators.append(validate_one_line)
        if not (translation.get_language() or "ja").startswith("ja"):
            # The prefectures have only their Japanese names: read as Japanese (WCAG 3.1.2).
            self.fields["prefecture"].widget.attrs["lang"] = "ja"


@exporter_required
def profile_page(request, profile):
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            exporter_update_profile(profile=profile, by=request.user, data=data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("exporter-profile")
    return render(request, "exporters/profile.html", {
        "profile": profile, "form": form, "two_factor_on": has_authenticator(request.user),
        "contact": settings.EXPORTER_CONTACT_EMAIL})


@never_cache
@exporter_required
def two_factor_page(request, profile):
    """Turn two-factor sign-in on (QR code, a code to confirm, backup codes) or, with a code,
    off."""
    user = request.user
    if not has_authenticator(user):
        return setup_step(request, user=user, pending=False,
                          template="exporters/two_factor_setup.html",
                          done_template="exporters/two_factor_done.html", context={})
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor_check(user=user, code=form.cleaned_data["code"]) is not None:
            second_factor_turn_off(user=user)
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("exporter-profile")
        form.add_error("code", WRONG_CODE)
    return render(request, "exporters/two_factor_on.html", {"form": form})


@method_decorator(never_cache, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    """The company's contact changes the password; signed out everywhere else (tokens too)."""

    form_class = OwnPasswordChangeForm
    template_name = "exporters/password.html"
    success_url = reverse_lazy("exporter-profile")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_exporter(request.user):
            raise PermissionDenied(_("This page is for registered exporters."))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        messages.success(self.request, _("Your password is changed. Other devices and API "
                                         "tokens are signed out."))
        return super().form_valid(form)


def verify_email(request, token):
    """The link in the confirmation e-mail; opened again later, it tells the registration's
    state as it is now (approved: sign in; rejected: why, and whom to ask)."""
    contact = settings.EXPORTER_CONTACT_EMAIL
    try:
        profile = exporter_verify_email(token=token)
    except ValidationError as error:
        return render(request, "exporters/verified.html",
                      {"error": " ".join(error.messages), "contact": contact}, status=400)
    return render(request, "exporters/verified.html", {
        "profile": profile, "company": profile.company_name_for_reader(), "contact": contact})


class ExporterLogoutView(auth_views.LogoutView):
    """Signing out is a POST (the header's button); the address opened or bookmarked asks
    first, instead of the browser's bare 405."""

    http_method_names = ["get", "post", "options"]
    next_page = "exporter-login"

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("exporter-login")
        return render(request, "exporters/logout_confirm.html")
