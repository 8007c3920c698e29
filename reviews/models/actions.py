"""Stage 6, the action plan: every recommendation becomes actions owned by an agency, each
with a target date (a deadline) and progress updates with evidence."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from agencies.models import User


class Action(models.Model):
    """One action answering a recommendation of the overview report.

    - NOT_STARTED, ON_TRACK, AT_RISK: set with each progress update by the owning agency's
      lead or the board manager; shown as overdue once the target date has passed.
    - COMPLETE: reported done, with evidence; meets the action's deadline and is not changed
      again.

    An action still open when the board manager closes the review is handed over to the
    board's action log (``handed_over_at``, ``handed_over_by``): its progress is still recorded
    there, the one thing of a closed review that changes.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        COMPLETE = "complete", "Complete"

    STATUS_TAG_CLASSES = {
        Status.NOT_STARTED: "govuk-tag--grey",
        Status.ON_TRACK: "govuk-tag--green",
        Status.AT_RISK: "govuk-tag--orange",
        Status.COMPLETE: "govuk-tag--blue",
    }

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="actions")
    recommendation = models.ForeignKey(
        "reviews.Recommendation", on_delete=models.PROTECT, related_name="actions"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    lead_name = models.CharField(max_length=200)
    change = models.TextField()
    difference = models.TextField()
    target_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["recommendation__number", "id"]
        indexes = [models.Index(fields=["handed_over_at"])]

    def __str__(self) -> str:
        return f"Action {self.pk} of {self.review_id}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:action", args=[self.review.reference, self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status != self.Status.COMPLETE and self.target_on < timezone.localdate()

    @property
    def status_label(self) -> str:
        return "Overdue" if self.is_overdue else self.get_status_display()

    @property
    def status_tag_class(self) -> str:
        return "govuk-tag--red" if self.is_overdue else self.STATUS_TAG_CLASSES[self.status]


class ActionUpdate(models.Model):
    """A progress update on an action: its status then, what happened, and the evidence."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=16, choices=Action.Status.choices)
    note = models.TextField()
    evidence = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Update on action {self.action_id}"
