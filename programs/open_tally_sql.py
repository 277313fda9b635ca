"""The SQL that keeps the open-work tally (programs.models.tally.OpenMilestoneTally): the
triggers, for PostgreSQL and SQLite, and a fill from the milestones.

A milestone's places are read from the link tables: its initiative's and its project's
countries, their regions, its initiative's strategic fields. So the tally moves when a link
moves as well as when a milestone does: before a link row is written, its trigger takes the
milestones of its initiative or project out of the tally as the links stand and puts them back
as they will stand once the row is written; a country moved to another region does the same
for the milestones in it. Every
path that writes (the services, the admin, imports, a many-to-many .set(), raw SQL) keeps it
exact by construction. The load generator idles these triggers with the others
(tally_sql.tallies_suspended) and fills the tally once.

Every name in this SQL is a table or column of the models or a constant of this module; no
value comes from a request (hence the nosec marks).
"""

from .models import CLOSED_STATUSES, Country, Initiative, Milestone, Project
from .models.tally import NO_PLACE, SUSPENDED, OpenMilestoneTally, TallyPlace

MILESTONE, TALLY, COUNTRY = (model._meta.db_table
                             for model in (Milestone, OpenMilestoneTally, Country))
INITIATIVE_COUNTRIES = Initiative.countries.through._meta.db_table
PROJECT_COUNTRIES = Project.countries.through._meta.db_table
INITIATIVE_FIELDS = Initiative.fields.through._meta.db_table
KEY = "place_kind, place_id, planned_due_on"
CLOSED = ", ".join(f"'{status}'" for status in CLOSED_STATUSES)
# The milestone columns whose change moves it from one count to another.
COUNTED = ("initiative_id", "project_id", "status", "planned_due_on")
# The tables whose rows decide a milestone's places: for each, its two columns and the
# milestones a row of it reaches, given the row's references (NEW., OLD.) as `rows`.
LINKS = {
    INITIATIVE_COUNTRIES: (("initiative_id", "country_id"),
                           lambda rows: f"initiative_id IN ({_of(rows, 'initiative_id')})"),
    PROJECT_COUNTRIES: (("project_id", "country_id"),
                        lambda rows: f"project_id IN ({_of(rows, 'project_id')})"),
    INITIATIVE_FIELDS: (("initiative_id", "strategicfield_id"),
                        lambda rows: f"initiative_id IN ({_of(rows, 'initiative_id')})"),
    COUNTRY: (("id", "region_id"), lambda rows: (
        f"initiative_id IN (SELECT initiative_id FROM {INITIATIVE_COUNTRIES} "  # nosec B608
        f"WHERE country_id IN ({_of(rows, 'id')})) OR project_id IN (SELECT project_id "
        f"FROM {PROJECT_COUNTRIES} WHERE country_id IN ({_of(rows, 'id')}))")),
}
AS_THEY_ARE = {table: table for table in LINKS}
# A country's row moves its milestones only when its region changes.
OPERATIONS = {COUNTRY: ("UPDATE",)}
ROWS = {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("OLD", "NEW")}


def _of(rows, column):
    return ", ".join(f"{row}.{column}" for row in rows)


def _changed(column, vendor):
    distinct = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return f"OLD.{column} {distinct} NEW.{column}"


def _open_milestones(where):
    """The open milestones `where` says, as a subquery of the columns the places need."""
    return (f"(SELECT id, initiative_id, project_id, planned_due_on FROM {MILESTONE} "  # nosec B608
            f"WHERE status NOT IN ({CLOSED}) AND ({where}))")


def _open_row(row):
    """The written milestone `row` (NEW or OLD) as _open_milestones would give it: nothing
    if it is not open."""
    return (f"(SELECT {row}.id AS id, {row}.initiative_id AS initiative_id, "
            f"{row}.project_id AS project_id, {row}.planned_due_on AS planned_due_on "
            f"WHERE {row}.status NOT IN ({CLOSED}))")


