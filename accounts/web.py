"""The exporter page: a small server-rendered site for registered companies (Japanese first,
usable on a phone): sign in, the support measures for you, your profile."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from programs.models import Country, ProductCategory
from programs.selectors.support import measures_fitting
from programs.services.common import today
from programs.services.support_notices import why_lines
from tracker.text import validate_one_line

from .models import ExporterProfile, Role
from .services import exporter_update_profile, exporter_verify_email


class ExporterLoginView(auth_views.LoginView):
    template_name = "exporters/login.html"
    redirect_authenticated_user = True


def exporter_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.EXPORTER:
            raise PermissionDenied(_("This page is for registered exporters."))
        return view(request, request.user.exporter_profile, *args, **kwargs)
    return wrapped


@exporter_required
def measures_for_you(request, profile):
    fits = measures_fitting(profile, on=today())
    return render(request, "exporters/measures.html", {
        "profile": profile, "fits": [(fit, why_lines(fit)) for fit in fits]})


class ProfileForm(forms.ModelForm):
    product_categories = forms.ModelMultipleChoiceField(
        label=_("product categories"), queryset=ProductCategory.objects.order_by("order"),
        widget=forms.CheckboxSelectMultiple)
    target_markets = forms.ModelMultipleChoiceField(
        label=_("target markets"), queryset=Country.objects.order_by("name_ja"),
        widget=forms.SelectMultiple(attrs={"size": 8}))

    class Meta:
        model = ExporterProfile
        fields = ("company_name", "company_name_en", "prefecture", "contact_name",
                  "product_categories", "target_markets")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("company_name", "company_name_en", "contact_name"):
            self.fields[name].validators.append(validate_one_line)


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
    return render(request, "exporters/profile.html", {"profile": profile, "form": form})


def verify_email(request, token):
    try:
        profile = exporter_verify_email(token=token)
    except ValidationError as error:
        return render(request, "exporters/verified.html", {"error": " ".join(error.messages)},
                      status=400)
    return render(request, "exporters/verified.html", {"profile": profile})
