"""A file kept on the server between the preview and the officer's confirmation, so that what
is confirmed is exactly what was previewed: it belongs to the person who uploaded it, is found
by an unguessable token, and expires."""

import hashlib
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ..models import ImportUpload

KEPT_FOR = timedelta(minutes=30)


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@transaction.atomic
def import_upload_keep(*, user: User, kind: str, file_name: str, content: bytes) -> ImportUpload:
    ImportUpload.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    return ImportUpload.objects.create(user=user, kind=kind, file_name=file_name[:255],
                                       content=content, sha256=sha256_of(content))


def import_upload_of(*, user: User, kind: str, token: uuid.UUID) -> ImportUpload | None:
    """The upload `token` names, if it is `user`'s, of `kind`, and not expired."""
    return ImportUpload.objects.filter(
        user=user, kind=kind, token=token,
        created_at__gte=timezone.now() - KEPT_FOR).first()


def import_upload_discard(*, upload: ImportUpload) -> None:
    ImportUpload.objects.filter(pk=upload.pk).delete()
