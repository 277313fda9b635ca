"""The staff site's sign-in form: Django's admin form, telling a wrong name or password as it
is."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _


class StaffSignInForm(AdminAuthenticationForm):
    # Django's says both fields may be case-sensitive: a user name or address is found in any
    # spelling (accounts.sign_in.user_for_sign_in); only the password is exact.
    error_messages = {**AdminAuthenticationForm.error_messages, "invalid_login": _(
        "Enter a correct user name or e-mail address of a staff account, and its password. "
        "The password must be typed exactly, capitals as they are.")}
