"""Emitting an event: one outbox row per endpoint that asked for it and whose owner may see
the resource, written in the transaction of the change (so only committed changes are sent),
sent after commit.

The body is the resource as the API shows it to the endpoint's owner: each kind of resource
is registered with its API serializer and the access selector of who sees it
(`webhook_resource_register`: each app registers its own when it is ready). Built when the event
happens and stored, so that every attempt sends the same signed bytes.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from accounts.models import User

from ...models import (
    CLOSED_STATUSES,
    Milestone,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from ..reminders.outbox import outbox_nudge

SEND_TASK = "programs.tasks.send_webhook_delivery"


@dataclass(frozen=True)
class WebhookResource:
    name: str  # the payload's data.object_type, e.g. "milestone"
    visible_to: Callable[[User], QuerySet[Any]]
    serializer: Callable[..., Any]  # a DRF serializer class


_RESOURCES: dict[type[Model], WebhookResource] = {}


def webhook_resource_register(model: type[Model], *, name: str,
                              visible_to: Callable[[User], QuerySet[Any]],
                              serializer: Callable[..., Any]) -> None:
    _RESOURCES[model] = WebhookResource(name=name, visible_to=visible_to, serializer=serializer)


def _envelope(event_id: uuid.UUID, kind: str, object_type: str,
              data: dict[str, Any], *, deleted: bool = False) -> str:
    return json.dumps({"id": str(event_id), "type": kind,
                       "created": timezone.now().isoformat(timespec="seconds"),
                       "data": {"object_type": object_type, "object": data,
                                "deleted": deleted}},
                      cls=DjangoJSONEncoder, ensure_ascii=False)


def _as_seen_by(resource: Model, owner: User) -> dict[str, Any] | None:
    """`resource` as the API shows it to `owner`, or None if they may not see it."""
    registered = _RESOURCES[type(resource)]
    if not owner.is_active:
        return None
    visible = registered.visible_to(owner).filter(pk=resource.pk).first()
    return None if visible is None else dict(registered.serializer(visible, context={}).data)


def _record(endpoint: WebhookEndpoint, **fields: Any) -> WebhookDelivery | None:
    """The row, or None if this endpoint already has this once-only event."""
    try:
        with transaction.atomic():
            return WebhookDelivery.objects.create(endpoint=endpoint, **fields)
    except IntegrityError:
        if fields.get("once_key"):
            return None
        raise


def webhook_event_emit(*, kind: str, resource: Model, once_key: str = "",
                       deleted: bool = False) -> list[int]:
    """Tell every active endpoint subscribed to `kind` whose owner may see `resource`, after
    the current transaction commits. `once_key`: an event with the same kind and key is sent
    to an endpoint once, ever (e.g. overdue since a given due date). `deleted`: the resource
    is about to be deleted (call it before the delete: the payload is its last state).
    Returns the rows' ids."""
    event_id = uuid.uuid4()
    object_type = _RESOURCES[type(resource)].name
    created = []
    endpoints = WebhookEndpoint.objects.filter(is_active=True).select_related("owner")
    for endpoint in endpoints:
        if kind not in endpoint.events:
            continue
        data = _as_seen_by(resource, endpoint.owner)
        if data is None:
            continue
        if once_key and WebhookDelivery.objects.filter(
                endpoint=endpoint, event_type=kind, once_key=once_key).exists():
            continue
        delivery = _record(endpoint, event_id=event_id, event_type=kind, once_key=once_key,
                           body=_envelope(event_id, kind, object_type, data,
                                          deleted=deleted))
        if delivery is not None:
            created.append(delivery.pk)
    outbox_nudge(created, task=SEND_TASK)
    return created


def webhook_test_event(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A "ping" to `endpoint` alone (the admin's and the API's "send test event")."""
    event_id = uuid.uuid4()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event_id=event_id, event_type=WebhookEvent.PING,
        body=_envelope(event_id, WebhookEvent.PING, "webhook_endpoint",
                       {"id": endpoint.pk, "url": endpoint.url,
                        "organisation": endpoint.organisation.code,
                        "events": endpoint.events}))
    outbox_nudge([delivery.pk], task=SEND_TASK)
    return delivery


# An overdue milestone is announced by the first sweep within this many days of its due date
# (so that a missed day's sweep is made up), once per due date.
OVERDUE_CATCH_UP_DAYS = 7


def webhook_overdue_emit(*, on: date) -> int:
    """The daily sweep's "milestone.overdue" events: each open milestone past its planned
    date, once per planned date. Returns how many rows were written."""
    if not any(WebhookEvent.MILESTONE_OVERDUE in endpoint.events
               for endpoint in WebhookEndpoint.objects.filter(is_active=True)):
        return 0
    written = 0
    for milestone in Milestone.objects.exclude(status__in=CLOSED_STATUSES).filter(
            planned_due_on__lt=on,
            planned_due_on__gte=on - timedelta(days=OVERDUE_CATCH_UP_DAYS)).iterator():
        with transaction.atomic():
            written += len(webhook_event_emit(
                kind=WebhookEvent.MILESTONE_OVERDUE, resource=milestone,
                once_key=f"{milestone.pk}:{milestone.planned_due_on.isoformat()}"))
    return written
