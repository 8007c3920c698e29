"""Writes to the outbox: queuing an email with the change it follows, and sending a failed one
again."""

import logging
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from outbox.kinds import kind_get
from outbox.models import Email
from outbox.tasks import email_send_task

logger = logging.getLogger(__name__)


# Once the broker has refused, no email is handed to it for this long: each try costs the
# request about half a second, and the minute sweep sends what waits anyway.
BROKER_PAUSE_SECONDS = 30.0
_broker_paused_until = 0.0


def _enqueue(email_id: int) -> None:
    """Hand the email to a worker; if the broker is down, the sweep sends it later."""
    global _broker_paused_until
    if time.monotonic() < _broker_paused_until:
        return
    try:
        email_send_task.delay(email_id)
    except Exception:  # never fail the request that already committed: the row is kept
        _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning(
            "could not queue outbox email %s; the sweep will send it", email_id, exc_info=True
        )


def email_queue(
    *,
    kind: str,
    recipient: Any,
    context: dict[str, Any] | None = None,
    key: str = "",
    at_once: bool = True,
) -> Email | None:
    """Write an email to send once the caller's transaction commits; call inside it. With a
    ``key``, the same (kind, recipient, key) is queued once: None if it already was. With
    ``at_once=False`` the request hands nothing to the broker and the next sweep (within a
    minute) sends it, so that how long the request takes says nothing. Raises LookupError for
    a kind no app registered."""
    kind_get(kind)
    if key and Email.objects.filter(kind=kind, recipient=recipient, key=key).exists():
        return None
    email = Email(kind=kind, recipient=recipient, key=key, context=context or {})
    email._history_user, email._change_reason = None, "queued"
    try:
        with transaction.atomic():
            email.save()
    except IntegrityError:  # queued by a concurrent transaction with the same key
        return None
    if at_once:
        transaction.on_commit(lambda: _enqueue(email.pk))
    return email


@transaction.atomic
def email_resend(*, email: Email, actor: Any) -> Email:
    """Send a failed email again, from its first try; raises ValidationError otherwise."""
    email = Email.objects.select_for_update().get(pk=email.pk)
    if Email.Status.PENDING not in Email.TRANSITIONS[email.status]:
        raise ValidationError("Only an email that failed can be sent again")
    email.status, email.attempts, email.next_attempt_at = Email.Status.PENDING, 0, timezone.now()
    email._history_user, email._change_reason = actor, "sent again"
    email.save()
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email
