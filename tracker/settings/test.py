from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

# The load and demo generators (devtools) are development tooling: never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="test-only-insecure-key")
DEMO_ACCOUNTS_ALLOWED = True
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="tracker-demo-2026")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in the test process; the worker integration test starts real workers itself.
CELERY_TASK_ALWAYS_EAGER = True
# Tests send bursts of requests; the throttling test sets its own rates.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {  # noqa: F405
    "anon": "100000/minute", "user": "100000/minute", "auth": "100000/minute",
    "register": "100000/minute"}}
# Parallel test processes (pytest-xdist sets PYTEST_XDIST_WORKER) share one Redis: each keeps
# its own throttle and lockout counters.
CACHES["default"]["KEY_PREFIX"] = env.str("PYTEST_XDIST_WORKER", default="")  # noqa: F405
# Signing in takes a password only, whatever the environment says; the two-factor tests turn
# it on themselves.
STAFF_OTP_REQUIRED = False
# The webhook tests' receiver listens on 127.0.0.1; the SSRF tests turn this off.
WEBHOOK_ALLOW_PRIVATE_TARGETS = True
