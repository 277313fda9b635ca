"""The bad-input corpus: every write of the API, sent malformed in every way that applies to it,
is refused with a 4xx in the one error shape and leaves the database exactly as it was.

How it reads:

- `ENDPOINTS` is every POST, PATCH and DELETE of /api/v1/ (every write operation of the
  OpenAPI schema; `test_the_corpus_covers_every_write_of_the_schema` keeps the two in step),
  each with the caller that may use it, so that a request reaches validation rather than a
  403/404, and a well-formed body. `test_a_well_formed_request_succeeds` sends that body: the
  control, which must succeed and write.
- `FIELDS` says what each endpoint accepts, field by field, by kind (`date`, `percent`, `id`,
  `codes`...); `MALFORMED` gives, per kind, the values that must be refused and the error
  code they are refused with. Each value is sent inside an otherwise valid body; text fields
  also get 100,000 characters, blank ones, null and (on creates) nothing. Nothing is coerced:
  "50" is not 50, "true" or 1 is not true, "12", 12.0 or １２ is not an id, a number is not a
  code, full-width digits and week dates are not dates, an object is not a list.
- Every endpoint that reads a body also gets the same malformed bodies (`BODIES`: not JSON, a
  list, a string, other media types, unknown or read-only fields...) and empty ones
  (`required` on a create; `empty_update` on a change, which must name something to change);
  every endpoint with a record in its path gets ids that are no ids, full-width digits
  included (404); every endpoint honouring If-Match gets ETags that are no ETags (412).
- Sizes are bounded: a body larger than API_MAX_BODY_BYTES (1 MiB) is refused before it is
  parsed, with 413 `request_too_large` (a well-formed body padded to 5 MB, and to one byte
  past the bound); a list of ids or codes longer than MAX_ITEMS (200) is a 400 `too_many`.
  Two controls show the bounds themselves are read: a body of exactly API_MAX_BODY_BYTES, a
  list of exactly 200 codes.
- `RULES` adds what endpoints refuse beyond types: invalid 法人番号, duplicates, end before
  start, amber or red without a reason (on a create too), workflow moves at the wrong moment
  (409), expired links...
- Each malformed request must get its 4xx: 400, or 405/406/409/412/413/415 where that is the
  answer, 401/404 only where the malformed thing *is* the credential or the id in the path;
  in the shape {"code", "detail", "fields"}, with the expected `code` and the field it names;
  and change nothing: the rows of every table (history, delivery log, notifications, tokens,
  lockouts included) are counted before and after, and every record the test set up is
  compared field by field, many-to-many links included.
- The exporter page (/exporters/) has no registration form; its server-rendered profile form
  and confirmation link get their own small tables at the end.

No case is marked xfail: the application refuses every one of them as it should. A case
the application gets wrong goes in with `xfail(strict=True, reason="BUG: ...")`, so that it
fails loudly once fixed and its mark is removed.
"""

