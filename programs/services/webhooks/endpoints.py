"""Registering webhook endpoints (administrators only)."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from tracker.errors import ServiceError

from ...models import SUBSCRIBABLE_EVENTS, WebhookDelivery, WebhookEndpoint
from ...selectors.access import is_administrator
from ..common import reject_unknown_fields, require
from .events import webhook_test_event
from .signing import new_secret
from .targets import webhook_target

FIELDS = ("organisation", "owner", "url", "description", "events", "is_active")


def _validate(endpoint: WebhookEndpoint) -> None:
    webhook_target(endpoint.url)
    events = endpoint.events
    if not isinstance(events, list) or not events or any(
            event not in SUBSCRIBABLE_EVENTS for event in events):
        raise ServiceError({"events": ServiceError(
            _("Choose one or more of: %(events)s."), code="invalid_events",
            params={"events": ", ".join(SUBSCRIBABLE_EVENTS)})})
    endpoint.events = sorted(set(events))
    owner: User = endpoint.owner
    if not owner.is_active or owner.organisation_id != endpoint.organisation_id:
        raise ServiceError({"owner": ServiceError(
            _("The owner must be an active account of the endpoint's organisation."),
            code="invalid_webhook_owner")})
    endpoint.full_clean(exclude=["secret"])


def _require_administrator(by: User) -> None:
    require(is_administrator(by), _("Only administrators manage webhooks."))


@transaction.atomic
def webhook_endpoint_create(*, by: User, organisation: Organisation,
                            data: Mapping[str, Any]) -> WebhookEndpoint:
    """Register an endpoint; its secret is generated here (the caller shows it once)."""
    _require_administrator(by)
    reject_unknown_fields(data, FIELDS)
    endpoint = WebhookEndpoint(organisation=organisation, secret=new_secret(), **data)
    _validate(endpoint)
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_update(*, endpoint: WebhookEndpoint, by: User,
                            data: Mapping[str, Any]) -> WebhookEndpoint:
    _require_administrator(by)
    reject_unknown_fields(data, FIELDS)
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    for field, value in data.items():
        setattr(locked, field, value)
    _validate(locked)
    locked.save()
    return locked


@transaction.atomic
def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint, by: User) -> WebhookEndpoint:
    """A new secret (the old one stops working at once); the caller shows it once."""
    _require_administrator(by)
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, by: User) -> None:
    _require_administrator(by)
    endpoint.delete()


@transaction.atomic
def webhook_endpoint_send_test(*, endpoint: WebhookEndpoint, by: User) -> WebhookDelivery:
    """A signed "ping" to the endpoint, sent after commit like any event."""
    _require_administrator(by)
    webhook_target(endpoint.url)
    return webhook_test_event(endpoint=endpoint)
