"""The caller's address, as the throttles, the sign-in lockout and the logs see it: from the
connection unless TRUSTED_PROXY_COUNT says how many proxies stand in front of the tracker."""

import json
import logging

import pytest
from django.test import RequestFactory
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle

from tracker.client_address import ClientAddressLogFilter, client_address
from tracker.logging import JSONFormatter

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"
REGISTER_URL = "/api/v1/exporters/register/"
PROXY = "10.0.0.2"


@pytest.fixture
def tight_throttles(monkeypatch, fresh_cache):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES",
                        {"auth": "3/minute", "register": "3/minute"})
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1000/minute"})


def ask_for_token(client, **headers):
    return client.post(TOKEN_URL, {"username": "x", "password": "y"},
                       content_type="application/json", **headers).status_code


def test_forwarded_for_is_ignored_without_a_trusted_proxy(client, tight_throttles):
    statuses = [ask_for_token(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
                for n in range(5)]
    assert statuses == [400, 400, 400, 429, 429]


def test_registration_stays_throttled_when_the_forwarded_for_header_changes(
        client, tight_throttles):
    statuses = [client.post(REGISTER_URL, {}, content_type="application/json",
                            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
                for n in range(5)]
    assert statuses == [400, 400, 400, 429, 429]


def test_behind_a_proxy_each_client_has_its_own_throttle(client, tight_throttles, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client may write anything left of what the proxy appends: that part is not read.
    first = [ask_for_token(client, REMOTE_ADDR=PROXY,
                           HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5")
             for n in range(4)]
    second = ask_for_token(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert first == [400, 400, 400, 429]
    assert second == 400


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), [
    (0, "203.0.113.5", "127.0.0.1"),
    (1, "192.0.2.1, 203.0.113.5", "203.0.113.5"),
    (2, "192.0.2.1, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
    (2, "203.0.113.5", "127.0.0.1"),  # did not come through both proxies
    (1, "not-an-address", "127.0.0.1"),
    (1, "", "127.0.0.1"),
    (1, " 2001:db8::1 ", "2001:db8::1"),
])
def test_the_client_is_the_address_the_outermost_trusted_proxy_saw(
        settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_log_lines_name_the_client_behind_the_proxy(client, officer, settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    caplog.handler.addFilter(ClientAddressLogFilter())
    with caplog.at_level(logging.INFO):
        client.post(TOKEN_URL, {"username": officer.username, "password": "wrong"},
                    content_type="application/json", REMOTE_ADDR=PROXY,
                    HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5")

    lines = [json.loads(JSONFormatter().format(record)) for record in caplog.records]
    assert lines and {line.get("client") for line in lines} == {"203.0.113.5"}
