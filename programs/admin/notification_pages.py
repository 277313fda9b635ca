"""A person's own notifications in the admin: the list the header's bell opens, each leading to
what it is about, and marking one or all read (POST through the notification services).
Opening an unread one is a POST too: it marks it read, then goes to what it is about."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.admin_home import moment
from accounts.models import User

from ..models import Notification
from ..selectors.access import notifications_visible_to, sees_internal_tracking
from ..services.notifications import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 25


def subject_url(notification: Notification) -> str:
    """The admin page of what the notification is about ("" where the admin has none); its
    subject_type is expected selected with it."""
    subject = notification.subject_type
    try:
        return reverse(f"admin:{subject.app_label}_{subject.model}_change",
                       args=[notification.subject_id])
    except NoReverseMatch:
        return ""


def _person(request: HttpRequest) -> User:
    """The signed-in member of the ministry whose notifications these are."""
    if not sees_internal_tracking(request.user):
        raise PermissionDenied
    return request.user


def my_notifications(request: HttpRequest) -> HttpResponse:
    notifications = notifications_visible_to(_person(request)).select_related("subject_type")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page:
        notification.url = subject_url(notification)  # type: ignore[attr-defined]
        # Dated as the homes date their rows (2026年12月2日 11:06), not 2026/12/02 11:06.
        notification.sent = moment(notification.created_at)  # type: ignore[attr-defined]
    request.current_app = admin.site.name
    return TemplateResponse(request, "admin/notifications.html", {
        **admin.site.each_context(request), "title": _("My notifications"),
        "page": page, "unread": notifications.filter(read_at=None).exists()})


def _back(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("my-notifications") + (
        f"?page={int(request.POST['page'])}" if request.POST.get("page", "").isdigit() else ""))


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    notification = get_object_or_404(notifications_visible_to(person), pk=pk)
    notification_mark_read(notification=notification, by=person)
    return _back(request)


@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    notification = get_object_or_404(
        notifications_visible_to(person).select_related("subject_type"), pk=pk)
    notification_mark_read(notification=notification, by=person)
    return HttpResponseRedirect(subject_url(notification) or reverse("my-notifications"))


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(by=_person(request))
    messages.success(request, ngettext("%(count)d notification marked read.",
                                       "%(count)d notifications marked read.", count)
                     % {"count": count})
    return _back(request)
