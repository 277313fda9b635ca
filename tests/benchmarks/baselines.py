"""The floor each endpoint is measured against: hand-written SQL for the same rows or figures
on a raw cursor, plus orjson for what a response would encode.

PostgreSQL only (the benchmark's database). Written the way one would by hand, straight from
the tables, with no ORM in between.
"""

from datetime import datetime, time, timedelta

import orjson
from django.conf import settings
from django.db import connection
from django.utils import timezone

CLOSED = ("done", "cancelled")
LIST_LIMIT = 100


def _rows(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _encode(data):
    return orjson.dumps(data, default=str, option=orjson.OPT_NON_STR_KEYS)


# --- the milestone list: overdue, in a region, a page of 100 -------------------------------

IN_REGION_AND_OVERDUE = """
    m.planned_due_on < %(today)s AND m.status NOT IN ('done', 'cancelled')
    AND (m.initiative_id IN (SELECT ic.initiative_id FROM programs_initiative_countries ic
                             JOIN programs_country c ON c.id = ic.country_id
                             WHERE c.region_id = %(region)s)
         OR m.project_id IN (SELECT pc.project_id FROM programs_project_countries pc
                             JOIN programs_country c ON c.id = pc.country_id
                             WHERE c.region_id = %(region)s))
"""


def overdue_in_region_count(*, region_id, today):
    return _rows(f"SELECT count(*) AS n FROM programs_milestone m WHERE {IN_REGION_AND_OVERDUE}",
                 {"region": region_id, "today": today})[0]["n"]


def milestone_page(*, region_id, today, page_size):
    params = {"region": region_id, "today": today, "limit": page_size}
    count = overdue_in_region_count(region_id=region_id, today=today)
    rows = _rows(f"""
        SELECT m.id, m.project_id, m.title_ja, m.title_en, m.description, m.planned_due_on,
               m.baseline_due_on, m.status, m.completed_on, m.health, m.percent_complete,
               m.version, m.created_at, m.updated_at,
               i.id AS i_id, i.code AS i_code, i.name_ja AS i_name_ja, i.name_en AS i_name_en,
               u.id AS u_id, u.username, u.last_name, u.first_name,
               array(SELECT c.iso2 FROM programs_country c WHERE c.id IN (
                         SELECT ic.country_id FROM programs_initiative_countries ic
                         WHERE ic.initiative_id = m.initiative_id
                         UNION SELECT pc.country_id FROM programs_project_countries pc
                         WHERE pc.project_id = m.project_id)
                     ORDER BY c.iso2) AS countries
        FROM programs_milestone m
        JOIN programs_initiative i ON i.id = m.initiative_id
        JOIN accounts_user u ON u.id = m.owner_id
        WHERE {IN_REGION_AND_OVERDUE}
        ORDER BY m.planned_due_on, m.id LIMIT %(limit)s""", params)
    results = [{
        "id": r["id"],
        "initiative": {"id": r["i_id"], "code": r["i_code"], "name_ja": r["i_name_ja"],
                       "name_en": r["i_name_en"]},
        "project": r["project_id"], "countries": r["countries"],
        "title_ja": r["title_ja"], "title_en": r["title_en"],
        "description": r["description"],
        "owner": {"id": r["u_id"], "username": r["username"],
                  "name": f"{r['last_name']} {r['first_name']}".strip() or r["username"]},
        "planned_due_on": r["planned_due_on"], "baseline_due_on": r["baseline_due_on"],
        "slip_days": (r["planned_due_on"] - r["baseline_due_on"]).days,
        "is_overdue": True, "status": r["status"], "completed_on": r["completed_on"],
        "health": r["health"], "percent_complete": r["percent_complete"],
        "version": r["version"], "created_at": r["created_at"], "updated_at": r["updated_at"],
    } for r in rows]
    return _encode({"count": count, "next": None, "previous": None, "results": results})



# --- the project list: in a region, a page of 100 ------------------------------------------

IN_REGION = """
    p.id IN (SELECT pc.project_id FROM programs_project_countries pc
             JOIN programs_country c ON c.id = pc.country_id WHERE c.region_id = %(region)s)
"""


def project_page(*, region_id, page_size):
    params = {"region": region_id, "limit": page_size}
    count = _rows(f"SELECT count(*) AS n FROM programs_project p WHERE {IN_REGION}",
                  params)[0]["n"]
    rows = _rows(f"""
        SELECT p.id, p.code, p.name_ja, p.name_en, p.summary_ja, p.summary_en, p.theme_ja,
               p.theme_en, p.phase, p.source_quote, p.version, p.created_at, p.updated_at,
               i.id AS i_id, i.code AS i_code, i.name_ja AS i_name_ja, i.name_en AS i_name_en,
               array(SELECT c.iso2 FROM programs_project_countries pc
                     JOIN programs_country c ON c.id = pc.country_id
                     WHERE pc.project_id = p.id ORDER BY c.iso2) AS countries,
               array(SELECT json_build_object('id', o.id, 'code', o.code, 'name_ja', o.name_ja,
                                              'name_en', o.name_en,
                                              'abbreviation', o.abbreviation)
                     FROM programs_project_partners pp
                     JOIN accounts_organisation o ON o.id = pp.organisation_id
                     WHERE pp.project_id = p.id ORDER BY o.code) AS partners
        FROM programs_project p JOIN programs_initiative i ON i.id = p.initiative_id
        WHERE {IN_REGION}
        ORDER BY p.code, p.id LIMIT %(limit)s""", params)
    results = [{
        "id": r["id"], "code": r["code"],
        "initiative": {"id": r["i_id"], "code": r["i_code"], "name_ja": r["i_name_ja"],
                       "name_en": r["i_name_en"]},
        "name_ja": r["name_ja"], "name_en": r["name_en"], "summary_ja": r["summary_ja"],
        "summary_en": r["summary_en"], "theme_ja": r["theme_ja"], "theme_en": r["theme_en"],
        "phase": r["phase"], "countries": r["countries"], "partners": r["partners"],
        "source_quote": r["source_quote"], "version": r["version"],
        "created_at": r["created_at"], "updated_at": r["updated_at"],
    } for r in rows]
    return _encode({"count": count, "next": None, "previous": None, "results": results})

# --- the progress report: the portfolio, or one initiative's subtree -----------------------

def _scope(root_path):
    """The initiatives a report covers, as SQL over `i`."""
    if root_path is None:
        return "TRUE", {}
    return "(i.path = %(root)s OR i.path LIKE %(below)s)", {
        "root": root_path, "below": root_path.replace("%", r"\%") + "/%"}


def _month(day, months_back=0):
    month = day.month - 1 - months_back
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


def progress_report(*, as_of, root_path=None):
    scope, params = _scope(root_path)
    first_month = _month(as_of, 17)
    params.update(as_of=as_of, soon=as_of + timedelta(days=30), first=first_month,
                  since=as_of - timedelta(days=30), stale=as_of - timedelta(days=30),
                  limit=LIST_LIMIT, tz=settings.TIME_ZONE)
    milestones = f"""programs_milestone m JOIN programs_initiative i ON i.id = m.initiative_id
                     WHERE {scope}"""
    # Every count per initiative and project in one scan; the totals, the initiatives' and the
    # places' figures are sums of these.
    groups = _rows(f"""
        SELECT m.initiative_id, m.project_id,
               count(*) AS total,
               count(*) FILTER (WHERE m.status = 'not_started') AS not_started,
               count(*) FILTER (WHERE m.status = 'in_progress') AS in_progress,
               count(*) FILTER (WHERE m.status = 'blocked') AS blocked,
               count(*) FILTER (WHERE m.status = 'done') AS done,
               count(*) FILTER (WHERE m.status = 'cancelled') AS cancelled,
               count(*) FILTER (WHERE m.health = 'green') AS green,
               count(*) FILTER (WHERE m.health = 'amber') AS amber,
               count(*) FILTER (WHERE m.health = 'red') AS red,
               count(*) FILTER (WHERE m.planned_due_on < %(as_of)s
                                AND m.status NOT IN ('done', 'cancelled')) AS overdue,
               count(*) FILTER (WHERE m.planned_due_on BETWEEN %(as_of)s AND %(soon)s
                                AND m.status NOT IN ('done', 'cancelled')) AS due_soon,
               count(*) FILTER (WHERE m.planned_due_on > m.baseline_due_on) AS slipped,
               sum(m.planned_due_on - m.baseline_due_on)
                   FILTER (WHERE m.planned_due_on > m.baseline_due_on) AS slip_total,
               max(m.planned_due_on - m.baseline_due_on) AS slip_worst,
               sum(m.percent_complete) AS percent_sum,
               count(*) FILTER (WHERE m.planned_due_on < %(first)s) AS planned_before,
               count(*) FILTER (WHERE m.completed_on < %(first)s) AS done_before
        FROM {milestones} GROUP BY m.initiative_id, m.project_id""", params)
    months = _rows(f"""
        SELECT 'planned' AS series, date_trunc('month', m.planned_due_on) AS month,
               count(*) AS n FROM {milestones} AND m.planned_due_on >= %(first)s GROUP BY 2
        UNION ALL
        SELECT 'done', date_trunc('month', m.completed_on), count(*) FROM {milestones}
               AND m.completed_on BETWEEN %(first)s AND %(as_of)s GROUP BY 2""", params)
    lists = {
        name: _rows(f"""
            SELECT m.id, m.title_ja, m.title_en, i.code AS initiative, u.last_name,
                   u.first_name, u.username, m.planned_due_on, m.baseline_due_on, m.status,
                   m.health
            FROM programs_milestone m JOIN programs_initiative i ON i.id = m.initiative_id
            JOIN accounts_user u ON u.id = m.owner_id
            WHERE {scope} AND m.status NOT IN ('done', 'cancelled') AND {condition}
            ORDER BY m.planned_due_on, m.id LIMIT %(limit)s""", params)
        for name, condition in (
            ("overdue", "m.planned_due_on < %(as_of)s"),
            ("due_soon", "m.planned_due_on BETWEEN %(as_of)s AND %(soon)s"))}
    lists["slipped"] = _rows(f"""
        SELECT m.id, m.title_ja, m.title_en, i.code AS initiative, u.last_name, u.first_name,
               u.username, m.planned_due_on, m.baseline_due_on, m.status, m.health
        FROM programs_milestone m JOIN programs_initiative i ON i.id = m.initiative_id
        JOIN accounts_user u ON u.id = m.owner_id
        WHERE {scope} AND m.planned_due_on > m.baseline_due_on
        ORDER BY m.planned_due_on - m.baseline_due_on DESC, m.planned_due_on, m.id
        LIMIT %(limit)s""", params)
    if root_path is not None:  # an initiative's report draws its milestones' timeline
        lists["timeline"] = _rows(f"""
            SELECT m.id, m.title_ja, m.title_en, m.planned_due_on, m.baseline_due_on,
                   m.completed_on, m.status
            FROM {milestones} AND (m.planned_due_on BETWEEN %(start)s AND %(end)s
                                   OR m.baseline_due_on BETWEEN %(start)s AND %(end)s
                                   OR (m.planned_due_on < %(as_of)s
                                       AND m.status NOT IN ('done', 'cancelled')))
            ORDER BY m.planned_due_on, m.id LIMIT 41""",
                                  {**params, "start": _month(as_of, 6),
                                   "end": _month(as_of, -13) - timedelta(days=1)})
    start = timezone.make_aware(datetime.combine(params["since"], time.min))
    end = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))
    health_changes = _rows(f"""
        SELECT h.id, h.title_ja, p.health AS previous, h.health, h.history_date,
               h.history_user_id
        FROM programs_historicalmilestone h
        JOIN programs_initiative i ON i.id = h.initiative_id
        CROSS JOIN LATERAL (
            SELECT health FROM programs_historicalmilestone p
            WHERE p.id = h.id AND p.history_date < h.history_date
            ORDER BY p.history_date DESC LIMIT 1) p
        WHERE {scope} AND h.history_date >= %(start)s AND h.history_date < %(end)s
              AND p.health <> h.health
        ORDER BY h.history_date LIMIT %(limit)s""", {**params, "start": start, "end": end})
    stale = _rows(f"""
        SELECT i.id, i.code, i.name_ja, max(s.reported_on) AS last_update
        FROM programs_initiative i
        LEFT JOIN programs_statusupdate s ON s.initiative_id = i.id
        WHERE {scope} AND i.status = 'active'
        GROUP BY i.id
        HAVING max(s.reported_on) < %(stale)s
               OR (max(s.reported_on) IS NULL
                   AND (i.created_at AT TIME ZONE %(tz)s)::date < %(stale)s)
        ORDER BY i.path LIMIT %(limit)s""", params)
    places = _rows(f"""
        SELECT 'country' AS kind, 'initiative' AS owner, ic.initiative_id AS owner_id,
               c.iso2 AS code, c.name_ja, c.name_en
        FROM programs_initiative_countries ic JOIN programs_country c ON c.id = ic.country_id
        UNION
        SELECT 'region', 'initiative', ic.initiative_id, r.code, r.name_ja, r.name_en
        FROM programs_initiative_countries ic JOIN programs_country c ON c.id = ic.country_id
        JOIN programs_region r ON r.id = c.region_id
        UNION ALL
        SELECT 'field', 'initiative', f.initiative_id, s.code, s.name_ja, s.name_en
        FROM programs_initiative_fields f
        JOIN programs_strategicfield s ON s.id = f.strategicfield_id
        UNION ALL
        SELECT 'country', 'project', pc.project_id, c.iso2, c.name_ja, c.name_en
        FROM programs_project_countries pc JOIN programs_country c ON c.id = pc.country_id
        UNION
        SELECT 'region', 'project', pc.project_id, r.code, r.name_ja, r.name_en
        FROM programs_project_countries pc JOIN programs_country c ON c.id = pc.country_id
        JOIN programs_region r ON r.id = c.region_id
        UNION ALL
        SELECT 'initiative', 'initiative', i.id, i.path, i.name_ja, i.name_en
        FROM programs_initiative i WHERE {scope}""", params)
    kpis = _rows(f"""
        SELECT k.id, k.code, k.name_ja, k.target_value, k.target_year, k.baseline_value,
               k.baseline_year, v.period_on, v.value
        FROM programs_kpi k LEFT JOIN programs_initiative i ON i.id = k.initiative_id
        LEFT JOIN programs_kpimeasurement v ON v.kpi_id = k.id
        WHERE {scope if root_path else "TRUE"} ORDER BY k.code, v.period_on""", params)

    figures = ("total", "overdue", "done", "red", "slipped")
    of_owner, by_place, by_path = {}, {}, {}
    for place in places:
        if place["kind"] == "initiative":
            by_path[place["code"]] = {"id": place["owner_id"], **dict.fromkeys(figures, 0)}
            continue
        of_owner.setdefault((place["owner"], place["owner_id"]), set()).add(
            (place["kind"], place["code"]))
        by_place.setdefault((place["kind"], place["code"]), {
            "code": place["code"], "name_ja": place["name_ja"],
            "name_en": place["name_en"], **dict.fromkeys(figures, 0)})
    path_of = {entry["id"]: path for path, entry in by_path.items()}
    for group in groups:
        entries = [by_place[key] for key in of_owner.get(("initiative", group["initiative_id"]),
                                                          set())
                   | of_owner.get(("project", group["project_id"]), set())]
        path = path_of.get(group["initiative_id"], "")
        while path:
            entries += [by_path[path]] if path in by_path else []
            path = path.rpartition("/")[0]
        for entry in entries:
            for figure in figures:
                entry[figure] += group[figure]
    return _encode({
        "counts": {key: sum(row[key] or 0 for row in groups)
                   for key in groups[0] if key not in ("initiative_id", "project_id")}
        if groups else {},
        "months": months, **lists, "health_changes": health_changes, "stale": stale,
        "by_place": [entry | {"kind": kind} for (kind, _code), entry in by_place.items()],
        "by_initiative": [entry for entry in by_path.values() if entry["total"]],
        "kpis": kpis,
    })


