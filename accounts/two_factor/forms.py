from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=32, strip=True,
        help_text=_("The six digits your authenticator app shows, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "inputmode": "text", "autocapitalize": "off"}))


class SetupCodeForm(CodeForm):
    code = forms.CharField(
        label=_("Code"), max_length=32, strip=True,
        help_text=_("The six digits your authenticator app shows after scanning."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "inputmode": "numeric"}))