def _counted(milestones, links):
    """(kind, place, planned_due_on, k): how many of `milestones` (a subquery) count in each
    place on each day, with the link tables as `links` gives them (a table, or a subquery of
    it as it will be). A milestone in a country through both its initiative and its project
    counts there once (UNION), and in a region once however many of its countries lie in it."""
    countries = (
        f"SELECT m.id, m.planned_due_on, l.country_id AS place FROM {milestones} m "  # nosec B608
        f"JOIN {links[INITIATIVE_COUNTRIES]} l ON l.initiative_id = m.initiative_id "
        f"UNION SELECT m.id, m.planned_due_on, l.country_id FROM {milestones} m "
        f"JOIN {links[PROJECT_COUNTRIES]} l ON l.project_id = m.project_id")
    places = {
        TallyPlace.ALL: f"SELECT m.id, m.planned_due_on, {NO_PLACE} AS place FROM {milestones} m",  # nosec B608
        TallyPlace.COUNTRY: countries,
        TallyPlace.REGION: (
            f"SELECT DISTINCT x.id, x.planned_due_on, c.region_id AS place FROM ({countries}) x "  # nosec B608
            f"JOIN {links[COUNTRY]} c ON c.id = x.place WHERE c.region_id IS NOT NULL"),
        TallyPlace.FIELD: (
            f"SELECT m.id, m.planned_due_on, l.strategicfield_id AS place FROM {milestones} m "  # nosec B608
            f"JOIN {links[INITIATIVE_FIELDS]} l ON l.initiative_id = m.initiative_id"),
    }
    every = " UNION ALL ".join(f"SELECT '{kind}' AS kind, p.place, p.planned_due_on "  # nosec B608
                               f"FROM ({sql}) p" for kind, sql in places.items())
    return (f"SELECT kind, place, planned_due_on, COUNT(*) AS k FROM ({every}) q "  # nosec B608
            "GROUP BY kind, place, planned_due_on")


def _add(milestones, links=AS_THEY_ARE):
    return (f"INSERT INTO {TALLY} ({KEY}, n) "  # nosec B608
            f"SELECT kind, place, planned_due_on, k FROM ({_counted(milestones, links)}) g "
            f"WHERE 1 = 1 ON CONFLICT ({KEY}) DO UPDATE SET n = {TALLY}.n + excluded.n;")


def _subtract(milestones):
    return (f"UPDATE {TALLY} SET n = {TALLY}.n - g.k "  # nosec B608
            f"FROM ({_counted(milestones, AS_THEY_ARE)}) g WHERE {TALLY}.place_kind = g.kind "
            f"AND {TALLY}.place_id = g.place AND {TALLY}.planned_due_on = g.planned_due_on;")


def _as_it_will_be(table, operation):
    """`table` as it will stand once the row being written is: a row-level BEFORE trigger
    sees the rows an earlier row of the same statement wrote (on both databases), not this
    one's."""
    columns = ", ".join(LINKS[table][0])
    if table == COUNTRY:
        return (f"(SELECT id, CASE WHEN id = NEW.id THEN NEW.region_id ELSE region_id END "  # nosec B608
                f"AS region_id FROM {COUNTRY})")
    kept = f"SELECT {columns} FROM {table}"  # nosec B608
    if operation != "INSERT":
        kept += " WHERE id <> OLD.id"
    if operation != "DELETE":
        kept += " UNION ALL SELECT " + ", ".join(f"NEW.{c}" for c in LINKS[table][0])
    return f"({kept})"


def _moves(table, operation):
    """A row of a link `table` about to be written by `operation`: the milestones it reaches
    out of the tally as the links stand, back in as they will stand."""
    milestones = _open_milestones(LINKS[table][1](ROWS[operation]))
    will_be = {**AS_THEY_ARE, table: _as_it_will_be(table, operation)}
    return f"{_subtract(milestones)} {_add(milestones, will_be)}"


def _needed(table, operation, vendor):
    """When a row's write moves anything: a country's when its region changes; an inserted
    link's unless it is there already (an INSERT that ignores conflicts fires the trigger for
    a row it then skips)."""
    if table == COUNTRY:
        return _changed("region_id", vendor)
    if operation == "INSERT":
        first, second = LINKS[table][0]
        return (f"NOT EXISTS (SELECT 1 FROM {table} WHERE {first} = NEW.{first} "  # nosec B608
                f"AND {second} = NEW.{second})")
    return "1 = 1"


