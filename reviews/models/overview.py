"""Stage 5, the overview report: the author's drafts, their circulation to the agencies for
comments on fairness and accuracy, and the recommendations that become the action plan."""

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from agencies.models import User


def draft_upload_path(instance, filename: str) -> str:
    """Store drafts under a random name; the author's file name is kept only for display."""
    return f"overview/{uuid.uuid4().hex}"


class OverviewDraft(models.Model):
    """One version of the overview report, as the author uploaded it. Never changed."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="overview_drafts"
    )
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=draft_upload_path, max_length=200)
    display_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    note = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="one_draft_per_number"),
        ]

    def __str__(self) -> str:
        return f"Draft {self.number} of {self.review_id}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:overview_download", args=[self.review.reference, self.number])


class CommentRound(models.Model):
    """A draft sent to the agencies in scope for comments by a date.

    - OPEN (``closed_at`` empty): the agencies' leads and the panel may comment; each agency
      that has not yet commented has a deadline.
    - CLOSED: the author or board manager closed it; later comments wait for the next round.
    """

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="comment_rounds"
    )
    draft = models.ForeignKey(OverviewDraft, on_delete=models.PROTECT, related_name="rounds")
    due_on = models.DateField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_comment_round_per_review",
            ),
        ]

    def __str__(self) -> str:
        return f"Comments on draft {self.draft.number} of {self.review_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class DraftComment(models.Model):
    """A comment on a circulated draft, by an agency's lead (for the agency) or by a panel
    member, the chair or the board manager (``agency`` empty)."""

    round = models.ForeignKey(CommentRound, on_delete=models.CASCADE, related_name="comments")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment by {self.author_id} on round {self.round_id}"


class Recommendation(models.Model):
    """A numbered recommendation of the overview report; the action plan answers each one."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveIntegerField()
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="one_recommendation_per_number"
            ),
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"
