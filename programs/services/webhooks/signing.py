"""The signature a receiver checks (README, Webhooks): as Stripe and GitHub do, an
HMAC-SHA256 with the endpoint's secret over "<unix time>.<body>", in the header

    Tracker-Signature: t=<unix time>,v1=<hex digest>

The time is signed with the body, so a captured request cannot be replayed later than the
receiver's tolerance (five minutes in the README's snippet)."""

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "Tracker-Signature"
EVENT_HEADER = "Tracker-Event"
DELIVERY_HEADER = "Tracker-Delivery"


def new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"
