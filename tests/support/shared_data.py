"""Records built once and shared by many tests.

Building a rich scene for each of a module's many tests costs most of their time. These
helpers build it once, inside a transaction that is rolled back after the last test; each
test runs in a savepoint of that transaction (pytest-django's `db`), so whatever it writes is
undone before the next one, and gets its own copy of the Python objects, so whatever it
refreshes or changes in memory does not leak either.
"""

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import transaction

T = TypeVar("T")


@contextmanager
def built_once(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """Yield what `build` made, rolled back on exit. Use it in a fixture of module or class
    scope, which pytest sets up before the per-test transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


def private_copy(records: T) -> T:
    """A copy of shared records that a test may refresh or change in memory."""
    return copy.deepcopy(records)
