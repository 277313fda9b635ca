import pytest

from tests.support import processes


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of the test's own, so that nothing else the suite does to a shared Redis
    (a cache cleared by another test process) can touch it; its URL."""
    port = processes.free_port()
    redis = processes.start_redis(port, tmp_path)
    assert processes.wait_for(lambda: processes.listening(port)), "redis-server did not start"
    yield f"redis://127.0.0.1:{port}/0"
    processes.stop(redis)
