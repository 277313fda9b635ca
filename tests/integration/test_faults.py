"""Faults injected into real servers: Redis stopped under the web app, and the database
connection dropped in the middle of a write. PostgreSQL only (the servers are separate
processes sharing the test database; CI runs it there)."""

import shutil
from datetime import timedelta
from unittest import mock

import psycopg
import pytest
import requests
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from exporters.validators import corporate_number_check_digit
from programs.models import Delivery, DeliveryStatus, Milestone
from programs.services import milestones as milestone_services
from tests.factories import (
    CountryFactory,
    InitiativeFactory,
    MilestoneFactory,
    ProductCategoryFactory,
    UserFactory,
)
from tests.support.processes import (
    free_port,
    listening,
    mails,
    publish,
    start_redis,
    start_web,
    start_worker,
    stop,
    wait_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL (CI runs it there)"),
]
DAILY_SWEEP = "programs.tasks.send_daily_reminders"
EXPORTER_EMAILS = [f"export{number}@minato.example.jp" for number in range(3)]


def registration(number, email):
    base = f"70000120{number:04d}"
    return {
        "company_name": f"みなと水産{number}株式会社", "company_name_en": f"Minato {number}",
        "corporate_number": f"{corporate_number_check_digit(base)}{base}", "prefecture": "04",
        "contact_name": "輸出 太郎", "email": email, "password": "Kaisen-Export-2026!",
        "product_categories": ["seafood"], "target_markets": ["SG"], "language": "ja",
        "consent": True,
    }


def mails_to(mail_dir, addresses):
    return [path for path in mails(mail_dir)
            if any(f"To: {address}" in path.read_text() for address in addresses)]


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")
def test_with_redis_down_writes_succeed_and_the_mail_goes_out_once_it_is_back(tmp_path):
    ProductCategoryFactory(code="seafood", order=0, name_ja="水産物", name_en="Seafood")
    CountryFactory(iso2="SG")
    officer = UserFactory(role="officer")
    later = timezone.localdate() + timedelta(days=100)
    milestone = MilestoneFactory(initiative=InitiativeFactory(owner=officer),
                                 planned_due_on=later, baseline_due_on=later)
    token = Token.objects.create(user=officer)
    redis_port, web_port = free_port(), free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    site = f"http://127.0.0.1:{web_port}"
    redis = start_redis(redis_port, tmp_path)
    web = start_web(tmp_path, web_port, REDIS_URL=redis_url, THROTTLE_REGISTER="100/minute")
    worker = None
    try:
        assert wait_for(lambda: listening(web_port) and listening(redis_port))
        assert requests.get(f"{site}/health/ready/", timeout=10).status_code == 200

        stop(redis)
        ready = requests.get(f"{site}/health/ready/", timeout=10)
        assert ready.status_code == 503
        assert ready.json()["checks"]["redis"].startswith("unavailable")
        for number, email in enumerate(EXPORTER_EMAILS):
            response = requests.post(f"{site}/api/v1/exporters/register/",
                                     json=registration(number, email), timeout=30)
            assert response.status_code == 201, response.text
        patched = requests.patch(f"{site}/api/v1/milestones/{milestone.pk}/",
                                 json={"description": "Redis が止まっていても保存できる"},
                                 headers={"Authorization": f"Token {token.key}",
                                          "If-Match": f'"v{milestone.version}"'}, timeout=30)
        assert patched.status_code == 200, patched.text
        assert Milestone.objects.get(pk=milestone.pk).description.startswith("Redis")
        # The confirmation e-mails wait in the delivery log, not in the lost broker.
        waiting = Delivery.objects.filter(recipient__email__in=EXPORTER_EMAILS)
        assert sorted(waiting.values_list("status", flat=True)) == [DeliveryStatus.PENDING] * 3

        redis = start_redis(redis_port, tmp_path)
        assert wait_for(lambda: listening(redis_port))
        worker = start_worker(tmp_path, REDIS_URL=redis_url)
        publish(DAILY_SWEEP, tmp_path, redis_url)
        assert wait_for(lambda: len(mails_to(tmp_path, EXPORTER_EMAILS)) >= 3, timeout=90)
        publish(DAILY_SWEEP, tmp_path, redis_url)  # a second sweep must not send them again
        assert not wait_for(lambda: len(mails_to(tmp_path, EXPORTER_EMAILS)) > 3, timeout=4)
        assert len(mails_to(tmp_path, EXPORTER_EMAILS)) == 3
        assert set(waiting.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    finally:
        for process in (web, worker, redis):
            if process is not None:
                stop(process)


def drop_connection_after(original):
    """Wrap a service step so that the request's database connection is terminated by the
    server right after the step has written (as a restart or failover would)."""
    def step(*args, **kwargs):
        result = original(*args, **kwargs)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        db = connection.settings_dict
        with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                             user=db["USER"], password=db["PASSWORD"] or None,
                             dbname=db["NAME"], autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return result
    return step


def test_a_connection_dropped_mid_write_is_a_clean_503_and_nothing_is_saved():
    officer = UserFactory(role="officer")
    milestone = MilestoneFactory(initiative=InitiativeFactory(owner=officer), description="前")
    client = APIClient()
    client.force_authenticate(user=officer)
    url = f"/api/v1/milestones/{milestone.pk}/"
    dropping = drop_connection_after(milestone_services.save_with_history)
    with mock.patch.object(milestone_services, "save_with_history", dropping):
        response = client.patch(url, {"description": "後"}, format="json",
                                HTTP_ACCEPT_LANGUAGE="ja", HTTP_IF_MATCH="*")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["code"] == "database_unavailable"
    assert "データベース" in response.json()["detail"]

    connection.close()  # the test shares the request's (dead) connection
    unchanged = Milestone.objects.get(pk=milestone.pk)
    assert (unchanged.description, unchanged.version) == ("前", milestone.version)
    assert unchanged.history.count() == 1
    assert client.patch(url, {"description": "後"}, format="json",
                        HTTP_IF_MATCH="*").status_code == 200
