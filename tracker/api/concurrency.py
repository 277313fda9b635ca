"""ETags and If-Match for records with a `version` (see programs.models.versioning)."""

import re

from tracker.errors import PreconditionFailed

ETAG_PATTERN = re.compile(r'^(?:W/)?"v(\d+)"$')


def etag_for(obj):
    return f'"v{obj.version}"'


def expected_version(request):
    """The version the caller's If-Match names; None when the header is absent or `*`.

    A header that names no version of ours can never match, so it fails the precondition.
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    match = ETAG_PATTERN.match(header.split(",")[0].strip())
    if not match:
        raise PreconditionFailed()
    return int(match.group(1))