import dataclasses
import json
import string
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from unittest import mock
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.core import signing
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from exporters.models import ExporterStatus
from exporters.services.registrations import VERIFICATION_SALT, verification_token
from programs.models import (
    Country,
    WebhookEndpoint,
)
from tests.factories import (
    MilestoneFactory,
    StatusUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
PASSWORD = "secret-pass-2026"  # every factory user's password
TODAY = timezone.localdate

SQL = "'; DROP TABLE programs_milestone; --"
HTML = "<script>alert(1)</script>"
ERA = "令和8年1月1日"
MEGABYTES = 5 * 1024 * 1024
OVERSIZED = "あ" * 100_000

# The API's bounds (the API_MAX_BODY_BYTES setting, tracker.api.inputs.MAX_RELATED_ITEMS):
# one past each is refused, each itself is read.
MAX_BODY_BYTES = settings.API_MAX_BODY_BYTES  # 1 MiB unless the deployment says otherwise
MAX_ITEMS = 200  # ids or codes in one list


# --- the records every request runs against -------------------------------------------------

@pytest.fixture(scope="module")
def add_to_scene():
    return add_corpus_records


def add_corpus_records(scene):
    """On the shared scene (tests.support.scene): the officer is also a member of AZEC2 and
    owns a milestone there that carries a colleague's status update (a member may delete only
    milestones without others' words), and has an API token."""
    scene.others.members.add(scene.officer)
    scene.shared_milestone = MilestoneFactory(initiative=scene.others, owner=scene.officer)
    StatusUpdateFactory(milestone=scene.shared_milestone, author=scene.other_officer)
    scene.token = Token.objects.create(user=scene.officer)
    scene.webhook_owner = UserFactory(role="manager", username="jetro_systems",
                                      organisation=scene.jetro)
    scene.webhook = WebhookEndpoint.objects.create(
        organisation=scene.jetro, owner=scene.webhook_owner, url="http://127.0.0.1:9/hook",
        events=["milestone.changed"], secret="whsec_corpus")
    return scene


# --- the endpoints --------------------------------------------------------------------------

@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # "{id}" is the id of `record`
    caller: str  # a person of the scene, "anonymous", or "token" (the officer's API token)
    valid: Callable | None  # scene -> a well-formed body; None: the endpoint reads no body
    record: str | None = None  # the scene record the path names
    if_match: bool = False  # honours If-Match
    control_status: int = 200
    read: str | None = None  # where a record without a version is read for its ETag


def _days(days):
    """The ISO date `days` from today."""
    return str(TODAY() + timedelta(days=days))


def _week_date(days):
    """The same day as an ISO week date: 2026-W47-5."""
    year, week, weekday = (TODAY() + timedelta(days=days)).isocalendar()
    return f"{year}-W{week:02d}-{weekday}"


def _milestone(w):
    return {"initiative": w.programme.pk, "project": w.project.pk,
            "title_ja": "販路開拓商談会の開催", "title_en": "Hold the buyers' meeting",
            "description": "シンガポールで開催", "owner": w.officer.pk,
            "planned_due_on": "2026-12-15", "baseline_due_on": "2026-12-15",
            "health": "green", "percent_complete": 10}


def _initiative(w):
    return {"code": "FOOD-EXPORT-SG", "name_ja": "シンガポール向け輸出支援",
            "name_en": "Exports to Singapore", "summary_ja": "概要", "status": "active",
            "start_on": "2026-04-01", "end_on": "2030-03-31", "parent": w.programme.pk,
            "owner": w.officer.pk, "members": [w.other_officer.pk],
            "lead_organisation": "jetro", "countries": ["SG"], "fields": ["gx"],
            "reminder_due_soon_days": [14, 7], "reminder_stale_after_days": 30}


def _status_update(w):
    return {"reported_on": _days(-7), "summary": "商談会の出展者が確定", "risks": "為替",
            "next_steps": "事前セミナー", "health": "amber"}


def _registration(w):
    return {"company_name": "さくら酒造株式会社", "company_name_en": "Sakura Brewery",
            "corporate_number": "7000012050002", "prefecture": "26", "contact_name": "桜井 花子",
            "email": "export@sakura-shuzo.example.jp", "password": "Sake-Export-2026!",
            "product_categories": ["sake", "seafood"], "target_markets": ["US", "SG"],
            "language": "ja", "consent": True}


def _webhook(w):
    return {"organisation": "jetro", "owner": w.webhook_owner.pk,
            "url": "http://127.0.0.1:9/tracker", "description": "JETRO 基幹システム",
            "events": ["milestone.changed", "progress_report.approved"], "is_active": True}


ENDPOINTS = {
    "token-post": Endpoint("POST", "/auth/token/", "anonymous",
                           lambda w: {"username": w.manager.username, "password": PASSWORD}),
    "token-delete": Endpoint("DELETE", "/auth/token/", "token", None, control_status=204),
    "exporter-register": Endpoint("POST", "/exporters/register/", "anonymous", _registration,
                                  control_status=201),
    "exporter-verify": Endpoint("POST", "/exporters/verify/", "anonymous",
                                lambda w: {"token": verification_token(w.unconfirmed)}),
    "exporter-me-patch": Endpoint(
        "PATCH", "/exporters/me/", "exporter",
        lambda w: {"company_name": "みなと水産加工株式会社", "company_name_en": "Minato Seafood",
                   "prefecture": "04", "contact_name": "輸出 太郎",
                   "product_categories": ["seafood", "sake"], "target_markets": ["SG", "US"],
                   "language": "en"}, if_match=True),
    "exporter-approve": Endpoint("POST", "/exporters/{id}/approve/", "officer", None,
                                 record="applicant", if_match=True,
                                read="/exporters/{id}/"),
    "exporter-reject": Endpoint("POST", "/exporters/{id}/reject/", "officer",
                                lambda w: {"reason": "所在地を確認できませんでした。"},
                                record="applicant", if_match=True,
                                read="/exporters/{id}/"),
    "initiative-create": Endpoint("POST", "/initiatives/", "administrator", _initiative,
                                  control_status=201),
    "initiative-patch": Endpoint(
        "PATCH", "/initiatives/{id}/", "administrator",
        lambda w: {"summary_ja": "新しい概要", "status": "active", "start_on": "2026-04-01",
                   "end_on": "2031-03-31", "members": [w.other_officer.pk],
                   "health": "amber", "health_note": "為替の影響",
                   "reminder_due_soon_days": [7], "reminder_stale_after_days": 60},
        record="programme", if_match=True),
    "initiative-health": Endpoint("POST", "/initiatives/{id}/health/", "officer",
                                  lambda w: {"health": "red", "note": "商談会が延期"},
                                  record="programme", if_match=True),
    "initiative-status-update": Endpoint("POST", "/initiatives/{id}/status-updates/",
                                         "officer", _status_update, record="programme",
                                         control_status=201),
    "kpi-measurement": Endpoint("POST", "/kpis/{id}/measurements/", "officer",
                                lambda w: {"period_on": "2026-06-30", "value": "1.7",
                                           "source": "財務省貿易統計"},
                                record="kpi", control_status=201),
    "milestone-create": Endpoint("POST", "/milestones/", "officer", _milestone,
                                 control_status=201),
    "milestone-patch": Endpoint(
        "PATCH", "/milestones/{id}/", "officer",
        lambda w: {"title_ja": "商談会の開催（改）", "project": w.project.pk,
                   "owner": w.officer.pk, "planned_due_on": "2027-01-20",
                   "percent_complete": 60, "health": "amber", "status": "in_progress"},
        record="milestone", if_match=True),
    "milestone-delete": Endpoint("DELETE", "/milestones/{id}/", "officer", None,
                                 record="milestone", if_match=True, control_status=204),
    "milestone-transition": Endpoint("POST", "/milestones/{id}/transition/", "officer",
                                     lambda w: {"to": "done", "completed_on": _days(-7)},
                                     record="milestone", if_match=True),
    "milestone-status-update": Endpoint("POST", "/milestones/{id}/status-updates/", "officer",
                                        _status_update, record="milestone",
                                        control_status=201),
    "notification-preference-patch": Endpoint(
        "PATCH", "/notification-preferences/{kind}/", "officer",
        lambda w: {"enabled": False, "frequency": "daily_digest"}, if_match=True),
    "reminder-hour-patch": Endpoint(
        "PATCH", "/notification-preferences/hour/", "officer", lambda w: {"hour": 7},
        if_match=True),
    "notification-read": Endpoint("POST", "/notifications/{id}/read/", "officer", None,
                                  record="notification", if_match=True,
                                  read="/notifications/{id}/"),
    "notification-read-all": Endpoint("POST", "/notifications/read-all/", "officer", None),
    "webhook-create": Endpoint("POST", "/webhooks/", "administrator", _webhook,
                               control_status=201),
    "webhook-patch": Endpoint("PATCH", "/webhooks/{id}/", "administrator",
                              lambda w: {"events": ["milestone.overdue"], "is_active": False,
                                         "description": "停止中"},
                              record="webhook", if_match=True),
    "webhook-delete": Endpoint("DELETE", "/webhooks/{id}/", "administrator", None,
                               record="webhook", control_status=204, if_match=True),
    "webhook-rotate-secret": Endpoint("POST", "/webhooks/{id}/rotate-secret/", "administrator",
                                      None, record="webhook", if_match=True,
                                      read="/webhooks/{id}/"),
    "webhook-test": Endpoint("POST", "/webhooks/{id}/test/", "administrator", None,
                             record="webhook", control_status=202, if_match=True,
                             read="/webhooks/{id}/"),
    "progress-report-create": Endpoint("POST", "/progress-reports/", "officer",
                                       lambda w: {"initiative": w.programme.pk,
                                                  "period": "2026-Q3"},
                                       control_status=201),
    "progress-report-patch": Endpoint("PATCH", "/progress-reports/{id}/", "officer",
                                      lambda w: {"narrative": "改訂した所見",
                                                 "refresh_figures": True},
                                      record="draft", if_match=True),
    "progress-report-submit": Endpoint("POST", "/progress-reports/{id}/submit/", "officer",
                                       None, record="draft", if_match=True),
    "progress-report-approve": Endpoint("POST", "/progress-reports/{id}/approve/", "manager",
                                        None, record="submitted", if_match=True),
    "progress-report-return": Endpoint("POST", "/progress-reports/{id}/return/", "manager",
                                       lambda w: {"reason": "KPIの出典を追記してください。"},
                                       record="submitted", if_match=True),
    "project-create": Endpoint(
        "POST", "/projects/", "officer",
        lambda w: {"initiative": w.programme.pk, "code": "FOOD-US", "name_ja": "米国向け商談",
                   "name_en": "US buyers", "summary_ja": "概要", "theme_ja": "水産物",
                   "phase": "demonstration", "countries": ["US"], "partners": ["jetro"]},
        control_status=201),
    "project-patch": Endpoint(
        "PATCH", "/projects/{id}/", "officer",
        lambda w: {"name_ja": "シンガポール向け商談（改）", "phase": "rollout",
                   "countries": ["SG", "VN"], "partners": ["jetro"], "theme_en": "Seafood"},
        record="project", if_match=True),
    "status-update-patch": Endpoint("PATCH", "/status-updates/{id}/", "officer",
                                    _status_update, record="status_update", if_match=True),
    "status-update-delete": Endpoint("DELETE", "/status-updates/{id}/", "officer", None,
                                     record="status_update", if_match=True,
                                     control_status=204),
    "country-action-patch": Endpoint(
        "PATCH", "/country-actions/{id}/", "officer",
        lambda w: {"text_en": "Promote projects", "owner": w.officer.pk,
                   "status": "in_progress", "due_on": "2027-03-31"},
        record="action", if_match=True),
}


# --- what each field must refuse, by kind -----------------------------------------------------

@dataclass(frozen=True)
class Field:
    kind: str  # a key of MALFORMED
    required: bool = False  # a create must carry it
    nullable: bool = False
    max_length: int | None = None  # text: the longest accepted
    blank: bool = True  # text: "" accepted


def text(max_length, required=False, blank=True, nullable=False):
    return Field("text", required=required, nullable=nullable, max_length=max_length,
                 blank=blank and not required)


def line(max_length, required=False, blank=True, nullable=False):
    """One-line text (a title, a name): text without line breaks or control characters."""
    return Field("line", required=required, nullable=nullable, max_length=max_length,
                 blank=blank and not required)


def password(max_length):
    """A password: required, but spaces are characters of it, not blank."""
    return Field("text", required=True, max_length=max_length)


def _fullwidth(number):
    return str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


# kind -> [(case name, value, expected code)]. A value may be a function of a valid value of
# the field (`EXAMPLE`): a valid id written in full-width digits, a valid code as a JSON key...
MALFORMED = {
    "text": [
        ("list", [SQL], "invalid"),
        ("object", {"ja": "値"}, "invalid"),
        ("boolean", True, "invalid"),
        ("nul-character", "商談\x00会", "null_characters_not_allowed"),
    ],
    "line": [
        ("list", [SQL], "invalid"),
        ("object", {"ja": "値"}, "invalid"),
        ("boolean", True, "invalid"),
        ("nul-character", "商談\x00会", "null_characters_not_allowed"),
        ("header-injection", "商談会\r\nBcc: victim@example.jp", "control_characters"),
        ("line-feed", "商談\n会", "control_characters"),
        ("tab", "商談\t会", "control_characters"),
        ("escape", "商談\x1b[31m会", "control_characters"),
        ("line-separator", "商談\u2028会", "control_characters"),
    ],
    "date": [
        ("impossible-date", "2026-02-30", "invalid"),
        ("word-date", "tomorrow", "invalid"),
        ("slashed-date", "2026/01/01", "invalid"),
        ("fullwidth-date", "２０２６－０１－０１", "invalid"),
        ("mixed-width-date", lambda _: _fullwidth(_days(-7)), "invalid"),
        ("era-date", ERA, "invalid"),
        ("japanese-date", "2026年1月1日", "invalid"),
        ("week-date", lambda _: _week_date(-7), "invalid"),
        ("datetime", "2026-01-01T09:00:00+09:00", "invalid"),
        ("number-date", 20260101, "invalid"),
        ("list-date", ["2026-01-01"], "invalid"),
        ("object-date", {"year": 2026, "month": 1, "day": 1}, "invalid"),
        ("boolean-date", True, "invalid"),
        ("before-2000", "1999-12-31", "date_out_of_range"),
        ("after-2100", "2101-01-01", "date_out_of_range"),
        ("sql-date", SQL, "invalid"),
        ("html-date", HTML, "invalid"),
    ],
    "percent": [
        ("word-number", "half", "invalid"),
        ("numeric-string", "50", "invalid"),
        ("fullwidth-number", "５０", "invalid"),
        ("fullwidth-over-100", "１２３", "invalid"),  # a string: refused before its range
        ("era-number", ERA, "invalid"),
        ("over-100", 101, "max_value"),
        ("negative", -1, "min_value"),
        ("fraction", 50.5, "invalid"),
        ("boolean", True, "invalid"),
        ("list", [50], "invalid"),
        ("object", {"value": 50}, "invalid"),
        ("huge", 10**30, "invalid"),
        ("sql", SQL, "invalid"),
    ],
    "days": [  # whole days 1..365 (WholeNumberField): strings are refused
        ("numeric-string", "30", "invalid"),
        ("fullwidth-number", "３０", "invalid"),
        ("zero", 0, "min_value"),
        ("negative", -7, "min_value"),
        ("over-a-year", 366, "max_value"),
        ("fraction", 7.5, "invalid"),
        ("boolean", True, "invalid"),
        ("list", [30], "invalid"),
        ("sql", SQL, "invalid"),
    ],
    "day-list": [  # a list of such days
        ("not-a-list", "7", "not_a_list"),
        ("object", {"7": True}, "not_a_list"),
        ("empty", [], "empty"),
        ("zero", [0], "min_value"),
        ("over-a-year", [400], "max_value"),
        ("string-item", ["7"], "invalid"),
        ("fullwidth-item", ["７"], "invalid"),
        ("fraction-item", [3.5], "invalid"),
        ("boolean-item", [True], "invalid"),
        ("too-many", list(range(1, 12)), "max_length"),
        ("sql-item", [SQL], "invalid"),
    ],
    "health": [
        ("invalid-enum", "done!", "invalid_choice"),
        ("uppercase-enum", "GREEN", "invalid_choice"),
        ("japanese-enum", "緑", "invalid_choice"),
        ("fullwidth-enum", "ｇｒｅｅｎ", "invalid_choice"),
        ("empty-enum", "", "invalid_choice"),
        ("list-enum", ["green"], "invalid_choice"),
        ("number-enum", 1, "invalid_choice"),
        ("sql-enum", SQL, "invalid_choice"),
        ("html-enum", HTML, "invalid_choice"),
    ],
    "id": [
        ("missing-id", 999_999, "does_not_exist"),
        ("zero-id", 0, "does_not_exist"),
        ("negative-id", -1, "does_not_exist"),
        ("huge-id", 2**63, "does_not_exist"),
        ("word-id", "abc", "incorrect_type"),
        ("fullwidth-id", lambda example: _fullwidth(example), "incorrect_type"),
        ("numeric-string-id", lambda example: str(example), "incorrect_type"),
        ("era-id", ERA, "incorrect_type"),
        ("fraction-id", lambda example: example + 0.5, "incorrect_type"),
        ("whole-float-id", lambda example: float(example), "incorrect_type"),
        ("boolean-id", True, "incorrect_type"),
        ("list-id", lambda example: [example], "incorrect_type"),
        ("object-id", lambda example: {"id": example}, "incorrect_type"),
        ("sql-id", SQL, "incorrect_type"),
        ("html-id", HTML, "incorrect_type"),
    ],
    "id-list": [
        ("not-a-list", lambda example: example, "not_a_list"),
        ("string-list", SQL, "not_a_list"),
        ("object-list", lambda example: {str(example): True}, "not_a_list"),
        ("missing-id-item", [999_999], "does_not_exist"),
        ("word-id-item", ["abc"], "incorrect_type"),
        ("numeric-string-item", lambda example: [str(example)], "incorrect_type"),
        ("fullwidth-item", lambda example: [_fullwidth(example)], "incorrect_type"),
        ("boolean-item", [True], "incorrect_type"),
        ("nested-list", lambda example: [[example]], "incorrect_type"),
        ("sql-id-item", [SQL], "incorrect_type"),
        ("null-item", [None], "incorrect_type"),
        ("too-many-ids", lambda example: [example] * (MAX_ITEMS + 1), "too_many"),
    ],
    "codes": [  # codes of reference data (ISO country, category, organisation, field)
        ("not-a-list", "SG", "not_a_list"),
        ("object-list", lambda example: {example: True}, "not_a_list"),
        ("unknown-code", ["XX"], "does_not_exist"),
        ("fullwidth-code", ["ＳＧ"], "does_not_exist"),
        ("japanese-code", ["シンガポール"], "does_not_exist"),
        ("number-code", [65], "invalid"),  # not a string: refused before it is looked up
        ("boolean-code", [True], "invalid"),
        ("nested-list", lambda example: [[example]], "invalid"),
        ("sql-code", [SQL], "does_not_exist"),
        ("html-code", [HTML], "does_not_exist"),
        ("null-item", [None], "invalid"),
        ("too-many-codes", lambda example: [example] * (MAX_ITEMS + 1), "too_many"),
    ],
    "boolean": [
        ("word-boolean", "maybe", "invalid"),
        ("string-boolean", "true", "invalid"),
        ("yes-boolean", "yes", "invalid"),
        ("one-boolean", 1, "invalid"),
        ("japanese-boolean", "はい", "invalid"),
        ("number-boolean", 2, "invalid"),
        ("list-boolean", [True], "invalid"),
        ("object-boolean", {"value": True}, "invalid"),
        ("sql-boolean", SQL, "invalid"),
    ],
    "decimal": [
        ("word-number", "abc", "invalid"),
        ("fullwidth-number", "１．７", "invalid"),
        ("fullwidth-digits", "１.７", "invalid"),
        ("era-number", "1.7兆円", "invalid"),
        ("thousands-separator", "1,700", "invalid"),
        ("not-a-number", "NaN", "invalid"),
        ("infinity", "Infinity", "invalid"),
        ("too-many-decimals", "1.23456", "max_decimal_places"),
        ("too-many-digits", "12345678901234567", "max_whole_digits"),
        ("huge", 10**30, "max_digits"),
        ("boolean", True, "invalid"),
        ("list", ["1.7"], "invalid"),
        ("sql", SQL, "invalid"),
    ],
    "code": [  # ^[A-Z0-9][A-Z0-9-]*$, at most 60
        ("lowercase-code", "food-us", "invalid"),
        ("fullwidth-code", "ＦＯＯＤ－ＵＳ", "invalid"),
        ("japanese-code", "食品輸出", "invalid"),
        ("leading-hyphen", "-FOOD", "invalid"),
        ("space-in-code", "FOOD US", "invalid"),
        ("too-long-code", "F" * 61, "max_length"),
        ("list-code", ["FOOD"], "invalid"),
        ("sql-code", SQL, "invalid"),
        ("html-code", HTML, "invalid"),
    ],
    "period": [
        ("fifth-quarter", "2026-Q5", "invalid"),
        ("quarter-zero", "2026-Q0", "invalid"),
        ("no-hyphen", "2026Q3", "invalid"),
        ("lowercase", "2026-q3", "invalid"),
        ("fullwidth-period", "２０２６-Ｑ３", "invalid"),
        ("japanese-period", "2026年度第3四半期", "invalid"),
        ("last-century", "1999-Q1", "invalid"),
        ("date-period", "2026-07-01", "invalid"),
        ("number-period", 2026, "invalid"),
        ("list-period", ["2026-Q3"], "invalid"),
        ("sql-period", SQL, "invalid"),
    ],
}


def _choice(**near_misses):
    """An enum: the health cases, and wrong values that look like real ones of this enum."""
    return [*MALFORMED["health"],
            *[(name.replace("_", "-"), value, "invalid_choice")
              for name, value in near_misses.items()]]


MALFORMED.update({
    "work-status": _choice(finished="finished", label="Not Started", japanese_label="完了",
                           padded=" done"),
    "initiative-status": _choice(role_name="superuser", closed="closed", japanese_label="実施中"),
    "phase": _choice(pilot="pilot", japanese_label="実証"),
    "frequency": _choice(weekly="weekly", daily="daily", never="never"),
    "language": _choice(jp="jp", locale="ja-JP", japanese_name="日本語", french="fr"),
    "prefecture": [
        ("no-such-prefecture", "48", "invalid_choice"),
        ("zero-prefecture", "00", "invalid_choice"),
        ("unpadded-prefecture", "4", "invalid_choice"),
        ("fullwidth-prefecture", "１３", "invalid_choice"),
        ("name-prefecture", "東京都", "invalid_choice"),
        ("list-prefecture", ["13"], "invalid_choice"),
        ("sql-prefecture", SQL, "invalid_choice"),
    ],
    "organisation": [
        ("unknown-code", "no-such-body", "does_not_exist"),
        ("japanese-code", "日本貿易振興機構", "does_not_exist"),
        ("sql-code", SQL, "does_not_exist"),
        ("html-code", HTML, "does_not_exist"),
    ],
})

# What each endpoint accepts.
_MILESTONE_FIELDS = {
    "project": Field("id", nullable=True), "title_ja": line(300, required=True),
    "title_en": line(300), "description": text(10000), "owner": Field("id", required=True),
    "planned_due_on": Field("date", required=True), "baseline_due_on": Field("date"),
    "health": Field("health"), "percent_complete": Field("percent"),
}
_STATUS_UPDATE_FIELDS = {
    "reported_on": Field("date"), "summary": text(10000, required=True),
    "risks": text(10000), "next_steps": text(10000), "health": Field("health"),
}
_INITIATIVE_FIELDS = {
    "summary_ja": text(20000), "summary_en": text(20000),
    "status": Field("initiative-status"), "start_on": Field("date", nullable=True),
    "end_on": Field("date", nullable=True), "members": Field("id-list"),
    "health": Field("health"), "health_note": text(5000),
    "name_ja": line(300, blank=False), "name_en": line(300),
    "parent": Field("id", nullable=True), "lead_organisation": Field("organisation", nullable=True),
    "owner": Field("id", nullable=True), "countries": Field("codes"), "fields": Field("codes"),
    "reminder_due_soon_days": Field("day-list", nullable=True),
    "reminder_stale_after_days": Field("days", nullable=True),
}
_PROFILE_FIELDS = {
    "company_name": line(200, required=True), "company_name_en": line(200),
    "prefecture": Field("prefecture", required=True),
    "contact_name": line(100, required=True),
    "product_categories": Field("codes", required=True),
    "target_markets": Field("codes", required=True), "language": Field("language"),
}
_PROJECT_FIELDS = {
    "name_ja": line(300, blank=False), "name_en": line(300), "summary_ja": text(20000),
    "summary_en": text(20000), "theme_ja": line(100), "theme_en": line(100),
    "phase": Field("phase"), "countries": Field("codes"), "partners": Field("codes"),
}

FIELDS = {
    "token-post": {"username": text(150, required=True), "password": password(256)},
    "exporter-register": {
        **_PROFILE_FIELDS, "corporate_number": text(30, required=True),
        "email": text(150, required=True), "password": password(128),
        "consent": Field("boolean", required=True)},
    "exporter-verify": {"token": text(1000, required=True)},
    "exporter-me-patch": _PROFILE_FIELDS,
    "exporter-reject": {"reason": text(5000, required=True)},
    "initiative-create": {**_INITIATIVE_FIELDS, "code": Field("code", required=True),
                          "name_ja": line(300, required=True)},
    "initiative-patch": _INITIATIVE_FIELDS,
    "initiative-health": {"health": Field("health", required=True), "note": text(5000)},
    "initiative-status-update": _STATUS_UPDATE_FIELDS,
    "kpi-measurement": {"period_on": Field("date", required=True),
                        "value": Field("decimal", required=True), "source": text(5000)},
    "milestone-create": {"initiative": Field("id", required=True), **_MILESTONE_FIELDS},
    # baseline_due_on: not the officer's to change ("officer-rebaselines"), but its type is
    # checked first, so a malformed one is refused as malformed.
    "milestone-patch": {**_MILESTONE_FIELDS, "status": Field("work-status"),
                        "completed_on": Field("date", nullable=True)},
    "milestone-transition": {"to": Field("work-status", required=True),
                             "completed_on": Field("date", nullable=True)},
    "milestone-status-update": _STATUS_UPDATE_FIELDS,
    "notification-preference-patch": {"enabled": Field("boolean"),
                                      "frequency": Field("frequency")},
    "webhook-create": {"organisation": Field("organisation", required=True),
                       "owner": Field("id", required=True), "description": line(200),
                       "is_active": Field("boolean")},
    "webhook-patch": {"owner": Field("id"), "description": line(200),
                      "is_active": Field("boolean")},
    "progress-report-create": {"initiative": Field("id", required=True),
                               "period": Field("period", required=True)},
    "progress-report-patch": {"narrative": text(50000), "refresh_figures": Field("boolean")},
    "progress-report-return": {"reason": text(5000, required=True)},
    "project-create": {**_PROJECT_FIELDS, "initiative": Field("id", required=True),
                       "code": Field("code", required=True),
                       "name_ja": line(300, required=True)},
    "project-patch": _PROJECT_FIELDS,
    "status-update-patch": _STATUS_UPDATE_FIELDS,
    "country-action-patch": {
        "text_en": text(5000), "owner": Field("id", nullable=True),
        "status": Field("work-status"), "due_on": Field("date", nullable=True),
        "completed_on": Field("date", nullable=True)},
}

# A valid value of each id or code field, for the malformed values built from one.
EXAMPLE = {
    "initiative": lambda w: w.programme.pk, "project": lambda w: w.project.pk,
    "owner": lambda w: w.officer.pk, "parent": lambda w: w.others.pk,
    "members": lambda w: w.other_officer.pk, "countries": "SG", "target_markets": "SG",
    "partners": "jetro", "fields": "gx", "product_categories": "seafood",
}


# --- the cases ------------------------------------------------------------------------------

DROP = object()  # a body value: leave the field out


@dataclass(frozen=True)
class Raw:
    """A body sent byte for byte."""

    data: bytes
    content_type: str = "application/json"


@dataclass(frozen=True)
class Exact:
    """A JSON body sent as it is, not merged into the endpoint's valid body."""

    value: object


@dataclass(frozen=True)
class Padded:
    """The endpoint's well-formed body followed by JSON whitespace up to `length` bytes: a
    body wrong in nothing but its size."""

    length: int


@dataclass(frozen=True)
class Case:
    endpoint: str
    body: object = None  # dict: merged into the valid body; Exact, Raw, Padded: as is;
    # None: the valid body
    status: int = 400
    code: str = "invalid"
    field: str | None = None  # the field `fields` must name
    headers: dict = dataclasses.field(default_factory=dict)
    path_id: object = None  # replaces the record's id in the path (a function of the scene)
    method: str | None = None  # another method than the endpoint's
    record: str | None = None  # another scene record in the path
    caller: str | None = None  # another caller than the endpoint's


def _case(name, case):
    return pytest.param(case, id=f"{case.endpoint}-{name}")


def _from_example(build, example):
    """A scene -> value function: `build` applied to the field's valid value."""
    return lambda w: build(example(w) if callable(example) else example)


def _field_cases(name, endpoint, field_name, spec):
    creates = endpoint.method == "POST"
    example = EXAMPLE.get(field_name)
    for case_name, value, code in MALFORMED[spec.kind]:
        code = TWO_ERRORS_AT_ONCE.get((name, field_name, case_name), code)
        if callable(value):
            value = _from_example(value, example)
        yield _case(f"{field_name}-{case_name}",
                    Case(name, {field_name: value}, code=code, field=field_name))
    if spec.max_length:
        code = TWO_ERRORS_AT_ONCE.get((name, field_name, "oversized"), "max_length")
        yield _case(f"{field_name}-oversized",
                    Case(name, {field_name: OVERSIZED}, code=code, field=field_name))
    if not spec.blank:
        yield _case(f"{field_name}-blank", Case(name, {field_name: ""}, code="blank",
                                                field=field_name))
        yield _case(f"{field_name}-fullwidth-space",
                    Case(name, {field_name: "\u3000 "}, code="blank", field=field_name))
    if not spec.nullable:
        yield _case(f"{field_name}-null",
                    Case(name, {field_name: None}, code="null", field=field_name))
    if spec.required and creates:
        yield _case(f"{field_name}-missing",
                    Case(name, {field_name: DROP}, code="required", field=field_name))


# Where a value breaks two rules of a field at once (too long *and* not a 法人番号), the body's
# code is the general `invalid`; `fields` still carries both.
TWO_ERRORS_AT_ONCE = {
    ("exporter-register", field_name, case_name): "invalid"
    for field_name in ("corporate_number", "email")
    for case_name in ("nul-character", "oversized")
}

# Every endpoint that reads a body gets these.
BODIES = [
    ("not-json", Raw(b'{"summary": "\xe6\x9c\xaa'), 400, "parse_error"),
    ("truncated-json", Raw(b'{"title_ja": "x",'), 400, "parse_error"),
    ("single-quoted-json", Raw(b"{'title_ja': 'x'}"), 400, "parse_error"),
    ("invalid-utf8", Raw(b'{"title_ja": "\xff\xfe"}'), 400, "parse_error"),
    ("lone-surrogate", Raw(b'{"title_ja": "\\ud800"}'), 400, "parse_error"),
    ("nan-literal", Raw(b'{"value": NaN}'), 400, "parse_error"),
    ("deeply-nested", Raw(b"[" * 5000 + b"]" * 5000), 400, "parse_error"),
    ("whitespace-body", Raw(b" \r\n "), 400, "parse_error"),
    ("byte-order-mark", Raw(b'\xef\xbb\xbf{"title_ja": "x"}'), 400, "parse_error"),
    ("json-list", Exact([{"title_ja": "x"}]), 400, "not_an_object"),
    ("json-string", Exact("hello"), 400, "not_an_object"),
    ("json-japanese-string", Exact("２０２６－０１－０１"), 400, "not_an_object"),
    ("json-number", Exact(42), 400, "not_an_object"),
    ("json-true", Exact(True), 400, "not_an_object"),
    ("json-null", Exact(None), 400, "null"),
    ("form-encoded", Raw(b"title_ja=x&status=done", "application/x-www-form-urlencoded"),
     415, "unsupported_media_type"),
    ("multipart", Raw(b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b--\r\n",
                      "multipart/form-data; boundary=b"), 415, "unsupported_media_type"),
    ("text-plain", Raw(b'{"title_ja": "x"}', "text/plain"), 415, "unsupported_media_type"),
    ("merge-patch-media-type", Raw(b'{"title_ja": "x"}', "application/merge-patch+json"),
     415, "unsupported_media_type"),
    ("wrong-charset", Raw('{"title_ja": "販路"}'.encode(), "application/json; charset=utf-16"),
     400, "parse_error"),
    ("xml", Raw(b"<milestone><title_ja>x</title_ja></milestone>", "application/xml"),
     415, "unsupported_media_type"),
    ("unknown-field", {"is_superuser": True}, 400, "unknown_field"),
    ("unknown-sql-field", {SQL: 1}, 400, "unknown_field"),
    ("read-only-id", {"id": 1}, 400, "unknown_field"),
    ("read-only-version", {"version": 99}, 400, "unknown_field"),
    ("read-only-created-at", {"created_at": "2020-01-01T00:00:00Z"}, 400, "unknown_field"),
    # refused by its size, before it is parsed
    ("oversized-body", Padded(MEGABYTES), 413, "request_too_large"),
    ("body-one-byte-too-large", Padded(MAX_BODY_BYTES + 1), 413, "request_too_large"),
]
# A create needs its fields (`required`); a change must name something to change
# (`empty_update`: an empty PATCH would still save a new version and stale every ETag).
EMPTY_BODIES = [
    ("empty-body", Raw(b"")),
    ("empty-object", Exact({})),
]
# Every endpoint with a record in its path gets these ids.
PATH_IDS = [
    ("path-missing-id", "999999"),
    ("path-negative-id", "-1"),
    ("path-huge-id", "99999999999999999999"),
    ("path-word-id", "abc"),
    ("path-era-id", "令和8"),
    ("path-sql-id", SQL),
    ("path-html-id", HTML),
    ("path-decimal-id", lambda w, record: f"{record.pk}.0"),
    ("path-fullwidth-id", lambda w, record: _fullwidth(record.pk)),
]
# Every endpoint honouring If-Match gets these.
ETAGS = [
    ("if-match-stale", '"v99"'),
    ("if-match-unquoted", "v1"),
    ("if-match-no-v", '"1"'),
    ("if-match-negative", '"v-1"'),
    ("if-match-weak-stale", 'W/"v2"'),
    ("if-match-huge", '"v99999999999999999999"'),
    ("if-match-japanese", '"v一"'),
    ("if-match-sql", SQL),
    ("if-match-empty", ""),
    ("if-match-fullwidth", '"v１"'),
]


def _generic_cases(name, endpoint):
    if endpoint.valid is not None:
        for case_name, body, status, code in BODIES:
            field_name = next(iter(body)) if isinstance(body, dict) else None
            yield _case(case_name, Case(name, body, status=status, code=code, field=field_name))
        for case_name, body in EMPTY_BODIES:
            yield _case(case_name, Case(name, body, code="required" if endpoint.method == "POST"
                                        else "empty_update"))
        if endpoint.method == "PATCH":
            yield _case("put-instead-of-patch", Case(name, status=405, code="method_not_allowed",
                                                     method="PUT"))
    yield _case("accept-xml-only", Case(name, status=406, code="not_acceptable",
                                        headers={"HTTP_ACCEPT": "application/xml"}))
    if endpoint.record:
        for case_name, path_id in PATH_IDS:
            yield _case(case_name, Case(name, status=404, code="not_found", path_id=path_id))
    if endpoint.if_match:
        for case_name, etag in ETAGS:
            yield _case(case_name, Case(name, status=412, code="stale_version",
                                        headers={"HTTP_IF_MATCH": etag}))
        yield _case("if-match-missing", Case(name, status=428, code="precondition_required",
                                             headers={"HTTP_IF_MATCH": None}))


def pk_of(attr):
    return lambda scene: getattr(scene, attr).pk


CHECK_DIGIT = "7000012050003"  # 7000012050002 with its check digit changed

# Beyond types: what each endpoint refuses by its rules. (name, Case)
RULES = [
    # the token endpoint
    ("username-and-password-swapped-types",
     Case("token-post", {"username": ["officer_a"], "password": {"p": PASSWORD}})),
    ("username-sql", Case("token-post", {"username": SQL + "x" * 150}, code="max_length",
                          field="username")),
    # revoking a token: the malformed thing is the credential itself, so the answer is 401
    *[(name, Case("token-delete", status=401, code=code, caller="anonymous",
                  headers={"HTTP_AUTHORIZATION": header} if header is not None else {}))
      for name, header, code in [
          ("no-authorization", None, "not_authenticated"),
          ("unknown-token", "Token 0123456789abcdef0123456789abcdef01234567",
           "authentication_failed"),
          ("sql-token", f"Token {SQL.replace(' ', '')}", "authentication_failed"),
          ("fullwidth-token", "Token ０１２３４５６７８９", "authentication_failed"),
          ("japanese-token", "Token 令和8年", "authentication_failed"),
          ("token-with-spaces", "Token abc def", "authentication_failed"),
          ("empty-token", "Token ", "authentication_failed"),
          ("bearer-scheme", "Bearer 0123456789abcdef", "not_authenticated"),
          ("html-token", f"Token {HTML}", "authentication_failed"),
      ]],
    # registration: 法人番号, e-mail, password, consent, duplicates
    *[(name, Case("exporter-register", {"corporate_number": number}, code=code,
                  field="corporate_number"))
      for name, number, code in [
          ("corporate-number-check-digit", CHECK_DIGIT, "corporate_number_check_digit"),
          ("corporate-number-12-digits", "700001205000", "corporate_number_length"),
          ("corporate-number-14-digits", "70000120500020", "corporate_number_length"),
          ("corporate-number-letters", "700001205000A", "corporate_number_not_digits"),
          ("corporate-number-fullwidth-check-digit", _fullwidth(CHECK_DIGIT),
           "corporate_number_check_digit"),
          ("corporate-number-fullwidth-12-digits", "７０００１２０５０００",
           "corporate_number_length"),
          ("corporate-number-kanji-digits", "七〇〇〇〇一二〇五〇〇〇二",
           "corporate_number_not_digits"),
          ("corporate-number-arabic-indic-digits", "٧٠٠٠٠١٢٠٥٠٠٠٢",
           "corporate_number_not_digits"),
          ("corporate-number-empty", "", "blank"),
          ("corporate-number-all-zero", "0000000000000", "corporate_number_check_digit"),
          ("corporate-number-number", 7000012050003, "corporate_number_check_digit"),
          ("corporate-number-sql", "1'; DROP TABLE x; --", "corporate_number_not_digits"),
      ]],
    ("corporate-number-taken", Case("exporter-register",
                                    {"corporate_number": lambda w: w.company.corporate_number},
                                    code="corporate_number_taken", field="corporate_number")),
    ("corporate-number-taken-fullwidth",
     Case("exporter-register",
          {"corporate_number": lambda w: _fullwidth(w.company.corporate_number)},
          code="corporate_number_taken", field="corporate_number")),
    ("email-taken", Case("exporter-register", {"email": lambda w: w.company.user.email.upper()},
                         code="email_taken", field="email")),
    *[(name, Case("exporter-register", {"email": email}, code="invalid", field="email"))
      for name, email in [("email-without-at", "export.example.jp"),
                          ("email-japanese", "輸出@例え.日本"),
                          ("email-fullwidth", "ＥＸＰＯＲＴ＠ｓａｋｕｒａ.jp"),
                          ("email-sql", SQL), ("email-html", HTML),
                          ("email-two-ats", "a@b@example.jp")]],
    ("email-longer-than-a-username",
     Case("exporter-register", {"email": f"{'a' * 60}@{'b' * 60}.{'c' * 60}.example.jp"},
          code="max_length", field="email")),
    ("password-too-short", Case("exporter-register", {"password": "Ab1!xY9?"},
                                code="password_too_short", field="password")),
    ("password-too-common", Case("exporter-register", {"password": "password1234"},
                                 code="password_too_common", field="password")),
    ("password-blank", Case("exporter-register", {"password": ""}, code="blank",
                            field="password")),
    ("password-blank", Case("token-post", {"password": ""}, code="blank", field="password")),
    ("password-numeric", Case("exporter-register", {"password": "20261127093845"},
                              code="password_entirely_numeric", field="password")),
    ("consent-false", Case("exporter-register", {"consent": False}, code="consent_required",
                           field="consent")),
    ("categories-empty", Case("exporter-register", {"product_categories": []}, code="empty",
                              field="product_categories")),
    ("markets-empty", Case("exporter-register", {"target_markets": []}, code="empty",
                           field="target_markets")),
    *[(f"{field_name.replace('_', '-')}-is-not-writable",
       Case("exporter-register", {field_name: value}, code="unknown_field", field=field_name))
      for field_name, value in [("role", "administrator"), ("is_superuser", True),
                                ("status", "approved"), ("username", "admin")]],
    ("company-name-sql-in-fullwidth-prefecture",
     Case("exporter-register", {"company_name": SQL, "prefecture": "２６"},
          code="invalid_choice", field="prefecture")),
    # e-mail confirmation
    *[(name, Case("exporter-verify", {"token": token}, code="token_invalid", field="token"))
      for name, token in [
          ("token-garbage", "garbage"),
          ("token-sql", SQL), ("token-html", HTML), ("token-japanese", "確認トークン"),
          ("token-tampered", lambda w: verification_token(w.unconfirmed)[:-2] + "xx"),
          ("token-other-salt", lambda w: signing.dumps({"profile": w.unconfirmed.pk,
                                                        "email": w.unconfirmed.user.email})),
          ("token-unknown-profile", lambda w: signing.dumps(
              {"profile": 999_999, "email": "x@example.jp"}, salt=VERIFICATION_SALT)),
          ("token-other-email", lambda w: signing.dumps(
              {"profile": w.unconfirmed.pk, "email": "x@example.jp"}, salt=VERIFICATION_SALT)),
      ]],
    ("token-expired", Case("exporter-verify", {"token": lambda w: _expired_token(w)},
                           code="token_expired", field="token")),
    # a company's own profile
    ("corporate-number-read-only", Case("exporter-me-patch", {"corporate_number": CHECK_DIGIT},
                                        code="unknown_field", field="corporate_number")),
    ("status-read-only", Case("exporter-me-patch", {"status": "approved"},
                              code="unknown_field", field="status")),
    ("email-read-only", Case("exporter-me-patch", {"email": "new@example.jp"},
                             code="unknown_field", field="email")),
    ("categories-empty", Case("exporter-me-patch", {"product_categories": []}, code="empty",
                              field="product_categories")),
    ("markets-empty", Case("exporter-me-patch", {"target_markets": []}, code="empty",
                           field="target_markets")),
    # reviewing registrations: a decision at the wrong moment is a conflict
    ("approve-approved", Case("exporter-approve", status=409, code="invalid_transition",
                              record="company")),
    ("approve-unconfirmed", Case("exporter-approve", status=409, code="invalid_transition",
                                 record="unconfirmed")),
    ("reject-unconfirmed", Case("exporter-reject", status=409, code="invalid_transition",
                                record="unconfirmed")),
    ("reason-blank", Case("exporter-reject", {"reason": ""}, code="blank", field="reason")),
    ("reason-fullwidth-spaces", Case("exporter-reject", {"reason": "\u3000\u3000"},
                                     code="blank", field="reason")),
    # initiatives
    ("code-taken", Case("initiative-create", {"code": "FOOD-EXPORT"}, code="unique",
                        field="code")),
    ("end-before-start", Case("initiative-create", {"start_on": "2027-04-01",
                                                    "end_on": "2027-03-31"},
                              code="ends_before_start", field="end_on")),
    ("owner-is-manager", Case("initiative-create", {"owner": pk_of("manager")},
                              code="invalid_owner", field="owner")),
    ("owner-is-exporter", Case("initiative-create", {"owner": pk_of("exporter")},
                               code="invalid_owner", field="owner")),
    ("owner-inactive", Case("initiative-create", {"owner": pk_of("inactive_officer")},
                            code="does_not_exist", field="owner")),
    ("amber-without-reason", Case("initiative-create", {"health": "amber", "health_note": ""},
                                  code="health_note_required", field="health_note")),
    ("red-without-a-note-field", Case("initiative-create", {"health": "red"},
                                      code="health_note_required", field="health_note")),
    ("red-with-fullwidth-space-reason",
     Case("initiative-create", {"health": "red", "health_note": "\u3000"},
          code="health_note_required", field="health_note")),
    ("end-before-start", Case("initiative-patch", {"start_on": "2027-04-01",
                                                   "end_on": "2026-04-01"},
                              code="ends_before_start", field="end_on")),
    ("red-without-reason", Case("initiative-patch", {"health": "red", "health_note": "　"},
                                code="health_note_required", field="health_note")),
    ("owner-renames", Case("initiative-patch", {"name_ja": "別名"}, caller="officer",
                           code="field_not_writable")),
    ("owner-moves", Case("initiative-patch", {"parent": pk_of("others")}, caller="officer",
                         code="field_not_writable")),
    ("placed-under-itself", Case("initiative-patch", {"parent": pk_of("programme")},
                                 code="initiative_cycle", field="parent")),
    ("handed-to-manager", Case("initiative-patch", {"owner": pk_of("manager")},
                               code="invalid_owner", field="owner")),
    ("amber-without-reason", Case("initiative-health", {"health": "amber", "note": ""},
                                  code="health_note_required", field="health_note")),
    # KPI measurements
    ("correction-stale", Case("kpi-measurement", {"period_on": "2026-03-31"}, status=412,
                              code="stale_version", headers={"HTTP_IF_MATCH": '"v99"'})),
    ("correction-malformed-etag", Case("kpi-measurement", {"period_on": "2026-03-31"},
                                       status=412, code="stale_version",
                                       headers={"HTTP_IF_MATCH": SQL})),
    # milestones
    ("project-of-another-initiative",
     Case("milestone-create", {"project": pk_of("others_project")},
          code="project_outside_initiative", field="project")),
    ("owner-is-manager", Case("milestone-create", {"owner": pk_of("manager")},
                              code="invalid_owner", field="owner")),
    ("owner-is-exporter", Case("milestone-create", {"owner": pk_of("exporter")},
                               code="invalid_owner", field="owner")),
    ("owner-inactive", Case("milestone-create", {"owner": pk_of("inactive_officer")},
                            code="does_not_exist", field="owner")),
    # (No percentage typed beside "done": one that disagrees is refused first.)
    ("done-without-date", Case("milestone-patch", {"status": "done", "percent_complete": DROP},
                               code="completion_date_required")),
    ("done-in-the-future", Case("milestone-patch",
                                {"status": "done", "completed_on": lambda w: _days(1),
                                 "percent_complete": DROP},
                                code="completion_date_in_future")),
    ("back-to-not-started", Case("milestone-patch", {"status": "not_started"}, status=409,
                                 code="invalid_transition")),
    ("officer-rebaselines", Case("milestone-patch", {"baseline_due_on": "2027-06-30"},
                                 code="field_not_writable")),
    ("carries-a-colleagues-update", Case("milestone-delete", record="shared_milestone",
                                         code="has_colleagues_updates")),
    ("moved-to-another-initiative", Case("milestone-patch", {"initiative": pk_of("others")},
                                         code="unknown_field", field="initiative")),
    ("project-of-another-initiative",
     Case("milestone-patch", {"project": pk_of("others_project")},
          code="project_outside_initiative", field="project")),
    ("owner-is-manager", Case("milestone-patch", {"owner": pk_of("manager")},
                              code="invalid_owner", field="owner")),
    ("done-without-date", Case("milestone-transition", {"to": "done", "completed_on": DROP},
                               code="completion_date_required")),
    ("done-with-null-date", Case("milestone-transition", {"to": "done", "completed_on": None},
                                 code="completion_date_required")),
    ("done-in-the-future", Case("milestone-transition",
                                {"completed_on": lambda w: _days(30)},
                                code="completion_date_in_future")),
    ("back-to-not-started", Case("milestone-transition", {"to": "not_started"}, status=409,
                                 code="invalid_transition")),
    ("status-sql-in-to", Case("milestone-transition", {"to": SQL}, code="invalid_choice",
                              field="to")),
    # notification preferences: the kind is in the path
    *[(name, Case("notification-preference-patch", status=404, code="not_found",
                  path_id=kind))
      for name, kind in [("kind-unknown", "weekly"), ("kind-daily-digest", "daily_digest"),
                         ("kind-account", "account"), ("kind-uppercase", "OVERDUE"),
                         ("kind-japanese", "期限超過"), ("kind-sql", SQL),
                         ("kind-fullwidth", "ｏｖｅｒｄｕｅ")]],
    # progress reports
    ("period-in-the-future", Case("progress-report-create", {"period": "2027-Q1"},
                                  code="period_in_future", field="period")),
    ("period-taken", Case("progress-report-create", {"period": "2026-Q2"},
                          code="report_exists", field="period")),
    ("edit-a-submitted-report", Case("progress-report-patch", record="submitted", status=409,
                                     code="invalid_transition")),
    ("submit-a-submitted-report", Case("progress-report-submit", record="submitted",
                                       status=409, code="invalid_transition")),
    ("submit-without-narrative", Case("progress-report-submit", record="blank_draft",
                                      code="narrative_required", field="narrative")),
    ("approve-a-draft", Case("progress-report-approve", record="draft", status=409,
                             code="invalid_transition")),
    ("return-a-draft", Case("progress-report-return", record="draft", status=409,
                            code="invalid_transition")),
    ("reason-blank", Case("progress-report-return", {"reason": ""}, code="blank",
                          field="reason")),
    ("reason-fullwidth-spaces", Case("progress-report-return", {"reason": "\u3000"},
                                     code="blank", field="reason")),
    # projects
    ("code-taken", Case("project-create", {"code": "FOOD-SG"}, code="unique", field="code")),
    ("code-is-read-only", Case("project-patch", {"code": "FOOD-XX"}, code="unknown_field",
                               field="code")),
    ("moved-to-another-initiative", Case("project-patch", {"initiative": pk_of("others")},
                                         code="unknown_field", field="initiative")),
    # status updates: the author and subject are not the client's to say
    ("author-is-read-only", Case("status-update-patch", {"author": pk_of("manager")},
                                 code="unknown_field", field="author")),
    ("moved-to-another-milestone", Case("status-update-patch", {"milestone": 1},
                                        code="unknown_field", field="milestone")),
    ("author-is-read-only", Case("milestone-status-update", {"author": pk_of("manager")},
                                 code="unknown_field", field="author")),
    # country actions
    ("done-without-date", Case("country-action-patch", {"status": "done"},
                               code="completion_date_required")),
    ("done-in-the-future", Case("country-action-patch",
                                {"status": "done", "completed_on": lambda w: _days(1)},
                                code="completion_date_in_future")),
    ("japanese-text-is-the-strategys", Case("country-action-patch", {"text_ja": "書き換え"},
                                            code="unknown_field", field="text_ja")),
    ("owner-is-manager", Case("country-action-patch", {"owner": pk_of("manager")},
                              code="invalid_owner", field="owner")),
]


def _expired_token(w):
    """A confirmation link signed four days ago, older than EXPORTER_VERIFICATION_MAX_AGE."""
    with mock.patch("time.time", return_value=(timezone.now() - timedelta(days=4)).timestamp()):
        return verification_token(w.unconfirmed)


def corpus():
    for name, endpoint in ENDPOINTS.items():
        yield from _generic_cases(name, endpoint)
        for field_name, spec in FIELDS.get(name, {}).items():
            yield from _field_cases(name, endpoint, field_name, spec)
    for name, case in RULES:
        yield _case(name, case)


CORPUS = list(corpus())


# --- sending and checking -------------------------------------------------------------------

def row_counts():
    """The number of rows of every table: models, history, many-to-many tables, the delivery
    log, tokens, lockouts, sessions, periodic tasks (in one query: it runs twice a case)."""
    models = [model for model in apps.get_models(include_auto_created=True)
              if model._meta.managed and not model._meta.proxy]
    counts = ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)})"
                       for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip([model._meta.label for model in models], cursor.fetchone(), strict=True))