def fill_statements():
    """Fill the (empty) tally from the milestones."""
    counted = _counted(_open_milestones("1 = 1"), AS_THEY_ARE)
    return [f"INSERT INTO {TALLY} ({KEY}, n) "  # nosec B608
            f"SELECT kind, place, planned_due_on, k FROM ({counted}) g"]


def _postgresql_triggers():
    changed = " OR ".join(_changed(c, "postgresql") for c in COUNTED)
    statements = [
        f"""CREATE FUNCTION programs_open_tally() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF current_setting('{SUSPENDED}', true) = 'on' THEN RETURN NULL; END IF;
          IF TG_OP <> 'INSERT' THEN {_subtract(_open_row("OLD"))} END IF;
          IF TG_OP <> 'DELETE' THEN {_add(_open_row("NEW"))} END IF;
          RETURN NULL;
        END $$""",
        f"CREATE TRIGGER programs_open_tally_write AFTER INSERT OR DELETE ON {MILESTONE} "
        "FOR EACH ROW EXECUTE FUNCTION programs_open_tally()",
        f"CREATE TRIGGER programs_open_tally_update AFTER UPDATE ON {MILESTONE} "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION programs_open_tally()",
    ]
    for table in LINKS:
        operations = OPERATIONS.get(table, tuple(ROWS))
        branches = " ELS".join(
            f"IF TG_OP = '{operation}' THEN IF {_needed(table, operation, 'postgresql')} THEN "
            f"{_moves(table, operation)} END IF;" for operation in operations)
        # BEFORE, not AFTER: PostgreSQL runs a statement's row-level AFTER triggers once all
        # its rows are written, where each would see the others' links as well as its own.
        statements += [
            f"""CREATE FUNCTION {table}_open_tally() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF current_setting('{SUSPENDED}', true) IS DISTINCT FROM 'on' THEN
                {branches} END IF;
              END IF;
              IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
              RETURN NEW;
            END $$""",
            f"CREATE TRIGGER {table}_open_tally BEFORE {' OR '.join(operations)} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_open_tally()"]
    return statements


def _sqlite_triggers():
    changed = " OR ".join(_changed(c, "sqlite") for c in COUNTED)
    statements = [
        f"CREATE TRIGGER programs_open_tally_insert AFTER INSERT ON {MILESTONE} "
        f"BEGIN {_add(_open_row('NEW'))} END",
        f"CREATE TRIGGER programs_open_tally_delete AFTER DELETE ON {MILESTONE} "
        f"BEGIN {_subtract(_open_row('OLD'))} END",
        f"CREATE TRIGGER programs_open_tally_update AFTER UPDATE ON {MILESTONE} "
        f"WHEN {changed} BEGIN {_subtract(_open_row('OLD'))} {_add(_open_row('NEW'))} END",
    ]
    for table in LINKS:
        for operation in OPERATIONS.get(table, tuple(ROWS)):
            needed = _needed(table, operation, "sqlite")
            statements.append(
                f"CREATE TRIGGER {table}_open_tally_{operation.lower()} BEFORE {operation} "
                f"ON {table} FOR EACH ROW WHEN {needed} BEGIN {_moves(table, operation)} END")
    return statements


def trigger_statements(vendor):
    return _postgresql_triggers() if vendor == "postgresql" else _sqlite_triggers()


def drop_statements(vendor):
    if vendor == "postgresql":
        return [f"DROP TRIGGER programs_open_tally_write ON {MILESTONE}",
                f"DROP TRIGGER programs_open_tally_update ON {MILESTONE}",
                "DROP FUNCTION programs_open_tally()",
                *(f"DROP FUNCTION {table}_open_tally() CASCADE" for table in LINKS)]
    return [f"DROP TRIGGER programs_open_tally_{operation}"
            for operation in ("insert", "delete", "update")] + [
        f"DROP TRIGGER {table}_open_tally_{operation.lower()}"
        for table in LINKS for operation in OPERATIONS.get(table, tuple(ROWS))]
