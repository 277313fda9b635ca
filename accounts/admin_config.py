"""Installed instead of django.contrib.admin (a module of its own: Django picks an app's config
from its apps.py, which must keep one)."""

from django.contrib.admin.apps import AdminConfig


class TrackerAdminConfig(AdminConfig):
    """django.contrib.admin with the tracker's site (two-factor sign-in) as `admin.site`."""

    default_site = "accounts.admin_site.TrackerAdminSite"
