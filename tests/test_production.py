"""Production settings pass Django's deployment checklist; health endpoints for a load
balancer."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE")}
    environment.update(DJANGO_ENV="production", **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    SECRET_KEY="x" * 20 + "production-secret-for-the-checklist-test" + "y" * 20,
                    ALLOWED_HOSTS="tracker.example.go.jp")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="tracker.example.go.jp")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_admin_can_be_moved_off_its_well_known_path():
    result = manage("shell", "-v0", "-c", "from django.urls import reverse; "
                    "print(reverse('admin:index'), reverse('report-dashboard'))",
                    SECRET_KEY="x" * 50, ALLOWED_HOSTS="tracker.example.go.jp",
                    ADMIN_URL="ops-7f3a/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/ops-7f3a/", "/ops-7f3a/reports/"]


@pytest.mark.django_db
def test_health_endpoints(client, settings):
    assert client.get("/health/").json() == {"status": "ok"}
    ready = client.get("/health/ready/")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    broken = client.get("/health/ready/")
    assert broken.status_code == 503
    assert broken.json()["checks"]["redis"].startswith("unavailable")