# --- the reminder sweep: which milestones are due a reminder on a day ----------------------

def _reminder_number(days_since_first):
    """SQL for programs.services.reminders.due.reminder_number: which reminder (1, 2, ...)
    falls that many days after the first, or NULL: weekly, then monthly after the first
    month. (`%%`: a literal % in a query with parameters.)"""
    step = settings.REMINDER_OVERDUE_REPEAT_DAYS
    last_weekly = (settings.REMINDER_BACKOFF_AFTER_DAYS - 1) // step * step
    later = settings.REMINDER_BACKOFF_REPEAT_DAYS
    d = f"({days_since_first})"
    return (f"CASE WHEN {d} < 0 THEN NULL "
            f"WHEN {d} <= {last_weekly} THEN CASE WHEN {d} %% {step} = 0 "
            f"THEN {d} / {step} + 1 END "
            f"WHEN ({d} - {last_weekly}) %% {later} = 0 "
            f"THEN {last_weekly // step + 1} + ({d} - {last_weekly}) / {later} END")


def reminder_candidates(*, on):
    """The open milestones due a due-soon, overdue or stale reminder on `on`: on their
    threshold days (the initiative's own, else the setting's), or on the backoff schedule
    until the owner's and then the initiative owner's reminders are used up (the initiative's
    limit, else the setting's; whoever can still be reached)."""
    overdue = _reminder_number("%(on)s - m.planned_due_on - 1")
    stale = _reminder_number("%(on)s - s.reference - coalesce(i.reminder_stale_after_days, "
                             "%(stale)s)")
    return _rows(f"""
        SELECT id FROM (
            SELECT m.id, m.status, m.planned_due_on,
                   coalesce(i.reminder_due_soon_days, %(due_soon)s::jsonb) AS due_soon_days,
                   2 * coalesce(i.reminder_owner_limit, %(limit)s) AS last_reminder,
                   ({overdue}) AS overdue_number, ({stale}) AS stale_number
            FROM programs_milestone m
            JOIN programs_initiative i ON i.id = m.initiative_id
            CROSS JOIN LATERAL (
                SELECT coalesce(max(s.reported_on), (m.created_at AT TIME ZONE %(tz)s)::date)
                       AS reference
                FROM programs_statusupdate s WHERE s.milestone_id = m.id) s
            WHERE m.status NOT IN ('done', 'cancelled')) candidate
        WHERE due_soon_days @> to_jsonb(planned_due_on - %(on)s)
           OR overdue_number <= last_reminder
           OR (status = 'in_progress' AND stale_number <= last_reminder)""",
                 {"on": on, "due_soon": orjson.dumps(settings.REMINDER_DUE_SOON_DAYS).decode(),
                  "stale": settings.REMINDER_STALE_AFTER_DAYS,
                  "limit": settings.REMINDER_OWNER_LIMIT, "tz": settings.TIME_ZONE})


