"""The accepted rows of a plan written through the services, all in one transaction: if any
row fails (someone changed a record between the preview and the confirmation), nothing is
written. The history of every record names the person and the file."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from tracker.errors import Conflict, PreconditionFailed

from .planning import ImportPlan, refusal
from .uploads import sha256_of

LONGEST_NAME_IN_HISTORY = 120


def import_reason(*, file_name: str, content: bytes) -> str:
    """The change reason in the history: which file, and its digest to tell two files of the
    same name apart. (Who and when the history row records itself.)"""
    return f"import: {file_name[:LONGEST_NAME_IN_HISTORY]} (sha256 {sha256_of(content)[:12]})"


def import_apply(*, plan: ImportPlan, by: User, file_name: str, content: bytes) -> int:
    """Write the plan's accepted rows; returns how many. Raises Conflict (naming the row) and
    writes nothing if any of them is refused now."""
    reason = import_reason(file_name=file_name, content=content)
    accepted = plan.accepted()
    with transaction.atomic():
        for row in accepted:
            assert row.write is not None  # every accepted row carries its write
            try:
                row.write(by, reason)
            except (ValidationError, PermissionDenied, PreconditionFailed) as error:
                failed = refusal(row.row, error)
                raise Conflict(
                    _("Row %(row)s could not be written: %(reason)s Nothing was imported."),
                    code=failed.code, params={"row": row.row, "reason": failed.message},
                ) from error
    return len(accepted)
