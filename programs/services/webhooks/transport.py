"""One HTTP POST to a checked target: to its checked address (TLS still verifies the host
name), no redirects followed, a timeout on the whole exchange and at most
WEBHOOK_RESPONSE_MAX_BYTES of the answer read."""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from django.conf import settings

from .targets import Target


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout,
                         context=ssl.create_default_context())
        self.address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(target: Target, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body`; raises OSError (timeouts included) when there is no answer in time."""
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    cap = settings.WEBHOOK_RESPONSE_MAX_BYTES
    deadline = time.monotonic() + timeout
    connection_class = (_PinnedHTTPSConnection if target.scheme == "https"
                        else _PinnedHTTPConnection)
    connection = connection_class(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers={
            **headers, "Content-Type": "application/json", "User-Agent": "TradeStrategyTracker",
            "Connection": "close"})
        response = connection.getresponse()
        received = b""
        while len(received) < cap:
            if time.monotonic() > deadline:
                raise TimeoutError("the answer took longer than WEBHOOK_TIMEOUT_SECONDS")
            chunk = response.read1(min(8192, cap - len(received)))
            if not chunk:
                break
            received += chunk
        return Answer(status=response.status, body=received)
    except http.client.HTTPException as error:
        raise OSError(f"bad HTTP answer: {error!r}") from error
    finally:
        connection.close()
