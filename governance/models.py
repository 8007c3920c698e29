"""What the board keeps of its reviews' governance: decisions on reviews past the retention
period, and the tombstone left when a review's records are destroyed."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from reviews.frameworks import Framework, ReviewType

if TYPE_CHECKING:
    from agencies.models import User


class RetentionKeep(models.Model):
    """The board manager's decision to keep a closed review past its retention period, until a
    day, with a reason. The review is listed for decision again once that day has passed."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="retention_keeps"
    )
    keep_until = models.DateField()
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["-keep_until", "-id"]

    def __str__(self) -> str:
        return f"Keep {self.review_id} until {self.keep_until}"


class Tombstone(models.Model):
    """What remains of a review whose personal data the board destroyed after its retention
    period: no personal data, only what the review was, who decided and why, and how many
    records of each kind went. Its published report, if any, stays on the public site."""

    reference = models.CharField(max_length=32, unique=True)
    framework = models.CharField(max_length=16, choices=Framework.choices)
    review_type = models.CharField(max_length=16, choices=ReviewType.choices)
    referred_on = models.DateField()
    closed_on = models.DateField()
    purged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    purged_at = models.DateTimeField()
    reason = models.TextField()
    # How many records of each kind were destroyed: {"Family member": 3, ...}.
    counts = models.JSONField(default=dict)
    # The published report kept on the public site (its review kept as a shell for it).
    kept_publication = models.BooleanField(default=False)

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["-purged_at", "-id"]
        permissions = [
            ("view_audit_trail", "Can see a review's audit trail and export it"),
            ("decide_retention", "Can keep or destroy reviews past the retention period"),
        ]

    def __str__(self) -> str:
        return f"Tombstone of {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("governance:tombstone", args=[self.reference])
