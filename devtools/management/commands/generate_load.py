"""`manage.py generate_load`: the load data set of `devtools.load` (see its
docstring for what it creates, the re-run policy and how dates are anchored)."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from devtools.load import BATCH_SIZE, DEFAULT_SEED, LoadError, generate_load

PROGRESS_INTERVAL_SECONDS = 2.0


def _positive(kind):
    def parse(text):
        value = kind(text)
        if not value > 0:
            raise ValueError(text)
        return value
    parse.__name__ = f"positive {kind.__name__}"
    return parse


class Command(BaseCommand):
    help = (
        "Generate a large, realistic data set on top of the seed for load tests: at --scale 1, "
        "300 initiatives, 5,000 projects, 100,000 milestones with 1,000,000 history rows, "
        "2,000 KPI measurements, 500 officers, 10,000 exporters and 2,000 support measures. "
        "A bulk loader: no services, signals or notifications. Same --seed, --scale and "
        "--anchor: same data. Refuses when generated data is present unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=_positive(float), default=1.0,
                            help="Fraction of the full data set (default 1; at least one row "
                                 "of each kind).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=f"Random seed (default {DEFAULT_SEED}): the same seed, scale "
                                 "and anchor give the same data.")
        parser.add_argument("--anchor", type=date.fromisoformat, default=None,
                            help="The day dates are spread around, YYYY-MM-DD (default today).")
        parser.add_argument("--reset", action="store_true",
                            help="First delete the rows an earlier run generated (only those).")
        parser.add_argument("--batch-size", type=_positive(int), default=BATCH_SIZE,
                            help=f"Rows per insert (default {BATCH_SIZE}).")

    def handle(self, *args, scale, seed, anchor, reset, batch_size, **options):
        self._last_line = 0.0
        try:
            report = generate_load(scale=scale, seed=seed, anchor=anchor, reset=reset,
                                   batch_size=batch_size, on_progress=self._progress)
        except LoadError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{'stage':<32}{'rows':>12}{'+ links/history':>17}{'seconds':>10}"
                          f"{'rows/s':>12}")
        for stage in report.stages:
            self.stdout.write(f"{stage.name:<32}{stage.done:>12,}{stage.related:>17,}"
                              f"{stage.seconds:>10.1f}{stage.rows_per_second:>12,.0f}")
        self.stdout.write(self.style.SUCCESS(
            f"Generated {report.rows:,} rows in {report.seconds:.1f} s "
            f"(scale {scale}, seed {seed}, anchor {report.anchor})."))

    def _progress(self, stage):
        """A line per stage when it completes, and every few seconds while a long one runs."""
        now = time.monotonic()
        if not stage.finished and now - self._last_line < PROGRESS_INTERVAL_SECONDS:
            return
        self._last_line = now
        self.stderr.write(f"{stage.name}: {stage.done:,}/{stage.total:,} rows"
                          f"{f' + {stage.related:,} links/history' if stage.related else ''}, "
                          f"{stage.elapsed:.1f} s, {stage.rows_per_second:,.0f} rows/s"
                          f"{'' if stage.finished else ' …'}")
