from .base import *  # noqa: F403
from .base import DEVELOPMENT_SECRET_KEY, INSTALLED_APPS, env

# The load and demo generators (devtools) are development tooling: never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is acceptable only on a developer's machine with DEBUG on.
SECRET_KEY = env.str("SECRET_KEY", default="") or (DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")

DEMO_ACCOUNTS_ALLOWED = True
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="tracker-demo-2026")
