"""The benchmark harness measures like with like: on a small generated data set, each endpoint
and its hand-written SQL baseline return the same rows and figures, and the endpoints keep
their query budgets. (Times are `make bench`'s business, not the tests'.)"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests.benchmarks import cases

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="the baselines are PostgreSQL SQL (CI runs it there)"),
]


@pytest.fixture
def generated_data(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    call_command("seed", "--with-demo-users", stdout=StringIO())
    call_command("generate_load", "--scale", "0.01", stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize("case", cases.CASES, ids=lambda case: case.__name__)
def test_each_endpoint_agrees_with_its_baseline_within_its_query_budget(case, generated_data):
    result = case(repeat=1)  # compare() checks first that both give the same rows
    assert result.query_budget is None or result.queries <= result.query_budget


def test_an_api_cases_floor_is_its_baseline_with_an_api_requests_cost_on_top(generated_data):
    stack_ms = cases.api_request_ms(repeat=1)  # its getter fails on anything but a 200
    result = cases.milestone_list(repeat=1)
    assert result.floor is None  # until the runner says what an API request costs
    result.stack_ms = stack_ms
    # The list's count comes from the tally: the floor leaves the baseline's count out.
    assert 0 < result.spared_ms < result.baseline_ms
    assert result.floor * result.baseline_ms == pytest.approx(
        result.baseline_ms - result.spared_ms + stack_ms)
