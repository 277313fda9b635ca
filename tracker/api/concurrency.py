"""ETags and If-Match.

A record with a `version` (see programs.models.versioning) has the ETag
`"v<version>-<hash of the body>"`. The version part is what a write is checked against
(If-Match): a change is refused only when the record itself changed. The hash part changes
whenever the representation does — a related record renamed, a day-dependent field such as
`is_overdue` — so a 304 answered to If-None-Match is never stale.

A record without a version (a webhook endpoint, an exporter's profile, a notification, a
reminder preference) has the ETag `"r-<hash of its representation>"`, and a write to it is
checked against that whole representation: it is refused when anything the caller saw has
changed since. The comparison is made with the record locked, inside the write's
transaction (`unchanged_since_read`), so the check and the write are one step.
"""

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.utils.encoders import JSONEncoder

from tracker.errors import PreconditionFailed, PreconditionRequired

ETAG_PATTERN = re.compile(r'^(?:W/)?"v(\d+)(?:-[0-9a-f]+)?"$')

# Declared on every operation that changes a versioned record (the schema then also declares
# its 412 and 428 answers): generated clients see it as a required argument.
IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description="The ETag of the record as you read it (or `*` to overwrite whatever is "
                "current). Without it the change is refused with 428; with an older one, 412.")

# Where the first write creates the record and a later one corrects it (a KPI's value for a
# period): needed only to correct.
IF_MATCH_TO_CORRECT = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="To correct a value already recorded: its ETag (428 without it, 412 when "
                "older). Not needed for a first recording.")


def representation_etag(version, content):
    return f'"v{version}-{hashlib.sha256(content).hexdigest()[:16]}"'


def tag_representation(response, version):
    """Give `response` the ETag of its body, once rendered (DRF renders after the view)."""

    def set_etag(rendered):
        rendered["ETag"] = representation_etag(version, rendered.content)

    response.add_post_render_callback(set_etag)
    return response


def expected_version(request):
    """The version the caller's If-Match names; None for `*` (overwrite whatever is current).

    Without the header the change is refused (428): a client that forgot it would otherwise
    overwrite someone else's change silently. A header that names no version of ours can
    never match, so it fails the precondition (412).
    """
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired()
    if header.strip() == "*":
        return None
    match = ETAG_PATTERN.match(header.split(",")[0].strip())
    if not match:
        raise PreconditionFailed()
    return int(match.group(1))


def content_etag(data: Any) -> str:
    """The ETag of a record without a version: a hash of its representation (the serializer's
    data, as canonical JSON, so that it does not depend on how the body was rendered)."""
    canonical = json.dumps(data, cls=JSONEncoder, sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    return f'"r-{hashlib.sha256(canonical.encode()).hexdigest()[:24]}"'


def tag_content(response):
    """Give `response` the ETag of the record it shows (`response.data`)."""
    response["ETag"] = content_etag(response.data)
    return response


def require_current(request, current_etag: str) -> None:
    """Refuse the write unless If-Match names `current_etag` (or is `*`): 428 without the
    header, 412 when it names anything else."""
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired()
    named = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    if "*" not in named and current_etag not in named:
        raise PreconditionFailed()


def lock_row(model, pk) -> None:
    """Lock one row until the end of the transaction (nothing if there is no such row)."""
    list(model._base_manager.select_for_update().filter(pk=pk).values_list("pk", flat=True))


@contextmanager
def unchanged_since_read(request, *, lock: Callable[[], object],
                         represent: Callable[[], Any]) -> Iterator[None]:
    """The body of the `with` runs in one transaction, after `lock()` has locked the record
    (select_for_update) and If-Match has been checked against `represent()`, the record's
    representation read under that lock. The write inside cannot then overwrite a change the
    caller has not seen."""
    with transaction.atomic():
        lock()
        require_current(request, content_etag(represent()))
        yield
