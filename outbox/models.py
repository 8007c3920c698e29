from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Email(models.Model):
    """One email a service decided to send, written in the same transaction as the change it
    follows, so that it is sent if and only if the change is kept.

    - PENDING: waiting for its first try, or for a retry at ``next_attempt_at``; set by the
      service that queues it, by a failed try, or by a board manager's "send again".
    - SENDING: claimed by one worker until ``next_attempt_at`` (its lease); a worker that died
      mid-send leaves it to be claimed again once the lease has run out.
    - SENT: sent at ``sent_at``; final.
    - FAILED: every try failed, or the last one stopped mid-send (``last_error`` says why);
      shown to board managers, who may send it again.
    - CANCELLED: no longer needed when its turn came (the person set their password or left,
      the report was submitted); final.

    What the email says is decided when it is sent, by the renderer its app registered for
    ``kind`` (outbox.kinds), from ``context``: primary keys and plain strings, never a secret.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "No longer needed"

    TRANSITIONS: dict[str, set[str]] = {
        Status.PENDING: {Status.SENDING},
        Status.SENDING: {Status.SENT, Status.PENDING, Status.FAILED, Status.CANCELLED},
        Status.SENT: set(),
        Status.FAILED: {Status.PENDING},
        Status.CANCELLED: set(),
    }

    kind = models.CharField(max_length=64)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outbox_emails"
    )
    # With a key, the same (kind, recipient, key) is queued at most once: "this report's
    # request, to this lead".
    key = models.CharField(max_length=100, blank=True)
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    _history_user: object
    _change_reason: str

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "key"],
                condition=~Q(key=""),
                name="outbox_email_once_per_key",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id} ({self.status})"