def snapshot(scene):
    """Every field, and every many-to-many link, of every record the scene set up."""
    records = [value for value in vars(scene).values() if hasattr(value, "_meta")]
    pks_by_model = defaultdict(set)
    for record in [*records, *scene.countries.values()]:
        pks_by_model[type(record)].add(record.pk)
    state = {}
    for model, pks in pks_by_model.items():
        state[model._meta.label] = list(
            model._base_manager.filter(pk__in=pks).order_by("pk").values_list())
        for relation in model._meta.many_to_many:
            source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
            state[f"{model._meta.label}.{relation.name}"] = list(
                relation.remote_field.through.objects.filter(**{f"{source}__in": pks})
                .order_by(source, target).values_list(source, target))
    return state


def _resolve(value, scene):
    if callable(value):
        return value(scene)
    if isinstance(value, dict):
        return {key: _resolve(item, scene) for key, item in value.items()}
    return value


def send(scene, case):
    endpoint = ENDPOINTS[case.endpoint]
    caller = case.caller or endpoint.caller
    client = APIClient()
    client.raise_request_exception = False  # a server error is an answer to assert on
    if caller == "token":
        client.credentials(HTTP_AUTHORIZATION=f"Token {scene.token.key}")
    elif caller != "anonymous":
        client.force_authenticate(user=getattr(scene, caller))
    record = getattr(scene, case.record or endpoint.record) if endpoint.record else None
    path_id = case.path_id(scene, record) if callable(case.path_id) else case.path_id
    if path_id is None:
        path_id = str(record.pk) if record else "overdue"  # the one {kind}: a reminder kind
    path = endpoint.path.replace("{id}", quote(path_id, safe="")).replace(
        "{kind}", quote(path_id, safe=""))

    body = case.body
    if isinstance(body, Raw):
        data, content_type = body.data, body.content_type
    elif isinstance(body, Padded):
        data = json.dumps(endpoint.valid(scene), ensure_ascii=False).encode()
        data, content_type = data + b" " * (body.length - len(data)), "application/json"
    elif isinstance(body, Exact):
        data, content_type = json.dumps(body.value), "application/json"
    elif endpoint.valid is None and body is None:
        data, content_type = b"", None
    else:
        merged = {**endpoint.valid(scene), **_resolve(body or {}, scene)}
        merged = {key: value for key, value in merged.items() if value is not DROP}
        data = json.dumps(merged, ensure_ascii=False).encode()
        content_type = "application/json"
    # A client that read the record first names its ETag, unless the case says otherwise
    # (a header given as None is left out): a versioned record's version, another record's
    # tag as its GET gives it.
    headers = dict(case.headers)
    if endpoint.if_match and "HTTP_IF_MATCH" not in headers:
        if hasattr(record, "version"):
            headers["HTTP_IF_MATCH"] = f'"v{record.version}"'
        else:
            read = (endpoint.read or endpoint.path).replace(
                "{id}", str(record.pk) if record else "").replace("{kind}", "overdue")
            headers["HTTP_IF_MATCH"] = client.get(f"{API}{read}")["ETag"]
    # Header values as a WSGI server gives them: the bytes received, read as ISO-8859-1.
    extra = {name: value.encode().decode("latin-1") for name, value in headers.items()
             if value is not None}
    if content_type:
        extra["content_type"] = content_type
    return client.generic(case.method or endpoint.method, f"{API}{path}", data, **extra)


