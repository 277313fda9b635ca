"""The exceptions the domain raises when it refuses a request. The API's error handler
(tracker.api.errors) answers each by its type, so a domain error never names a status code
and the toolkit never names a domain error.

    ServiceError        400  the request asks for something the rules refuse
    Conflict            409  the record's current state does not allow it (a workflow move)
    PreconditionFailed  412  the caller's copy of the record is not the current one
    StaleVersion        412  the same, found on the locked row by a service
    PreconditionRequired 428 a change to a versioned record that names no version (no If-Match)

ServiceError and Conflict are Django ValidationErrors (code, message, per-field errors), so a
form shows them next to the field they name as it shows its own.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ServiceError(ValidationError):
    """The domain refuses the request as asked: 400, with its code and per-field errors."""


class Conflict(ServiceError):
    """The record's current state does not allow this (e.g. a move the workflow forbids)."""


class PreconditionFailed(Exception):
    """The caller's copy of the record is not the current one (an If-Match that does not
    match its ETag)."""

    code = "stale_version"
    message = _("The record has changed since you read it (If-Match does not match its ETag). "
                "Read it again and reapply your change.")


class StaleVersion(PreconditionFailed):
    """The caller edited a version of the record that someone else has since changed."""

    def __init__(self, current_version: int) -> None:
        super().__init__(current_version)
        self.current_version = current_version


class PreconditionRequired(Exception):
    """A change to a versioned record that does not say which version it was based on: without
    If-Match it would silently overwrite whatever someone else saved in between."""

    code = "precondition_required"
    message = _("Send the record's ETag in If-Match (read the record first): changes to it are "
                "refused without it, so that no one's change is silently overwritten.")
