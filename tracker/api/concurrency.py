"""ETags and If-Match for records with a `version` (see programs.models.versioning).

An ETag is `"v<version>-<hash of the body>"`. The version part is what a write is checked
against (If-Match): a change is refused only when the record itself changed. The hash part
changes whenever the representation does — a related record renamed, a day-dependent field
such as `is_overdue` — so a 304 answered to If-None-Match is never stale.
"""

import hashlib
import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

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
