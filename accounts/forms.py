"""The admin's user forms: Django's own, with one identity per account, and the password set
by the one service that also signs the person out everywhere else
(accounts.services.user_set_password)."""

from typing import Any

from django import forms
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    PasswordChangeForm,
    UserChangeForm,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .services import user_set_password
from .sign_in import identity_in_use


class OneIdentityPerAccount(forms.ModelForm):
    """Put before a Django user form: a user name or e-mail address that already names
    another account in any spelling (case, full-width letters) is refused, since signing in
    by it would reach only one of them."""

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        existing = self.instance if self.instance.pk else None
        for field in ("username", "email"):
            value = cleaned_data.get(field)
            if value and identity_in_use(value, exclude=existing):
                self.add_error(field, ValidationError(
                    _("This is already the user name or e-mail address of another account."),
                    code="identity_taken"))
        return cleaned_data


class UserAddForm(OneIdentityPerAccount, AdminUserCreationForm):
    pass


class UserEditForm(OneIdentityPerAccount, UserChangeForm):
    pass


class PasswordSetByService:
    """Put before a Django password form: it validates as before, the service saves."""

    def set_password_and_save(self, user, password_field_name="password1", commit=True,
                              **kwargs):
        # The admin's form may switch password sign-in off instead (set_usable_password).
        usable = self.cleaned_data.get("set_usable_password", True)  # type: ignore[attr-defined]
        password = self.cleaned_data[password_field_name] if usable else None  # type: ignore[attr-defined]
        return user_set_password(user=user, password=password)


class OwnPasswordChangeForm(PasswordSetByService, PasswordChangeForm):
    """Someone changes their own password (old password, new one twice)."""


class UserPasswordSetForm(PasswordSetByService, AdminPasswordChangeForm):
    """An administrator sets someone's password (admin: the user's "Reset password")."""
