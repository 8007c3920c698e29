"""Reads of the outbox."""

from django.db.models import QuerySet

from outbox.models import Email


def email_list_unsent() -> QuerySet[Email]:
    """Emails not (yet) sent: failed first, then those waiting, newest first."""
    return (
        Email.objects.filter(
            status__in=[Email.Status.FAILED, Email.Status.PENDING, Email.Status.SENDING]
        )
        .select_related("recipient")
        .order_by("status", "-created_at", "-pk")
    )


def email_list_recent(*, limit: int = 50) -> QuerySet[Email]:
    """The latest emails sent or no longer needed."""
    done = [Email.Status.SENT, Email.Status.CANCELLED]
    return Email.objects.filter(status__in=done).select_related("recipient")[:limit]
