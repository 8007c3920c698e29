"""The version of an audited record a form was read at, and the check that refuses a save over a
change made since (a lost update). A record's version is the id of its latest history row
(django-simple-history), so nothing new is stored; ``VersionedForm`` (scr.forms) carries it.

``history`` narrows what counts as a change, when some saves of a record are bookkeeping that
changes nothing a form shows (a person's last sign-in): by default every history row counts.
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from scr.formats import govuk_datetime


def _history(record, history: QuerySet | None) -> QuerySet:
    return (record.history.all() if history is None else history).order_by("-history_id")


def version_of(record, *, history: QuerySet | None = None) -> int:
    """The version of an audited record a form carries: its latest history row's id (0 for a
    record not made yet, or with no row that counts)."""
    if record is None or record.pk is None:
        return 0
    return _history(record, history).values_list("history_id", flat=True).first() or 0


def check_unchanged(
    record,
    seen: int | None,
    *,
    what: str,
    nothing: str = "saved",
    history: QuerySet | None = None,
) -> None:
    """Raise ValidationError (code "conflict") if ``record`` changed since the person read
    version ``seen`` of it; call it under the lock the change takes. No version given (the
    shell, a task) checks nothing."""
    if seen is None or record is None or record.pk is None:
        return
    latest = _history(record, history).first()
    if latest is None or latest.history_id == seen:
        return
    raise ValidationError(
        "%(what)s was changed by %(who)s at %(time)s after you opened it: nothing was "
        "%(nothing)s. Check the change, then try again.",
        code="conflict",
        params={
            "what": what,
            "who": latest.history_user or "someone else",
            "time": govuk_datetime(latest.history_date),
            "nothing": nothing,
            "version": latest.history_id,
        },
    )