def assert_error_shape(response, status, code, field_name=None):
    assert response.status_code == status, (response.status_code, response.content.decode()[:600])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"code", "detail", "fields"}, body
    assert isinstance(body["code"], str) and isinstance(body["detail"], str), body
    assert body["detail"].strip(), body
    assert isinstance(body["fields"], dict), body
    for errors in body["fields"].values():
        assert errors and all(set(error) == {"code", "message"} and
                              isinstance(error["code"], str) and
                              isinstance(error["message"], str) for error in errors), body
    assert body["code"] == code, body
    if field_name:
        assert field_name in body["fields"], body


# --- the tests ------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CORPUS)
def test_malformed_input_is_refused_and_changes_nothing(scene, case):
    counts, records = row_counts(), snapshot(scene)

    response = send(scene, case)

    assert_error_shape(response, case.status, case.code, case.field)
    assert 400 <= response.status_code < 500
    assert row_counts() == counts
    assert snapshot(scene) == records


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_well_formed_request_succeeds(scene, name):
    """The control: the corpus's requests go where a valid one is accepted and writes."""
    counts, records = row_counts(), snapshot(scene)

    response = send(scene, Case(name))

    assert response.status_code == ENDPOINTS[name].control_status, response.content.decode()[:600]
    assert row_counts() != counts or snapshot(scene) != records


