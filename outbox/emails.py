"""Sending what is in the outbox: each row is claimed by one worker, written by its app's
renderer, sent, and marked. Called by the outbox's tasks and its management command."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from outbox.kinds import kind_get, subject_line, sweep_steps
from outbox.models import Email

logger = logging.getLogger(__name__)


def _due(now: datetime) -> Q:
    # A SENDING row whose lease has run out belongs to a worker that died mid-send.
    return Q(status__in=[Email.Status.PENDING, Email.Status.SENDING], next_attempt_at__lte=now)


def emails_due(*, limit: int = 500) -> list[int]:
    """The ids of emails due a try now, oldest first."""
    due = Email.objects.filter(_due(timezone.now())).order_by("next_attempt_at", "pk")
    return list(due.values_list("pk", flat=True)[:limit])


def _save(email: Email, reason: str, fields: list[str]) -> None:
    email._history_user, email._change_reason = None, reason
    email.save(update_fields=fields)


@transaction.atomic
def _claim(email_id: int) -> Email | None:
    """Take the email for this worker for one lease, if it is due and nobody else holds it;
    None if not, or if it had no try left (then it is failed)."""
    now = timezone.now()
    email = (
        Email.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient")
        .filter(_due(now), pk=email_id)
        .first()
    )
    if email is None:
        return None
    if email.status == Email.Status.SENDING and email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        _give_up_after_lost_try(email)
        return None
    email.status, email.attempts = Email.Status.SENDING, email.attempts + 1
    email.next_attempt_at = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    _save(email, f"try {email.attempts}", ["status", "attempts", "next_attempt_at"])
    return email


def _give_up_after_lost_try(email: Email) -> None:
    """The last try's lease ran out: it stopped mid-send, never saying how it went (its worker
    was killed, or ran out of memory or time). A try that kills its worker each time would
    otherwise be made for ever, and sent for ever if the mail server took it each time: fail
    it, for a board manager to see and send again."""
    email.status = Email.Status.FAILED
    email.last_error = (
        "The last try stopped before it finished (the process sending it was stopped): it may "
        "or may not have arrived"
    )
    _save(email, "last try lost", ["status", "last_error"])
    logger.error("email %s (%s) failed for good: its last try was lost", email.pk, email.kind)


def _finish(email: Email, status: str) -> None:
    email.status = status
    email.sent_at = timezone.now() if status == Email.Status.SENT else None
    _save(email, email.get_status_display().lower(), ["status", "sent_at"])


def _fail(email: Email, error: Exception) -> None:
    """Retry later, each wait twice the last, or give up after the last try."""
    email.last_error = f"{type(error).__name__}: {error}"[:1000]
    if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        email.status = Email.Status.FAILED
        logger.error("email %s (%s) failed for good: %s", email.pk, email.kind, email.last_error)
    else:
        email.status = Email.Status.PENDING
        wait = settings.OUTBOX_RETRY_SECONDS * 2 ** (email.attempts - 1)
        email.next_attempt_at = timezone.now() + timedelta(seconds=wait)
        logger.warning(
            "email %s (%s) try %s failed: %s",
            email.pk,
            email.kind,
            email.attempts,
            email.last_error,
        )
    _save(email, "try failed", ["status", "last_error", "next_attempt_at"])


def email_deliver(*, email_id: int) -> bool:
    """Send one due email, at most once: False if it was not due, was taken by another worker,
    is no longer needed, or this try failed (then it is retried later, or marked failed)."""
    email = _claim(email_id)
    if email is None:
        return False
    try:
        message = kind_get(email.kind).render(email.recipient, email.context)
        if message is not None:
            message.subject = subject_line(str(message.subject))
            message.send()
    except Exception as error:  # any failure, SMTP or rendering, is retried and then shown
        _fail(email, error)
        return False
    _finish(email, Email.Status.SENT if message is not None else Email.Status.CANCELLED)
    return message is not None


def _catch_up() -> None:
    for step in sweep_steps():
        try:
            step()
        except Exception:  # one app's step failing must not stop every email being sent
            logger.exception("outbox sweep step %s failed", step.__qualname__)


def emails_deliver_due() -> int:
    """Queue what the apps' sweep steps find missing, then try every due email once, here and
    now; returns how many were sent."""
    _catch_up()
    return sum(email_deliver(email_id=email_id) for email_id in emails_due())
