"""The SQL that keeps the milestone tallies (programs.models.tally): the triggers, for
PostgreSQL and SQLite, and a rebuild from the milestones.

Each trigger moves a milestone's counts out of the tally of its old initiative, project and
months and into the new ones, and removes a tally that falls to zero. Taking a milestone out
only updates a tally that is there: after a flush that emptied the tallies first, there is
nothing to take it from. Used by migration 0015 and by the load generator, which suspends the
triggers while it writes half a million milestones and rebuilds the tallies once.

Every name in this SQL is a table or column of the models or a constant of this module; no
value comes from a request (hence the nosec marks).
"""

from contextlib import contextmanager

from django.db import connection

from . import open_tally_sql
from .models import (
    Health,
    Milestone,
    MilestoneMonthTally,
    MilestoneTally,
    TallySeries,
    WorkStatus,
)
from .models.tally import NO_PROJECT, SUSPENDED

MILESTONE, TALLY, MONTHS = (model._meta.db_table
                            for model in (Milestone, MilestoneTally, MilestoneMonthTally))
STATUSES, HEALTHS = WorkStatus.values, Health.values
# The columns whose change moves a milestone from one count to another.
COUNTED = ("initiative_id", "project_id", "status", "health", "planned_due_on",
           "baseline_due_on", "completed_on", "percent_complete")


def _days(row, vendor):
    if vendor == "postgresql":
        return f"({row}.planned_due_on - {row}.baseline_due_on)"
    return f"CAST(julianday({row}.planned_due_on) - julianday({row}.baseline_due_on) AS INTEGER)"


def _month(day, vendor):
    if vendor == "postgresql":
        return f"date_trunc('month', {day})::date"
    return f"date({day}, 'start of month')"


def _counts(row, vendor):
    """Each tally column and what one milestone (`row`) adds to it."""
    slipped = f"{row}.planned_due_on > {row}.baseline_due_on"
    return {
        "total": "1",
        **{f"status_{s}": f"CASE WHEN {row}.status = '{s}' THEN 1 ELSE 0 END" for s in STATUSES},
        **{f"health_{h}": f"CASE WHEN {row}.health = '{h}' THEN 1 ELSE 0 END" for h in HEALTHS},
        "slipped": f"CASE WHEN {slipped} THEN 1 ELSE 0 END",
        "slip_days": f"CASE WHEN {slipped} THEN {_days(row, vendor)} ELSE 0 END",
        "percent_sum": f"{row}.percent_complete",
    }


def _series(row, vendor):
    return {TallySeries.PLANNED.value: _month(f"{row}.planned_due_on", vendor),
            TallySeries.DONE.value: _month(f"{row}.completed_on", vendor)}


def _add(row, vendor):
    counts = _counts(row, vendor)
    statements = [
        f"INSERT INTO {TALLY} (initiative_id, project_key, {', '.join(counts)}) "  # nosec B608
        f"VALUES ({row}.initiative_id, COALESCE({row}.project_id, {NO_PROJECT}), "
        f"{', '.join(counts.values())}) "
        f"ON CONFLICT (initiative_id, project_key) DO UPDATE SET "
        + ", ".join(f"{c} = {TALLY}.{c} + excluded.{c}" for c in counts) + ";"]
    for series, month in _series(row, vendor).items():
        statements.append(
            f"INSERT INTO {MONTHS} (initiative_id, series, month, n) "  # nosec B608
            f"SELECT {row}.initiative_id, '{series}', {month}, 1 WHERE {month} IS NOT NULL "
            f"ON CONFLICT (initiative_id, series, month) DO UPDATE SET n = {MONTHS}.n + 1;")
    return "\n".join(statements)


def _subtract(row, vendor):
    """Take `row` out of its counts; a count that falls to nothing goes."""
    counts = _counts(row, vendor)
    group = (f"initiative_id = {row}.initiative_id"
             f" AND project_key = COALESCE({row}.project_id, {NO_PROJECT})")
    moved = ", ".join(f"{c} = {c} - {e}" for c, e in counts.items())
    statements = [
        f"UPDATE {TALLY} SET {moved} WHERE {group};",  # nosec B608
        f"DELETE FROM {TALLY} WHERE {group} AND total = 0;"]  # nosec B608
    for series, month in _series(row, vendor).items():
        key = f"initiative_id = {row}.initiative_id AND series = '{series}' AND month = {month}"
        statements.append(f"UPDATE {MONTHS} SET n = n - 1 WHERE {key};")  # nosec B608
        statements.append(f"DELETE FROM {MONTHS} WHERE {key} AND n = 0;")  # nosec B608
    return "\n".join(statements)