def test_a_body_of_the_largest_size_is_read(scene):
    """The control of the one-byte-too-large cases: the bound refuses one byte past it, not
    less."""
    response = send(scene, Case("milestone-create", Padded(MAX_BODY_BYTES)))

    assert int(response.wsgi_request.META["CONTENT_LENGTH"]) == MAX_BODY_BYTES
    assert response.status_code == 201, response.content.decode()[:600]


def test_a_list_of_the_most_codes_is_read(scene):
    """The control of the too-many cases: a list of exactly MAX_ITEMS codes is read."""
    codes = [code for code in (f"{a}{b}" for a in string.ascii_uppercase
                               for b in string.ascii_uppercase)
             if code not in scene.countries][:MAX_ITEMS]
    Country.objects.bulk_create(Country(iso2=code, name_ja=code, name_en=code) for code in codes)

    response = send(scene, Case("initiative-patch", {"countries": codes}))

    assert response.status_code == 200, response.content.decode()[:600]
    assert scene.programme.countries.count() == MAX_ITEMS


def test_the_corpus_covers_every_write_of_the_schema(client):
    schema = client.get(f"{API}/schema/?format=json").json()
    writes = {(method.upper(), path.removeprefix(API))
              for path, operations in schema["paths"].items()
              for method, operation in operations.items()
              if method in ("post", "put", "patch", "delete")
              # File uploads (the spreadsheet imports) have their own corpus of bad files,
              # tests/programs/test_import_files.py; this one sends JSON bodies.
              and "multipart/form-data" not in operation.get("requestBody", {}).get("content", {})}
    assert writes == {(e.method, e.path) for e in ENDPOINTS.values()}