# --- an exporter's matched support measures ------------------------------------------------

def matched_measures(*, profile_id, today, page_size):
    """The same payload as the endpoint: the first page of the fitting measures, ranked, each
    in full with why it fits."""
    params = {"profile": profile_id, "today": today, "limit": page_size}
    rows = _rows("""
        WITH mine_c AS (SELECT productcategory_id AS id
                        FROM accounts_exporterprofile_product_categories
                        WHERE exporterprofile_id = %(profile)s),
             mine_m AS (SELECT country_id AS id FROM accounts_exporterprofile_target_markets
                        WHERE exporterprofile_id = %(profile)s),
             fitting AS (
                 SELECT s.id, s.closes_on, s.code,
                        3 * (SELECT count(*) FROM programs_supportmeasure_product_categories x
                             WHERE x.supportmeasure_id = s.id
                               AND x.productcategory_id IN (SELECT id FROM mine_c))
                        + 3 * (SELECT count(*) FROM programs_supportmeasure_target_markets x
                               WHERE x.supportmeasure_id = s.id
                                 AND x.country_id IN (SELECT id FROM mine_m))
                        + CASE WHEN s.opens_on > %(today)s THEN 0 ELSE 1 END AS score
                 FROM programs_supportmeasure s
                 WHERE s.is_published AND (s.closes_on IS NULL OR s.closes_on >= %(today)s)
                   AND (s.id NOT IN (SELECT supportmeasure_id
                                     FROM programs_supportmeasure_product_categories)
                        OR s.id IN (SELECT supportmeasure_id
                                    FROM programs_supportmeasure_product_categories
                                    WHERE productcategory_id IN (SELECT id FROM mine_c)))
                   AND (s.id NOT IN (SELECT supportmeasure_id
                                     FROM programs_supportmeasure_target_markets)
                        OR s.id IN (SELECT supportmeasure_id
                                    FROM programs_supportmeasure_target_markets
                                    WHERE country_id IN (SELECT id FROM mine_m)))),
             page AS (SELECT id, score, count(*) OVER () AS total FROM fitting
                      ORDER BY score DESC, closes_on ASC NULLS LAST, code LIMIT %(limit)s)
        SELECT s.id, s.code, s.kind, s.name_ja, s.name_en, s.summary_ja, s.summary_en,
               s.description_ja, s.description_en, s.contact,
               o.id AS o_id, o.code AS o_code, o.name_ja AS o_name_ja, o.name_en AS o_name_en,
               o.abbreviation AS o_abbreviation, s.opens_on, s.closes_on, s.url,
               s.source_quote, s.is_published,
               array(SELECT json_build_object('code', pc.code, 'name_ja', pc.name_ja,
                                              'name_en', pc.name_en)
                     FROM programs_supportmeasure_product_categories x
                     JOIN programs_productcategory pc ON pc.id = x.productcategory_id
                     WHERE x.supportmeasure_id = s.id ORDER BY pc."order") AS categories,
               array(SELECT pc.code FROM programs_supportmeasure_product_categories x
                     JOIN programs_productcategory pc ON pc.id = x.productcategory_id
                     WHERE x.supportmeasure_id = s.id AND x.productcategory_id IN
                           (SELECT id FROM mine_c) ORDER BY pc."order") AS matched_categories,
               array(SELECT pc.name_ja FROM programs_supportmeasure_product_categories x
                     JOIN programs_productcategory pc ON pc.id = x.productcategory_id
                     WHERE x.supportmeasure_id = s.id AND x.productcategory_id IN
                           (SELECT id FROM mine_c) ORDER BY pc."order") AS matched_category_names,
               array(SELECT c.iso2 FROM programs_supportmeasure_target_markets x
                     JOIN programs_country c ON c.id = x.country_id
                     WHERE x.supportmeasure_id = s.id ORDER BY c.iso2) AS markets,
               array(SELECT c.iso2 FROM programs_supportmeasure_target_markets x
                     JOIN programs_country c ON c.id = x.country_id
                     WHERE x.supportmeasure_id = s.id AND x.country_id IN
                           (SELECT id FROM mine_m) ORDER BY c.iso2) AS matched_markets,
               array(SELECT c.name_ja FROM programs_supportmeasure_target_markets x
                     JOIN programs_country c ON c.id = x.country_id
                     WHERE x.supportmeasure_id = s.id AND x.country_id IN
                           (SELECT id FROM mine_m) ORDER BY c.iso2) AS matched_market_names,
               p.score, p.total
        FROM page p JOIN programs_supportmeasure s ON s.id = p.id
        LEFT JOIN accounts_organisation o ON o.id = s.provider_id
        ORDER BY p.score DESC, s.closes_on ASC NULLS LAST, s.code""", params)
    fits = []
    for r in rows:
        window = ("upcoming" if r["opens_on"] and r["opens_on"] > today
                  else "open" if r["opens_on"] or r["closes_on"] else "always")
        fits.append({
            "measure": {
                "id": r["id"], "code": r["code"], "kind": r["kind"], "name_ja": r["name_ja"],
                "name_en": r["name_en"], "summary_ja": r["summary_ja"],
                "summary_en": r["summary_en"], "description_ja": r["description_ja"],
                "description_en": r["description_en"],
                "provider": r["o_id"] and {"id": r["o_id"], "code": r["o_code"],
                                           "name_ja": r["o_name_ja"],
                                           "name_en": r["o_name_en"],
                                           "abbreviation": r["o_abbreviation"]},
                "product_categories": r["categories"], "target_markets": r["markets"],
                "opens_on": r["opens_on"], "closes_on": r["closes_on"], "url": r["url"],
                "contact": r["contact"], "source_quote": r["source_quote"],
                "is_published": r["is_published"]},
            "score": r["score"],
            "matched_categories": r["matched_categories"] or None,
            "matched_markets": r["matched_markets"] or None,
            "matched_category_names": r["matched_category_names"] or None,
            "matched_market_names": r["matched_market_names"] or None, "window": window})
    return _encode({"count": rows[0]["total"] if rows else 0, "next": None, "previous": None,
                    "results": fits})
