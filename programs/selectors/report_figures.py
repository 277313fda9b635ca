"""The report's counts summed by the database: per initiative, and per region, country and
field, in one statement over the per-(initiative, project) groups of the milestones (their
tallies, and the counts that depend on the report's date).

A milestone is in a place when its initiative or its project is (selectors.milestones.in_place),
and counts there once even when both are. Summing in SQL keeps the rows that reach Python to
one per initiative and one per place, however many projects and milestones there are.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from ..models import Country, Initiative, Project, Region, StrategicField
from ..models.tally import NO_PROJECT

Row = dict[str, Any]

_INITIATIVE_COUNTRIES = Initiative.countries.through._meta.db_table
_INITIATIVE_FIELDS = Initiative.fields.through._meta.db_table
_PROJECT_COUNTRIES = Project.countries.through._meta.db_table
_COUNTRY = Country._meta.db_table


# The countries, regions and fields of each initiative. Table names from the models.
_INITIATIVE_PLACES = f"""
    SELECT x.initiative_id AS owner_id, 'country' AS kind, x.country_id AS place_id
    FROM {_INITIATIVE_COUNTRIES} x
    UNION
    SELECT x.initiative_id, 'region', c.region_id
    FROM {_INITIATIVE_COUNTRIES} x JOIN {_COUNTRY} c ON c.id = x.country_id
    WHERE c.region_id IS NOT NULL
    UNION
    SELECT x.initiative_id, 'field', x.strategicfield_id FROM {_INITIATIVE_FIELDS} x"""  # nosec B608


# Each kind of place: its model and the column that is its code.
_PLACE_MODELS = {"region": (Region, "code"), "country": (Country, "iso2"),
                 "field": (StrategicField, "code")}


def _place_naming() -> tuple[str, str]:
    """The joins that name the places in `s`, and the code and name columns they give."""
    joins = " ".join(f"LEFT JOIN {model._meta.db_table} {kind} "
                     f"ON s.kind = '{kind}' AND {kind}.id = s.place_id"
                     for kind, (model, _code) in _PLACE_MODELS.items())
    code = ", ".join(f"{kind}.{code}" for kind, (_model, code) in _PLACE_MODELS.items())
    columns = [f"COALESCE({code})", *(
        f"COALESCE({', '.join(f'{kind}.{name}' for kind in _PLACE_MODELS)})"
        for name in ("name_ja", "name_en"))]
    return joins, ", ".join(columns)


def sums_by_initiative_and_place(
        tallies: QuerySet[Any], tally_sums: Sequence[str], dated: QuerySet[Any],
        dated_sums: Sequence[str], *, place_sums: Sequence[str]) -> tuple[list[Row], list[Row]]:
    """([per initiative: initiative_id, each of the sums], [per place: kind, id, code, name_ja,
    name_en, each of `place_sums`]) from two values() queries per initiative_id and
    project_key: `tallies` with the counts `tally_sums`, and `dated` with `dated_sums` (a
    group without a row in `dated` has none of those)."""
    tallies_sql, tally_params = tallies.query.sql_with_params()
    dated_sql, dated_params = dated.query.sql_with_params()
    sums = (*tally_sums, *dated_sums)
    naming_joins, naming_columns = _place_naming()
    place_columns = ", ".join(f"s.{name}" if name in place_sums else "NULL" for name in sums)
    project_carried = ", ".join(f"g.{name}" for name in place_sums)
    # Names from the models and the report's own constants; the values go as parameters.
    sql = f"""
        WITH t AS ({tallies_sql}), d AS ({dated_sql}),
        g AS (SELECT t.initiative_id, NULLIF(t.project_key, {NO_PROJECT}) AS project_id,
                     {", ".join(f"t.{name}" for name in tally_sums)},
                     {", ".join(f"COALESCE(d.{name}, 0) AS {name}" for name in dated_sums)}
              FROM t LEFT JOIN d ON d.initiative_id = t.initiative_id
                                AND d.project_key = t.project_key),
        i AS (SELECT initiative_id, {", ".join(f"SUM({name}) AS {name}" for name in sums)}
              FROM g GROUP BY initiative_id),
        initiative_places AS ({_INITIATIVE_PLACES}),
        -- A group whose initiative and project are both in a place is counted there once:
        -- through its initiative, whose groups are summed first (a row per initiative and
        -- place, not per group and place). A project adds the countries and regions its
        -- initiative is not in, asked of the link tables themselves: their statistics let
        -- PostgreSQL hash the joins, where over a union it sorted for merge joins (a third
        -- slower at 25,000 projects).
        group_places AS (
            SELECT p.kind, p.place_id, {", ".join(f"i.{name}" for name in place_sums)}
            FROM i JOIN initiative_places p ON p.owner_id = i.initiative_id
            UNION ALL
            SELECT 'country', x.country_id, {project_carried}
            FROM g JOIN {_PROJECT_COUNTRIES} x ON x.project_id = g.project_id
            WHERE NOT EXISTS (SELECT 1 FROM {_INITIATIVE_COUNTRIES} y
                              WHERE y.initiative_id = g.initiative_id
                                AND y.country_id = x.country_id)
            UNION ALL
            SELECT 'region', x.region_id, {project_carried}
            FROM g JOIN (SELECT DISTINCT z.project_id, c.region_id
                         FROM {_PROJECT_COUNTRIES} z JOIN {_COUNTRY} c ON c.id = z.country_id
                         WHERE c.region_id IS NOT NULL) x ON x.project_id = g.project_id
            WHERE NOT EXISTS (SELECT 1 FROM {_INITIATIVE_COUNTRIES} y
                              JOIN {_COUNTRY} c ON c.id = y.country_id
                              WHERE y.initiative_id = g.initiative_id
                                AND c.region_id = x.region_id)),
        s AS (SELECT kind, place_id,
                     {", ".join(f"SUM({name}) AS {name}" for name in place_sums)}
              FROM group_places GROUP BY kind, place_id)
        SELECT 'initiative', i.initiative_id, NULL, NULL, NULL,
               {", ".join(f"i.{name}" for name in sums)}
        FROM i
        UNION ALL
        SELECT s.kind, s.place_id, {naming_columns}, {place_columns}
        FROM s {naming_joins}"""  # nosec B608
    initiatives, places = [], []
    with connection.cursor() as cursor:
        cursor.execute(sql, (*tally_params, *dated_params))
        for kind, id_, code, name_ja, name_en, *counts in cursor:
            # int(): PostgreSQL sums counts as numeric.
            figures = {name: None if count is None else int(count)
                       for name, count in zip(sums, counts, strict=True)}
            if kind == "initiative":
                initiatives.append({"initiative_id": id_, **figures})
            else:
                places.append({"kind": kind, "id": id_, "code": code, "name_ja": name_ja,
                               "name_en": name_en,
                               **{name: figures[name] for name in place_sums}})
    return initiatives, places
