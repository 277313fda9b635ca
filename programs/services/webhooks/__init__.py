"""Webhooks (README, Webhooks), one job per module:

    targets.py    where a webhook may go (https only, no private addresses: SSRF)
    signing.py    the Tracker-Signature header
    transport.py  one POST with a timeout and a cap on the answer read
    events.py     emitting an event into the outbox, as the owner sees the resource
    sending.py    sending one delivery, retrying with backoff, failing after a day
    endpoints.py  registering endpoints (administrators)
"""

from .endpoints import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_send_test,
    webhook_endpoint_update,
)
from .events import (
    SEND_TASK,
    webhook_event_emit,
    webhook_overdue_emit,
    webhook_resource_register,
)
from .sending import webhook_deliveries_due, webhook_delivery_send
from .targets import webhook_target

__all__ = ["SEND_TASK", "webhook_deliveries_due", "webhook_delivery_send",
           "webhook_endpoint_create", "webhook_endpoint_delete",
           "webhook_endpoint_rotate_secret", "webhook_endpoint_send_test",
           "webhook_endpoint_update", "webhook_event_emit", "webhook_overdue_emit",
           "webhook_resource_register",
           "webhook_target"]
