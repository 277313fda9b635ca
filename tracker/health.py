"""Health checks for a load balancer: /health/ (the process answers) and /health/ready/ (the
database, and Redis and the Celery broker when configured, are reachable)."""

from django.conf import settings
from django.db import connection
from django.views.decorators.cache import never_cache

from .responses import json_response


@never_cache
def live(request):
    return json_response({"status": "ok"})


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _redis():
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()


def _broker():
    from tracker.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@never_cache
def ready(request):
    checks = {"database": _database}
    if settings.REDIS_URL:
        checks.update(redis=_redis, broker=_broker)
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:  # any failure means "not ready"; its kind is reported
            results[name] = f"unavailable: {type(error).__name__}"
    ready_ = all(value == "ok" for value in results.values())
    return json_response({"status": "ok" if ready_ else "unavailable", "checks": results},
                         status=200 if ready_ else 503)