def test_the_row_count_sees_history_deliveries_tokens_and_lockouts(db):
    tables = set(row_counts())
    assert {"programs.HistoricalMilestone", "exporters.HistoricalExporterProfile",
            "programs.Delivery", "programs.Notification", "authtoken.Token",
            "axes.AccessAttempt", "axes.AccessFailureLog", "sessions.Session",
            "programs.Initiative_members"} <= tables


def test_a_wrong_password_is_refused_and_records_only_the_lockouts_attempt(scene):
    """Not malformed, but the one 400 that writes: django-axes counts the failed sign-in."""
    counts = row_counts()

    response = APIClient().post(f"{API}/auth/token/", {"username": scene.officer.username,
                                                       "password": "wrong-pass-2026"},
                                format="json")

    assert_error_shape(response, 400, "invalid_credentials")
    changed = {label for label, count in row_counts().items() if counts[label] != count}
    assert changed and changed <= {"axes.AccessAttempt", "axes.AccessFailureLog"}


def test_markup_and_sql_in_free_text_are_stored_verbatim_and_shown_escaped(scene):
    name = f"{HTML}{SQL}"
    api = APIClient()
    api.force_authenticate(user=scene.exporter)

    response = api.patch(f"{API}/exporters/me/", {"company_name": name}, format="json",
                         HTTP_IF_MATCH=api.get(f"{API}/exporters/me/")["ETag"])

    assert response.status_code == 200, response.content.decode()
    assert response.json()["company_name"] == name
    scene.company.refresh_from_db()
    assert scene.company.company_name == name
    page = _exporter_page(scene).get("/exporters/profile/").content.decode()
    assert HTML not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#x27;; DROP TABLE" in page


