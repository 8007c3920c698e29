"""The board manager's answers to the quality markers of a review (quality/markers.py): their
judgement where the service cannot know, or beside the service's own finding."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from agencies.models import User


class Status(models.TextChoices):
    """How well a review meets a marker, found by the service or judged by the board manager."""

    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"
    NOT_YET = "not_yet", "Not yet"


class QualityAnswer(models.Model):
    """The board manager's current answer to one marker of one review, with a note saying why.

    - ANSWERED: one row per review and marker; a later answer changes the row, and its
      history keeps every earlier answer with who gave it and when. There is no other state:
      the board manager answers again to change their judgement.
    """

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="quality_answers"
    )
    marker = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=Status.choices)
    note = models.TextField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField()

    # The form submission that gave the answer: a repeat of it (a double click) changes nothing.
    submission = models.UUIDField(null=True, blank=True, editable=False)
    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["review", "marker"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "marker"], name="quality_answer_one_per_marker"
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.marker} of {self.review_id}"


class QualityTally(models.Model):
    """How many of the board's reviews stood at one status on one marker when last counted,
    and the first of them by reference: what the board's view shows.

    The count evaluates every marker of every review (quality.services.quality_count), about a
    minute at national scale, so it runs off the request: nightly and when the board manager
    asks. One row per marker and status; a count rewrites them all with its time. Not audited:
    it is a figure worked out from the reviews' records, which keep their own history.
    """

    marker = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=Status.choices)
    count = models.PositiveIntegerField()
    # The primary keys of the first reviews by reference (quality.selectors.BOARD_NAMED): keys,
    # not references, because a review's reference changes at its decision.
    named = models.JSONField(default=list)
    counted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marker", "status"], name="quality_tally_one_per_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} reviews {self.status} on {self.marker}"