def fill_statements(vendor):
    """Fill the (empty) tallies from the milestones."""
    counts = _counts(MILESTONE, vendor)
    statements = [
        f"INSERT INTO {TALLY} (initiative_id, project_key, {', '.join(counts)}) "
        f"SELECT initiative_id, COALESCE(project_id, {NO_PROJECT}), "
        + ", ".join(f"SUM({e})" for e in counts.values())
        + f" FROM {MILESTONE} GROUP BY initiative_id, COALESCE(project_id, {NO_PROJECT})"]
    for series, month in _series(MILESTONE, vendor).items():
        statements.append(
            f"INSERT INTO {MONTHS} (initiative_id, series, month, n) "  # nosec B608
            f"SELECT initiative_id, '{series}', {month}, COUNT(*) FROM {MILESTONE} "
            f"WHERE {month} IS NOT NULL GROUP BY initiative_id, {month}")
    return statements


def trigger_statements(vendor):
    if vendor == "postgresql":
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in COUNTED)
        return [
            f"""CREATE FUNCTION programs_milestone_tally() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF current_setting('{SUSPENDED}', true) = 'on' THEN RETURN NULL; END IF;
              IF TG_OP <> 'INSERT' THEN {_subtract("OLD", vendor)} END IF;
              IF TG_OP <> 'DELETE' THEN {_add("NEW", vendor)} END IF;
              RETURN NULL;
            END $$""",
            f"CREATE TRIGGER programs_milestone_tally_write AFTER INSERT OR DELETE ON {MILESTONE} "
            "FOR EACH ROW EXECUTE FUNCTION programs_milestone_tally()",
            f"CREATE TRIGGER programs_milestone_tally_update AFTER UPDATE ON {MILESTONE} "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION programs_milestone_tally()",
        ]
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in COUNTED)
    return [
        f"CREATE TRIGGER programs_milestone_tally_insert AFTER INSERT ON {MILESTONE} "
        f"BEGIN {_add('NEW', vendor)} END",
        f"CREATE TRIGGER programs_milestone_tally_delete AFTER DELETE ON {MILESTONE} "
        f"BEGIN {_subtract('OLD', vendor)} END",
        f"CREATE TRIGGER programs_milestone_tally_update AFTER UPDATE ON {MILESTONE} "
        f"WHEN {changed} BEGIN {_subtract('OLD', vendor)} {_add('NEW', vendor)} END",
    ]


def drop_statements(vendor):
    if vendor == "postgresql":
        return [f"DROP TRIGGER programs_milestone_tally_write ON {MILESTONE}",
                f"DROP TRIGGER programs_milestone_tally_update ON {MILESTONE}",
                "DROP FUNCTION programs_milestone_tally()"]
    return [f"DROP TRIGGER programs_milestone_tally_{operation}"
            for operation in ("insert", "delete", "update")]


@contextmanager
def tallies_suspended():
    """Within a transaction on PostgreSQL: the triggers idle while the block writes
    milestones in bulk (a tally rewritten once per milestone grows to many times its rows),
    then the tallies (these and open_tally_sql's) rebuilt from the milestones. Elsewhere the
    triggers keep them as it goes. A setting local to the transaction, not ALTER TABLE: no
    lock on the milestones, and nothing else's writes go uncounted."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [SUSPENDED])
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'off', true)", [SUSPENDED])
        cursor.execute(f"TRUNCATE {TALLY}, {MONTHS}, {open_tally_sql.TALLY}")
        for statement in [*fill_statements(connection.vendor), *open_tally_sql.fill_statements()]:
            cursor.execute(statement)
        cursor.execute(f"ANALYZE {TALLY}, {MONTHS}, {open_tally_sql.TALLY}")
