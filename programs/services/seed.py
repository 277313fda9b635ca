"""Load the strategy from `fixtures/` into the database.

Each record is looked up by its natural key and created when it is missing. A record that
exists is left as it is: after the first load it belongs to the people who keep it current (an
owner's summary, an officer's English wording, an administrator's correction), so a second run
writes nothing and a re-seed never reverts anyone's edit. The one exception is a field added
after the record was first loaded (`fill`): the seed gives it its value where it is still
empty, and never overwrites what someone wrote there.
"""

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.conf import settings
from django.db import transaction
from django.db.models import Model

from accounts.models import Organisation
from tracker.history import SEED_REASON, attribute_change

from ..models import (
    KPI,
    Country,
    CountryAction,
    CountryPlan,
    CountryPlanField,
    Initiative,
    KPIMeasurement,
    ProductCategory,
    Project,
    Region,
    StrategicField,
    SupportMeasure,
)
from .initiatives import initiative_path

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

M = TypeVar("M", bound=Model)


@dataclass
class SeedReport:
    """What a seed run did, per kind of record: created, updated, unchanged."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, section: str, outcome: str) -> None:
        self.counts.setdefault(section, Counter())[outcome] += 1

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def lines(self) -> Iterator[str]:
        for section, counts in self.counts.items():
            yield f"  {section}: " + ", ".join(
                f"{counts[outcome]} {outcome}" for outcome in ("created", "updated", "unchanged")
                if counts[outcome])


def load_fixture(name: str) -> Any:
    with open(FIXTURES_DIR / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def upsert(model: type[M], report: SeedReport, section: str, *, lookup: dict[str, Any],
           values: dict[str, Any], many: dict[str, list[int]] | None = None,
           fill: dict[str, Any] | None = None, superseded: dict[str, Any] | None = None) -> M:
    """The record named by `lookup`, created from `values`, `fill` (and the many-to-many id
    sets in `many`) when it does not exist yet; when it exists, only its `fill` fields that
    are empty, or still hold what an earlier seed wrote (`superseded`), are given their
    values."""
    found = model._default_manager.filter(**lookup).first()
    if found is not None:
        _fill_empty(found, fill or {}, report, section, superseded or {})
        return found
    obj = model(**lookup, **values, **(fill or {}))
    obj.full_clean()
    attribute_change(obj, reason=SEED_REASON)
    obj.save()
    for name, ids in (many or {}).items():
        getattr(obj, name).set(ids)
    report.add(section, "created")
    return obj


def _fill_empty(obj: Model, fill: dict[str, Any], report: SeedReport, section: str,
                superseded: dict[str, Any]) -> None:
    empty = {name: value for name, value in fill.items()
             if value not in ("", None) and value != getattr(obj, name)
             and getattr(obj, name) in ("", None, superseded.get(name))}
    if not empty:
        report.add(section, "unchanged")
        return
    for name, value in empty.items():
        setattr(obj, name, value)
    obj.full_clean()
    attribute_change(obj, reason=SEED_REASON)
    obj.save(update_fields=[*empty, *_auto_now_fields(obj)])
    report.add(section, "updated")


def _auto_now_fields(obj: Model) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _ids(model: type[Model], key: str, codes: list[str]) -> list[int]:
    found = dict(model._default_manager.filter(**{f"{key}__in": codes}).values_list(key, "pk"))
    missing = sorted(set(codes) - set(found))
    if missing:
        raise ValueError(f"{model.__name__} not in the fixtures: {', '.join(missing)}")
    return [found[c] for c in codes]


def _id(model: type[Model], key: str, code: str | None) -> int | None:
    return _ids(model, key, [code])[0] if code else None


def seed_organisations(report: SeedReport) -> None:
    for row in load_fixture("organisations.yaml"):
        upsert(Organisation, report, "organisations", lookup={"code": row["code"]}, values={
            "kind": row["kind"], "name_ja": row["name_ja"], "name_en": row.get("name_en", ""),
            "abbreviation": row.get("abbreviation") or "",
            "source_quote": row.get("source_quote") or "", "website": row.get("website") or "",
        })


def seed_geography(report: SeedReport) -> None:
    data = load_fixture("geography.yaml")
    for row in data["regions"]:
        upsert(Region, report, "regions", lookup={"code": row["code"]}, values={
            "order": row["order"], "name_ja": row["name_ja"], "name_en": row["name_en"],
            "source_quote": row.get("source_quote") or "",
        })
    for row in data["countries"]:
        upsert(Country, report, "countries", lookup={"iso2": row["iso2"]}, values={
            "name_ja": row["name_ja"], "name_en": row["name_en"],
            "region_id": _id(Region, "code", row.get("region")),
            "source_quote": row.get("source_quote") or "",
        })
    for row in load_fixture("strategic_fields.yaml"):
        upsert(StrategicField, report, "strategic fields", lookup={"code": row["code"]}, values={
            "name_ja": row["name_ja"], "name_en": row["name_en"],
            "variants": row.get("variants") or [],
            "source_quote": row.get("source_quote") or "",
        })


def _seed_initiative(row: dict[str, Any], parent: Initiative | None,
                     report: SeedReport) -> None:
    code = row["code"]
    initiative = upsert(
        Initiative, report, "initiatives", lookup={"code": code},
        values={
            "parent_id": parent.pk if parent else None,
            "path": initiative_path(code, parent),
            "depth": parent.depth + 1 if parent else 0,
            "name_ja": row["name_ja"], "name_en": row.get("name_en") or "",
            "summary_ja": row.get("summary_ja") or "", "summary_en": row.get("summary_en") or "",
            "aliases": row.get("aliases") or [],
            "lead_organisation_id": _id(Organisation, "code", row.get("lead_organisation")),
            "source_quote": row.get("source_quote") or "",
            "status": row.get("status", "active"), "start_on": row.get("start_on"),
            "end_on": row.get("end_on"),
            "reviews_exporter_registrations": row.get("reviews_exporter_registrations", False),
        },
        many={"countries": _ids(Country, "iso2", row.get("countries") or []),
              "fields": _ids(StrategicField, "code", row.get("fields") or [])},
    )
    for child in row.get("children") or []:
        _seed_initiative(child, initiative, report)


def seed_initiatives(report: SeedReport) -> None:
    for row in load_fixture("initiatives.yaml"):
        _seed_initiative(row, None, report)


def seed_projects(report: SeedReport) -> None:
    for row in load_fixture("projects.yaml"):
        upsert(
            Project, report, "projects", lookup={"code": row["code"]},
            values={
                "initiative_id": _id(Initiative, "code", row["initiative"]),
                "name_ja": row["name_ja"], "name_en": row.get("name_en") or "",
                "summary_ja": row.get("summary_ja") or "",
                "summary_en": row.get("summary_en") or "",
                "theme_ja": row.get("theme_ja") or "", "theme_en": row.get("theme_en") or "",
                "source_quote": row.get("source_quote") or "",
                "phase": row["phase"],
            },
            many={"countries": _ids(Country, "iso2", row.get("countries") or []),
                  "partners": _ids(Organisation, "code", row.get("partners") or [])},
        )


def seed_country_plans(report: SeedReport) -> None:
    for row in load_fixture("country_plans.yaml"):
        plan = upsert(CountryPlan, report, "country plans",
                      lookup={"country_id": _id(Country, "iso2", row["country"])},
                      values={"initiative_id": _id(Initiative, "code", row["initiative"]),
                              "fields_quote": row["fields_quote"]})
        for order, entry in enumerate(row["fields"], start=1):
            upsert(CountryPlanField, report, "promising fields",
                   lookup={"plan": plan, "field_id": _id(StrategicField, "code", entry["field"])},
                   values={"order": order, "mp_adopted": entry["mp_adopted"]})
        for order, action in enumerate(row["actions"], start=1):
            upsert(CountryAction, report, "country actions",
                   lookup={"plan": plan, "order": order},
                   values={"text_ja": action["text_ja"], "text_en": action.get("text_en") or ""})


def seed_kpis(report: SeedReport) -> None:
    for row in load_fixture("kpis.yaml"):
        kpi = upsert(KPI, report, "KPIs", lookup={"code": row["code"]}, values={
            "initiative_id": _id(Initiative, "code", row.get("initiative")),
            "name_ja": row["name_ja"], "name_en": row.get("name_en") or "",
            "unit": row["unit"], "direction": row.get("direction", "increase"),
            "baseline_value": _decimal(row.get("baseline_value")),
            "baseline_year": row.get("baseline_year"),
            "target_value": _decimal(row.get("target_value")),
            "target_year": row.get("target_year"),
            "source_quote": row.get("source_quote") or "",
        })
        for measurement in row.get("measurements") or []:
            upsert(KPIMeasurement, report, "KPI measurements",
                   lookup={"kpi": kpi, "period_on": measurement["period_on"]},
                   values={"value": _decimal(measurement["value"]),
                           "source": measurement.get("source") or ""})


def seed_support_measures(report: SeedReport) -> None:
    data = load_fixture("support_measures.yaml")
    for order, row in enumerate(data["product_categories"], start=1):
        upsert(ProductCategory, report, "product categories", lookup={"code": row["code"]},
               values={"order": order, "name_ja": row["name_ja"], "name_en": row["name_en"]})
    for row in data["measures"]:
        upsert(
            SupportMeasure, report, "support measures", lookup={"code": row["code"]},
            values={
                "initiative_id": _id(Initiative, "code", row.get("initiative")),
                "provider_id": _id(Organisation, "code", row.get("provider")),
                "kind": row["kind"], "name_ja": row["name_ja"],
                "name_en": row.get("name_en") or "",
                "summary_ja": row.get("summary_ja") or "",
                "summary_en": row.get("summary_en") or "",
                "opens_on": row.get("opens_on"), "closes_on": row.get("closes_on"),
                "url": row.get("url") or "", "source_quote": row.get("source_quote") or "",
            },
            # Added after the first strategy load: given to measures loaded before.
            fill={"description_ja": row.get("description_ja") or "",
                  "description_en": row.get("description_en") or "",
                  "contact": row.get("contact") or ""},
            superseded=row.get("superseded"),
            many={"product_categories": _ids(ProductCategory, "code",
                                             row.get("product_categories") or []),
                  "target_markets": _ids(Country, "iso2", row.get("target_markets") or [])},
        )


SECTIONS = (
    ("organisations", seed_organisations),
    ("geography and fields", seed_geography),
    ("initiatives", seed_initiatives),
    ("projects", seed_projects),
    ("country plans", seed_country_plans),
    ("KPIs", seed_kpis),
    ("support measures", seed_support_measures),
)


@transaction.atomic
def seed_strategy(progress: Callable[[str], object] | None = None) -> SeedReport:
    """Load every fixture; `progress(section_name)` is called before each section."""
    report = SeedReport()
    for name, load in SECTIONS:
        if progress:
            progress(name)
        load(report)
    return report
