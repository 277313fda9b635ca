"""A webhook receiver on 127.0.0.1 for the tests (the `receiver` fixture in tests/conftest.py),
and the README's signature check as a receiver would copy it."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# --- the README's verification snippet, as a receiver would copy it ---------------------------

def verify_tracker_signature(secret: str, header: str, body: bytes,
                             tolerance: int = 300) -> bool:
    """True if `header` (Tracker-Signature) signs `body` with `secret`, made within
    `tolerance` seconds."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body,
                        hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


# --- a local receiver ---------------------------------------------------------------------------

class Receiver:
    """An HTTP server on 127.0.0.1 that records what it is sent. `fail_next`: how many of
    the next requests it answers 500 (as if down); `answer_delay`, `endless`: a slow and an
    endless answer."""

    def __init__(self):
        self.requests = []
        self.fail_next = 0
        self.answer_delay = 0.0
        self.endless = False
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.answer_delay:
                    time.sleep(receiver.answer_delay)
                if receiver.fail_next:
                    receiver.fail_next -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                receiver.requests.append((dict(self.headers), body))
                self.send_response(200)
                self.end_headers()
                try:
                    while True:
                        self.wfile.write(b"x" * 65536)
                        if not receiver.endless:
                            break
                except OSError:
                    pass  # the sender stopped reading

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/tracker?x=1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def events(self):
        return [json.loads(body) for _headers, body in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
