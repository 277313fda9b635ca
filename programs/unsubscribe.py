"""The one-click page a reminder's List-Unsubscribe header and footer link point at.

GET shows what the link turns off and a button; POST (the button, or a mail client's
RFC 8058 one-click request) turns it off. No sign-in: the signed link is the authority,
and it can only turn reminders off.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.roles import is_exporter

from .models import ReminderKind
from .services.notifications import notifications_unsubscribe, unsubscribe_token_read


@csrf_exempt  # mail clients post without a session or a CSRF token (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        user_id, kinds = unsubscribe_token_read(token)
        user = User.objects.get(pk=user_id)
    except (ValidationError, User.DoesNotExist):  # not our link, or a person since deleted
        return HttpResponse(status=404)
    done = request.method == "POST"
    if done:
        notifications_unsubscribe(user=user, kinds=kinds)
    return render(request, "reminders/unsubscribe.html", {
        "kinds": [ReminderKind(kind).label for kind in kinds], "done": done,
        "language": user.language,
        # A registered company has no notification preferences: it asks the programme.
        "programme_contact": settings.EXPORTER_CONTACT_EMAIL if is_exporter(user) else ""})
