"""The tables of the audit trail, which the app's database role may only read and add to
(SECURITY-CHECKS F3), and those of them that destroying a review may erase from.

``manage.py db_roles`` gives the grants. The access log, the access changes and every
django-simple-history table are found here; an app above reviews adds a table of its own with
``insert_only_register`` in its AppConfig.ready(). Governance registers its tombstone with
``tombstone_register``: insert-only too, and the table whose row, written in the same
transaction, is the only thing that lets the app's role erase rows of the audit trail (through
the database function ``db_roles`` makes: see ``reviews.management.commands.db_roles``).
"""

from django.apps import apps
from django.db import models
from simple_history.models import HistoricalChanges

from reviews.models import AccessChange, AccessLog

# The owner's function that erases a destroyed review's rows of the audit trail.
ERASE_FUNCTION = "scr_erase_history"

_REGISTERED: set[str] = set()
_NEVER_ERASED: set[str] = set()
_TOMBSTONE: list[str] = []


def insert_only_register(model: type[models.Model]) -> None:
    """Make ``model``'s table one the app's role may only read and add to; its history, if it
    has one, is never erased."""
    _REGISTERED.add(model._meta.db_table)
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    if attribute:
        _NEVER_ERASED.add(getattr(model, attribute).model._meta.db_table)


def tombstone_register(model: type[models.Model]) -> None:
    """Make ``model`` the record that destroying a review writes first: insert-only, and the
    warrant the erasing function asks for."""
    insert_only_register(model)
    _TOMBSTONE[:] = [model._meta.db_table]


def tombstone_table() -> str | None:
    """The table of the registered tombstone (None: no app registered one)."""
    return _TOMBSTONE[0] if _TOMBSTONE else None


def history_tables() -> list[str]:
    """Every django-simple-history table, found from the models (many-to-many too)."""
    return sorted({m._meta.db_table for m in apps.get_models() if issubclass(m, HistoricalChanges)})


def audit_tables() -> list[str]:
    """The access log, the log of access granted and withdrawn, every history table and the
    tables registered as insert-only."""
    fixed = {AccessLog._meta.db_table, AccessChange._meta.db_table}
    return sorted(set(history_tables()) | fixed | _REGISTERED)


def erasable_tables() -> dict[str, str]:
    """The audit tables that destroying a review erases rows from, each with the column that
    names what a row is of: a history row's object, an access change's review. The access log
    stays (it holds who looked at which page, not what the review held), and so does the
    history of an insert-only table (the tombstone's)."""
    erasable = {table: "id" for table in history_tables() if table not in _NEVER_ERASED}
    erasable[AccessChange._meta.db_table] = AccessChange._meta.get_field("review").column
    return erasable
