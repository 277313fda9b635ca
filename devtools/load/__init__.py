"""A large, realistic data set on top of the seeded strategy, for load tests and benchmarks
(`manage.py generate_load --scale N [--seed S] [--anchor YYYY-MM-DD] [--reset]`).

This is a bulk data loader, not a way to record work. It writes rows directly with
`bulk_create` in batches (and, on PostgreSQL, the milestone history with COPY), and calls no
service, runs no `save()` or `full_clean()` per row, sends no signal, creates no notification
and enqueues no task. The rows it writes keep, by construction, the invariants the services
keep: initiative paths and depths, done ⇔ completion date ⇔ 100 %, a project's milestones on
the project's initiative, versions equal to the number of history rows, and each milestone's
history a sequence of versions whose last one is the milestone as it stands. The milestone
tallies the reports read are rebuilt once at the end, on PostgreSQL with their triggers off
for the run (programs.tally_sql.tallies_suspended).

At `--scale 1` it adds (every count scales, none below 1): 500 officers in the seeded
organisations; 300 initiatives under the seeded tree (owners, team members, countries, fields);
5,000 projects under them; 100,000 milestones over those initiatives and projects with
1,000,000 milestone history rows; 30 KPIs and 2,000 KPI measurements (over the seeded and the
generated KPIs); 10,000 approved-mostly exporters with valid 法人番号; 2,000 published-mostly
support measures whose categories and markets overlap the exporters'. Every generated record
also gets its creation history row.

Generated rows are recognisable, and only they are ever deleted: codes start with `LOAD-`,
user names with `load-` (officers `load-officer-0001`, exporters
`load-exporter-00001@example.jp`), history rows carry the change reason `generate_load`.
Generated users sign in with `DEMO_PASSWORD` (hashed once for all of them).

Re-running: generating refuses while generated rows exist; `reset=True` (`--reset`) first
deletes the generated rows, and what was recorded on them or by generated people since (status
updates, progress reports, reminders and notifications, tokens...), and nothing else; it
refuses if a record that was not generated depends on one (a seeded initiative given a
generated owner, say). Everything runs in one transaction: a failed run leaves nothing behind.

Milestones have no country of their own: they are in the countries, regions and fields of
their initiative and project, which the generator sets. A milestone's history rows are written
by its owner; bulk_create is made to keep the given created/updated times (auto_now is switched
off for the run) so that every row agrees with its history.

Determinism: every choice comes from `random.Random(seed)`, seeded records are read in the
order of their codes, and no clock is read while generating. Dates are placed around an anchor
day, today by default, so that the data is "current" whenever it is generated (a good share of
milestones overdue, some due within 30 days, all history in the past): the same seed, scale and
anchor on the same seeded database give the same data, ids aside. Pass `anchor` to reproduce a
data set exactly on another day.
"""

import time

from django.db import connection, transaction

from programs.services.common import today
from programs.tally_sql import tallies_suspended

from .existing import LoadError, check_seed, delete_generated, generated_present, generated_tables
from .generator import Generator, timestamps_as_given
from .report import LoadReport, Stage
from .shape import BATCH_SIZE, DEFAULT_SEED, LOAD_REASON, MEASUREMENT_SOURCE, counts_for

__all__ = ["BATCH_SIZE", "DEFAULT_SEED", "LOAD_REASON", "MEASUREMENT_SOURCE", "LoadError",
           "LoadReport", "Stage", "counts_for", "generate_load"]


def generate_load(*, scale=1.0, seed=DEFAULT_SEED, anchor=None, reset=False,
                  batch_size=BATCH_SIZE, on_progress=None):
    """Generate the load data set (see the module's docstring); returns a LoadReport.

    `on_progress(stage)` is called after every batch. Raises LoadError when the seed is
    missing, or when generated rows exist and `reset` is false.
    """
    if scale <= 0:
        raise LoadError("The scale must be positive.")
    started = time.perf_counter()
    report = LoadReport()
    with transaction.atomic(), timestamps_as_given(), tallies_suspended():
        check_seed()
        if reset:
            stage = Stage("reset (generated rows deleted)", 0, generates=False,
                          on_progress=on_progress)
            report.stages.append(stage)
            with stage.running():
                stage.total = delete_generated()
                stage.advance(stage.total)
            stage.finish()
        elif present := generated_present():
            raise LoadError(
                f"Generated rows are already present ({present}). Run with --reset to delete "
                "them and generate again.")
        report.anchor = anchor or today()
        generator = Generator(scale=scale, seed=seed, anchor=report.anchor,
                              batch_size=batch_size, report=report, on_progress=on_progress)
        generator.run()
    if connection.vendor == "postgresql":
        stage = Stage("ANALYZE", 0, generates=False, on_progress=on_progress)
        report.stages.append(stage)
        with stage.running(), connection.cursor() as cursor:
            for table in generated_tables():
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        stage.finish()
    report.seconds = time.perf_counter() - started
    return report
