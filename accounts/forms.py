"""Django's password forms, with the password set by the one service that also signs the
person out everywhere else (accounts.services.user_set_password)."""

from django.contrib.auth.forms import AdminPasswordChangeForm, PasswordChangeForm

from .services import user_set_password


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
