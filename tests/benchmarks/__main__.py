"""`make bench`: each endpoint against its hand-written SQL baseline, at one or more scales of
the generated data set, and how each endpoint's time grows from the smallest scale to the
largest.

    python -m tests.benchmarks [--scales "0.2 1"] [--repeat 9] [--throughput-seconds 10]

Needs DATABASE_URL (PostgreSQL) holding the seed (`make bench` sees to it). With --scales, the
data set is generated afresh at each scale in turn (`generate_load --reset`); without, the
data as it is. Prints one line per case and scale: queries, median endpoint and baseline
times, the median of their paired ratios with its spread, the floor and the target; then each
case's growth from one scale to the next; and at each scale, whether any paged milestone list
reads the milestone or history table in full (EXPLAIN). Exits non-zero if a target is missed.

An API case's floor is its baseline, less what the endpoint is spared (the milestone list's
count, which it sums from the open-work tally), with the cost of any token-authenticated API
request (GET /api/v1/me/) on top, as a ratio to the baseline: the least an endpoint on this
stack could reach, however little its own code did. A target below the floor is said so.
"""

import argparse
import os
import platform
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings.development")
os.environ["DEBUG"] = "false"  # no query log, no debug pages: as in production
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from devtools.load import generate_load  # noqa: E402
from tests.support.query_plans import paged_list_scans  # noqa: E402

from . import baselines, cases, throughput  # noqa: E402
from .growth import Sizes, growth_lines  # noqa: E402


def machine():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, PostgreSQL {postgres}")


def generated_at(scale):
    """The data set generated afresh at `scale`, with the planner's statistics brought up to
    date as autovacuum would in time. Where it shrank (a run's first scale after a larger
    one), its tables are compacted first: a table many times the size of its rows misleads
    the planner and the timings alike (scale 0.2 measured slower than scale 1, and counted
    by sequential scans), and no production table shrinks so."""
    before = cases.Milestone.objects.count()
    generate_load(scale=scale, reset=True)
    shrank = cases.Milestone.objects.count() < before
    with connection.cursor() as cursor:
        if shrank:
            cursor.execute("VACUUM FULL")
        # Plain VACUUM also marks the pages all-visible (VACUUM FULL does not), as autovacuum
        # keeps a table: without it no count is read from an index alone.
        cursor.execute("VACUUM ANALYZE")


def sizes_now():
    return Sizes(milestones=cases.Milestone.objects.count(),
                 reminders=len(baselines.reminder_candidates(on=cases.today())))


def run_cases(only, repeat):
    stack_ms = cases.api_request_ms(repeat)
    print(f"an API request's own cost (GET /api/v1/me/, token): {stack_ms:.1f}ms; an API case's "
          f"floor is (baseline - what it is spared + that) / baseline")
    print(f"{'case':<44} {'queries':>7} {'endpoint':>10} {'baseline':>10} {'ratio':>6} "
          f"{'spread':>11} {'floor':>6}  target")
    results = {}
    for case in [case for case in cases.CASES if only in case.__name__]:
        result = results[case.__name__] = case(repeat=repeat)
        if case in cases.API_CASES:
            result.stack_ms = stack_ms
        budget = f"≤{result.query_budget}q " if result.query_budget else ""
        low, high = result.spread
        floor = f"{result.floor:>5.2f}x" if result.floor else f"{'':>6}"
        below = " (target below the floor)" if (
            result.target and result.floor and result.target < result.floor) else ""
        print(f"{result.name:<44} {result.queries:>7} {result.endpoint_ms:>8.1f}ms "
              f"{result.baseline_ms:>8.1f}ms {result.ratio:>5.2f}x {low:>4.2f}–{high:.2f}x "
              f"{floor}  {budget}{f'≤{result.target}x' if result.target else 'growth only'}"
              f"{'' if result.passed else '  MISSED'}{below}",
              flush=True)
    return results


def plans_hold():
    """EXPLAIN every paged milestone list: none may read the milestone or history table in
    full at this scale."""
    scanned = paged_list_scans(cases.client_of(cases.manager()))
    print(f"query plans: {'no paged list reads a whole table' if not scanned else 'MISSED'}")
    for name, (tables, sql) in scanned.items():
        print(f"  {name}: sequential scan of {', '.join(tables)}: {sql}")
    return not scanned


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="",
                        help="generate the data at each of these scales in turn, e.g. '0.2 1 5'")
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per case")
    parser.add_argument("--throughput-seconds", type=float, default=10.0,
                        help="how long each server is driven in the throughput case")
    parser.add_argument("--only", default="",
                        help="run the cases whose function name contains this (no throughput)")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("make bench measures on PostgreSQL: set DATABASE_URL")

    print(f"machine: {machine()}")
    print("Times are only comparable within one run, on a quiet machine.")
    scales = sorted(float(scale) for scale in options.scales.split()) or [None]
    runs = []  # (scale, sizes, {case: result})
    plans_held = []
    for scale in scales:
        if scale is not None:
            print(f"\nscale {scale:g}: generating…", flush=True)
            generated_at(scale)
        print(f"data: {cases.data_summary()}")
        runs.append((scale, sizes_now(), run_cases(options.only, options.repeat)))
        plans_held.append(plans_hold())
    passed = all(plans_held) and all(result.passed for _scale, _sizes, results in runs
                                     for result in results.values())
    if len(runs) > 1:
        print("\ngrowth of each case's time from one scale to the next:")
        for line, met in growth_lines(runs):
            print(line)
            passed = passed and met
    if not options.only:
        served = throughput.compare(seconds=options.throughput_seconds)
        print(f"\n{'throughput: milestone list, gunicorn 2 workers':<44} "
              f"{served.tracker:>7.1f}/s vs raw WSGI {served.raw:.1f}/s = {served.share:.0%} "
              f"(target ≥{throughput.TARGET_SHARE:.0%}){'' if served.passed else '  MISSED'}")
        passed = passed and served.passed
    sys.exit(0 if passed else 1)


main()
