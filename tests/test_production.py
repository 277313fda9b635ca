"""Production settings pass Django's deployment checklist, refuse to start with a weak secret
key or to create the public demo accounts, and leave the development tooling out; health
endpoints for a load balancer."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from setuptools import find_namespace_packages

from accounts.models import User

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "Vq3-production-secret-for-tests_8rTz0pLm4Xk9wYb2NcH7sJd5Fg1Ae6Qu"


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE")}
    environment.update(DJANGO_SETTINGS_MODULE="tracker.settings.production", **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    SECRET_KEY=STRONG_KEY,
                    ALLOWED_HOSTS="tracker.example.go.jp")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="tracker.example.go.jp")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("key, reason", [
    ("", "empty"),
    ("x", "fewer than 50 characters"),
    ("dev-only-insecure-key-do-not-use-in-production", "the development key"),
    ("dev-only-insecure-key-do-not-use-in-production1234", "the development key"),
    ("django-insecure-" + "k3y" * 20, "django-insecure-"),
    ("abcd" * 20, "fewer than 20 different characters"),
    ("0123456789" * 5, "fewer than 20 different characters"),
    ("abcdefghijklmnopqrstuvwxy" * 2, "repeats a shorter pattern"),
])
def test_production_refuses_to_start_with_a_weak_secret_key(key, reason):
    result = manage("check", SECRET_KEY=key, ALLOWED_HOSTS="tracker.example.go.jp")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is too weak for production" in result.stderr
    assert reason in result.stderr


def test_seeding_demo_accounts_under_production_settings_is_a_one_line_error(tmp_path):
    result = manage("seed", "--with-demo-users", SECRET_KEY=STRONG_KEY,
                    ALLOWED_HOSTS="tracker.example.go.jp",
                    DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # Log lines are JSON (the app's start-up logs); the error is the one line that is not.
    assert [line for line in result.stderr.splitlines() if not line.startswith("{")] == [
        "CommandError: Demo accounts are for development only: these are production "
        "settings, where --with-demo-users is refused."]
    assert "tracker-demo-2026" not in result.stdout + result.stderr


def test_production_has_no_demo_password_to_fall_back_on():
    result = manage("shell", "-v0", "-c", "from django.conf import settings; "
                    "print(repr(settings.DEMO_PASSWORD), settings.DEMO_ACCOUNTS_ALLOWED)",
                    SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="tracker.example.go.jp")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["''", "False"]


@pytest.mark.django_db
def test_no_demo_account_is_created_where_demo_accounts_are_not_allowed(settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    with pytest.raises(CommandError, match="development only"):
        call_command("seed", "--with-demo-users")
    assert not User.objects.filter(username="admin").exists()


def test_the_admin_can_be_moved_off_its_well_known_path():
    result = manage("shell", "-v0", "-c", "from django.urls import reverse; "
                    "print(reverse('admin:index'), reverse('report-dashboard'))",
                    SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="tracker.example.go.jp",
                    ADMIN_URL="ops-7f3a/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/ops-7f3a/", "/ops-7f3a/reports/"]


def test_production_settings_do_not_install_the_development_tooling():
    result = manage("shell", "-v0", "-c", "from django.apps import apps; "
                    "from django.core.management import get_commands; "
                    "print(apps.is_installed('devtools'), 'generate_load' in get_commands())",
                    SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="tracker.example.go.jp")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_the_built_package_leaves_the_development_tooling_out():
    """The packages setuptools puts in the wheel, found as it finds them: pyproject's
    [tool.setuptools.packages.find] include list (namespaces on, its default there)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    packaged = set(find_namespace_packages(where=str(ROOT), include=include))
    assert {"tracker", "accounts", "programs", "programs.services"} <= packaged
    assert (ROOT / "devtools" / "load").is_dir()  # there to be left out
    assert not {name for name in packaged if name.split(".")[0] == "devtools"}


@pytest.mark.django_db
def test_health_endpoints(client, settings):
    assert client.get("/health/").json() == {"status": "ok"}
    ready = client.get("/health/ready/")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    broken = client.get("/health/ready/")
    assert broken.status_code == 503
    assert broken.json()["checks"]["redis"].startswith("unavailable")
