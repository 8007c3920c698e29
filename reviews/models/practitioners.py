"""Practitioners' own voice: a worker interviewed for the review is sent, through their agency
lead, the parts of the chronology and the draft report that describe their practice, and their
comments are recorded for the author."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from agencies.models import User


class PractitionerComment(models.Model):
    """What the author sent a worker interviewed, and what the worker said back.

    - SENT: the author chose the chronology entries and the extract of the draft report that
      describe the worker's practice, with a date for comments; the agency lead passes them on.
    - RECEIVED: the agency lead recorded the worker's comments; the author reads them.
    - DECLINED: the worker chose not to comment (the lead records it, with anything they said).
    - NO_RESPONSE: nothing came by the date (the deadline closed missed); the lead or the
      author records it once the date has passed.

    Only the leads of the worker's agency and the review's author ever see it; its deadline
    (``Deadline.Kind.PRACTITIONER_COMMENTS``, owned by the agency) carries its id as ``key``.
    """

    class Status(models.TextChoices):
        SENT = "sent", "With the agency lead"
        RECEIVED = "received", "Comments received"
        DECLINED = "declined", "Chose not to comment"
        NO_RESPONSE = "no_response", "No comments by the date"

    TRANSITIONS: dict[str, set[str]] = {
        Status.SENT: {Status.RECEIVED, Status.DECLINED, Status.NO_RESPONSE},
        Status.RECEIVED: set(),
        Status.DECLINED: set(),
        Status.NO_RESPONSE: set(),
    }

    interview = models.ForeignKey(
        "reviews.Interview", on_delete=models.CASCADE, related_name="practitioner_comments"
    )
    entries = models.ManyToManyField("reviews.ChronologyEntry", blank=True, related_name="+")
    # The passages of the draft report that describe the worker's practice, as the author
    # quoted them from the version named.
    version = models.ForeignKey(
        "reviews.OverviewVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    extract = models.TextField(blank=True)
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SENT)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    comments = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"Practitioner's comments on interview {self.interview_id}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:practitioner_comment", args=[self.review.reference, self.pk])

    @property
    def review(self):
        """The review (needs ``interview__request__review`` joined, as the selectors do)."""
        return self.interview.request.review

    @property
    def agency(self):
        """The worker's agency (needs ``interview__request__agency`` joined)."""
        return self.interview.request.agency

    @property
    def agency_id(self) -> int:
        return self.interview.request.agency_id

    @property
    def deadline_key(self) -> str:
        """What its deadline's ``key`` holds: its id."""
        return str(self.pk)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.SENT

    def check_transition(self, to: str) -> None:
        """Raise ValidationError unless the comments may move from their status to ``to``."""
        if to not in self.TRANSITIONS[self.status]:
            raise ValidationError(
                f"The worker's answer is already recorded: {self.get_status_display().lower()}",
                code="illegal_transition",
            )
