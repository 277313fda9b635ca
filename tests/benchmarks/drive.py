"""The load driver, run as a process of its own: GET one URL from a few threads for a fixed
time and print how many responses came back 200 (and how many did not)."""

import http.client
import sys
import threading
import time


def drive(port, path, seconds, threads, headers):
    counts = {"ok": 0, "failed": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                outcome = "ok" if response.status == 200 else "failed"
            except OSError:
                outcome = "failed"
            finally:
                connection.close()
            with lock:
                counts[outcome] += 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return counts


if __name__ == "__main__":
    port, path, seconds, threads, token = sys.argv[1:6]
    headers = {"Host": "127.0.0.1", **({"Authorization": f"Token {token}"} if token else {})}
    counts = drive(int(port), path, float(seconds), int(threads), headers)
    print(counts["ok"], counts["failed"])