# --- the exporter page (/exporters/): the server-rendered profile form and confirmation link

def _exporter_page(scene):
    client = Client(raise_request_exception=False)
    client.force_login(scene.exporter, backend="accounts.backends.TrackerModelBackend")
    return client


def _profile_form(scene, **changes):
    data = {"company_name": "みなと水産加工株式会社", "company_name_en": "Minato Seafood",
            "prefecture": "04", "contact_name": "輸出 太郎",
            "product_categories": [scene.seafood.pk, scene.sake.pk],
            "target_markets": [scene.countries["SG"].pk, scene.countries["US"].pk]}
    data.update({name: value(scene) if callable(value) else value
                 for name, value in changes.items()})
    return data


# (name, form changes, the field the form must show an error on)
PROFILE_FORM = [
    ("company-name-oversized", {"company_name": OVERSIZED}, "company_name"),
    ("company-name-fullwidth-spaces", {"company_name": "\u3000\u3000"}, "company_name"),
    ("company-name-nul-character", {"company_name": "輸出\x00食品"}, "company_name"),
    ("contact-name-oversized", {"contact_name": "名" * 101}, "contact_name"),
    ("prefecture-unknown", {"prefecture": "48"}, "prefecture"),
    ("prefecture-fullwidth", {"prefecture": "０４"}, "prefecture"),
    ("prefecture-name", {"prefecture": "宮城県"}, "prefecture"),
    ("prefecture-sql", {"prefecture": SQL}, "prefecture"),
    ("categories-none", {"product_categories": []}, "product_categories"),
    ("category-code-for-id", {"product_categories": ["seafood"]}, "product_categories"),
    ("category-sql", {"product_categories": [SQL]}, "product_categories"),
    ("market-missing-id", {"target_markets": ["999999"]}, "target_markets"),
    ("market-fullwidth-id", {"target_markets": lambda w: [_fullwidth(w.countries["SG"].pk)]},
     "target_markets"),
    ("market-html", {"target_markets": [HTML]}, "target_markets"),
]


