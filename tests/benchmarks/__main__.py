"""`make bench`: each endpoint against its hand-written SQL baseline, on the generated data set.

    python -m tests.benchmarks [--repeat 9] [--throughput-seconds 10]

Needs DATABASE_URL (PostgreSQL) holding the seed and `generate_load` data (`make bench` sees
to both). Prints one line per case: queries, median endpoint and baseline times, their ratio
and the target; exits non-zero if a target is missed.
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

from . import cases, throughput  # noqa: E402


def machine():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, PostgreSQL {postgres}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per case")
    parser.add_argument("--throughput-seconds", type=float, default=10.0,
                        help="how long each server is driven in the throughput case")
    parser.add_argument("--only", default="",
                        help="run the cases whose function name contains this (no throughput)")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("make bench measures on PostgreSQL: set DATABASE_URL")

    print(f"machine: {machine()}")
    print(f"data: {cases.data_summary()}")
    print(f"{'case':<44} {'queries':>7} {'endpoint':>10} {'baseline':>10} {'ratio':>6} "
          f"{'target':>7}")
    results = []
    for case in [case for case in cases.CASES if options.only in case.__name__]:
        result = case(repeat=options.repeat)
        results.append(result)
        budget = f"≤{result.query_budget}q " if result.query_budget else ""
        print(f"{result.name:<44} {result.queries:>7} {result.endpoint_ms:>8.1f}ms "
              f"{result.baseline_ms:>8.1f}ms {result.ratio:>5.2f}x {budget}≤{result.target}x"
              f"{'' if result.passed else '  MISSED'}", flush=True)
    if options.only:
        sys.exit(0 if all(result.passed for result in results) else 1)
    served = throughput.compare(seconds=options.throughput_seconds)
    print(f"{'throughput: milestone list, gunicorn 2 workers':<44} "
          f"{served.tracker:>7.1f}/s vs raw WSGI {served.raw:.1f}/s = {served.share:.0%} "
          f"(target ≥50%){'' if served.passed else '  MISSED'}")
    if not all(result.passed for result in results) or not served.passed:
        sys.exit(1)


main()
