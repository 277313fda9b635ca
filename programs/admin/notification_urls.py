"""A person's own notifications, mounted under the admin's address by the project's urls."""

from django.contrib import admin
from django.urls import path

from .notification_pages import (
    my_notifications,
    notification_open,
    notification_read,
    notifications_read_all,
)

urlpatterns = [
    path("", admin.site.admin_view(my_notifications), name="my-notifications"),
    path("<int:pk>/read/", admin.site.admin_view(notification_read), name="my-notification-read"),
    path("<int:pk>/open/", admin.site.admin_view(notification_open), name="my-notification-open"),
    path("read-all/", admin.site.admin_view(notifications_read_all),
         name="my-notifications-read-all"),
]