@pytest.mark.parametrize("changes, field_name",
                         [pytest.param(changes, field_name, id=f"exporter-profile-form-{name}")
                          for name, changes, field_name in PROFILE_FORM])
def test_the_profile_form_shows_bad_input_back_and_saves_nothing(scene, changes, field_name):
    """A server-rendered form answers bad input as Django forms do: the form again (200) with
    the field's error, and nothing saved."""
    page = _exporter_page(scene)
    counts, records = row_counts(), snapshot(scene)

    response = page.post("/exporters/profile/", _profile_form(scene, **changes))

    assert response.status_code == 200, response.status_code
    assert response.context["form"].errors.get(field_name), response.context["form"].errors
    # Shown beside the field, under the id its aria-describedby names.
    assert f'id="id_{field_name}_error"' in response.content.decode()
    assert row_counts() == counts
    assert snapshot(scene) == records


def test_the_profile_form_saves_a_well_formed_change(scene):
    page = _exporter_page(scene)

    response = page.post("/exporters/profile/", _profile_form(scene))

    assert response.status_code == 302
    scene.company.refresh_from_db()
    assert scene.company.contact_name == "輸出 太郎"


@pytest.mark.parametrize("token", [
    pytest.param("garbage", id="verify-page-garbage"),
    pytest.param(SQL, id="verify-page-sql"),
    pytest.param("確認トークン", id="verify-page-japanese"),
    pytest.param("ｅｙＪ０:１ｘＷｔ:ＵＲｔ", id="verify-page-fullwidth"),
    pytest.param(lambda w: verification_token(w.unconfirmed)[:-2] + "xx",
                 id="verify-page-tampered"),
    pytest.param(_expired_token, id="verify-page-expired"),
])
def test_a_bad_confirmation_link_is_a_400_page_and_confirms_nothing(scene, token):
    token = token(scene) if callable(token) else token
    counts, records = row_counts(), snapshot(scene)

    response = Client(raise_request_exception=False).get(
        f"/exporters/verify/{quote(token, safe='')}/")

    assert response.status_code == 400, response.status_code
    assert row_counts() == counts
    assert snapshot(scene) == records


def test_a_good_confirmation_link_confirms_the_address(scene):
    response = Client().get(f"/exporters/verify/{verification_token(scene.unconfirmed)}/")

    assert response.status_code == 200
    scene.unconfirmed.refresh_from_db()
    assert scene.unconfirmed.status == ExporterStatus.PENDING_APPROVAL
