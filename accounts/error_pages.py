"""The refusal of a form whose CSRF token failed, as a page of the site it was sent from.
Django's own renders without the request, so the page could not tell a company's form from
the staff site's (CSRF_FAILURE_VIEW)."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
