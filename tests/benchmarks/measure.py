"""Timing one case: the endpoint and its baseline, alternated, medians over repeated runs."""

import gc
import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Transaction control is not a query a reader would count.
NOT_QUERIES = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


@dataclass
class Result:
    """Times of one case, paired: the i-th endpoint run next to the i-th baseline run."""

    name: str
    queries: int
    endpoint_times: list[float]
    baseline_times: list[float]
    target: float | None  # None: measured for its growth only
    query_budget: int | None = None
    # What any token-authenticated API request costs in this stack, for a case that is one
    # (cases.api_request_ms); None for the others.
    stack_ms: float | None = None
    # The part of the baseline's work the endpoint is spared by answering it otherwise (the
    # milestone list's count, from the open-work tally): the floor leaves it out.
    spared_ms: float = 0.0

    @property
    def endpoint_ms(self):
        return statistics.median(self.endpoint_times)

    @property
    def baseline_ms(self):
        return statistics.median(self.baseline_times)

    @property
    def ratios(self):
        return [endpoint / baseline
                for endpoint, baseline in zip(self.endpoint_times, self.baseline_times,
                                              strict=True)]

    @property
    def ratio(self):
        """The median of the paired ratios: each pair ran back to back, under the same load."""
        return statistics.median(self.ratios)

    @property
    def spread(self):
        """The lowest and highest paired ratio."""
        return min(self.ratios), max(self.ratios)

    @property
    def floor(self):
        """The least ratio any endpoint on this stack could reach: the baseline's own work
        (less what the endpoint is spared) with the cost of an API request on top. A target
        below it cannot be met by the endpoint's code, only by a lighter stack, a slower
        baseline or sparing more of its work."""
        if self.stack_ms is None:
            return None
        return (self.baseline_ms - self.spared_ms + self.stack_ms) / self.baseline_ms

    @property
    def passed(self):
        return (self.target is None or self.ratio <= self.target) and (
            self.query_budget is None or self.queries <= self.query_budget)


def count_queries(run):
    with CaptureQueriesContext(connection) as captured:
        run()
    return sum(1 for query in captured.captured_queries
               if not query["sql"].startswith(NOT_QUERIES))


def _timed(run):
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def median_ms(run, *, warmup=2, repeat=9):
    for _ in range(warmup):
        run()
    return statistics.median(_timed(run) for _ in range(repeat))


def compare(name, endpoint, baseline, *, target, agree, query_budget=None, warmup=2,
            repeat=9):
    """Milliseconds of `endpoint` and `baseline`, run alternately so that the machine's
    noise falls on both alike. `agree(endpoint_output, baseline_output)` checks first that
    both produce the same rows or figures, so that neither is fast for doing less."""
    agree(endpoint(), baseline())
    for _ in range(warmup):
        endpoint()
        baseline()
    queries = count_queries(endpoint)
    endpoint_times, baseline_times = [], []
    gc.collect()
    for _ in range(repeat):
        endpoint_times.append(_timed(endpoint))
        baseline_times.append(_timed(baseline))
    return Result(name, queries, endpoint_times, baseline_times, target, query_budget)
