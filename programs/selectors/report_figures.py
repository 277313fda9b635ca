"""The report's counts summed by the database: per initiative, and per region, country and
field, in one statement over the per-(initiative, project) groups of the milestones.

A milestone is in a place when its initiative or its project is (selectors.milestones.in_place),
and counts there once even when both are. Summing in SQL keeps the rows that reach Python to
one per initiative and one per place, however many projects and milestones there are.
"""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from ..models import Country, Initiative, Project, Region, StrategicField

Row = dict[str, Any]

_INITIATIVE_COUNTRIES = Initiative.countries.through._meta.db_table
_INITIATIVE_FIELDS = Initiative.fields.through._meta.db_table
_PROJECT_COUNTRIES = Project.countries.through._meta.db_table
_COUNTRY = Country._meta.db_table


def _places_of(links: str, owner: str) -> str:
    """The countries and regions of the initiatives or projects (`owner`) in table `links`."""
    # Table and column names from the models and this module, never from a request.
    return f"""
        SELECT x.{owner}_id AS owner_id, 'country' AS kind, x.country_id AS place_id
        FROM {links} x
        UNION
        SELECT x.{owner}_id, 'region', c.region_id
        FROM {links} x JOIN {_COUNTRY} c ON c.id = x.country_id
        WHERE c.region_id IS NOT NULL"""  # nosec B608


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


def _duration(value: timedelta | int | None) -> timedelta | None:
    """A sum of date differences: an interval on PostgreSQL, microseconds on SQLite."""
    if value is None or isinstance(value, timedelta):
        return value
    return timedelta(microseconds=value)


def sums_by_initiative_and_place(groups: QuerySet[Any], *, sums: Sequence[str],
                                 place_sums: Sequence[str]) -> tuple[list[Row], list[Row]]:
    """([per initiative: initiative_id, each of `sums`, slip_total, slip_worst],
    [per place: kind, id, code, name_ja, name_en, each of `place_sums`]) from `groups`,
    a values() query with initiative_id, project_id and those counts."""
    groups_sql, params = groups.query.sql_with_params()
    naming_joins, naming_columns = _place_naming()
    initiative_columns = ", ".join(f"SUM(g.{name})" for name in sums)
    place_columns = ", ".join(f"s.{name}" if name in place_sums else "NULL" for name in sums)
    carried = ", ".join(f"g.{name}" for name in place_sums)
    # Names from the models and the report's own constants; the values go as parameters.
    sql = f"""
        WITH g AS ({groups_sql}),
        initiative_places AS ({_places_of(_INITIATIVE_COUNTRIES, "initiative")}
            UNION
            SELECT x.initiative_id, 'field', x.strategicfield_id FROM {_INITIATIVE_FIELDS} x),
        project_places AS ({_places_of(_PROJECT_COUNTRIES, "project")}),
        -- A group whose initiative and project are both in a place is counted there once:
        -- through its initiative.
        group_places AS (
            SELECT p.kind, p.place_id, {carried}
            FROM g JOIN initiative_places p ON p.owner_id = g.initiative_id
            UNION ALL
            SELECT p.kind, p.place_id, {carried}
            FROM g JOIN project_places p ON p.owner_id = g.project_id
            WHERE NOT EXISTS (SELECT 1 FROM initiative_places i
                              WHERE i.owner_id = g.initiative_id AND i.kind = p.kind
                                AND i.place_id = p.place_id)),
        s AS (SELECT kind, place_id,
                     {", ".join(f"SUM({name}) AS {name}" for name in place_sums)}
              FROM group_places GROUP BY kind, place_id)
        SELECT 'initiative', g.initiative_id, NULL, NULL, NULL, {initiative_columns},
               SUM(g.slip_total), MAX(g.slip_worst)
        FROM g GROUP BY g.initiative_id
        UNION ALL
        SELECT s.kind, s.place_id, {naming_columns}, {place_columns}, NULL, NULL
        FROM s {naming_joins}"""  # nosec B608
    initiatives, places = [], []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, id_, code, name_ja, name_en, *counts, slip_total, slip_worst in cursor:
            # int(): PostgreSQL sums counts as numeric.
            figures = {name: None if count is None else int(count)
                       for name, count in zip(sums, counts, strict=True)}
            if kind == "initiative":
                initiatives.append({"initiative_id": id_, **figures,
                                    "slip_total": _duration(slip_total),
                                    "slip_worst": _duration(slip_worst)})
            else:
                places.append({"kind": kind, "id": id_, "code": code, "name_ja": name_ja,
                               "name_en": name_en,
                               **{name: figures[name] for name in place_sums}})
    return initiatives, places
