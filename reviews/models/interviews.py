"""Stage 4: interviews with the workers involved, and the check of their notes."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from agencies.models import User


class Interview(models.Model):
    """An interview with a worker involved in the case, and the check of its notes.

    ``response``: PENDING until the worker answers; AGREED (the notes stand); AMENDMENTS (the
    worker asked for changes: ``agreed_notes`` holds the version both accept, beside the
    original ``notes``); NO_RESPONSE (none by the due date).
    """

    class Response(models.TextChoices):
        PENDING = "pending", "Waiting for the worker"
        AGREED = "agreed", "Agreed as accurate"
        AMENDMENTS = "amendments", "Amendments requested"
        NO_RESPONSE = "no_response", "No response by the due date"

    request = models.ForeignKey(
        "reviews.ReportRequest", on_delete=models.CASCADE, related_name="interviews"
    )
    worker_role = models.CharField(max_length=200)
    worker_name = models.CharField(max_length=200)  # shown to the agency's own leads only
    held_on = models.DateField()
    interviewer = models.CharField(max_length=200)
    supporter_attended = models.BooleanField()
    notes = models.TextField()
    notes_sent_on = models.DateField(null=True, blank=True)
    response_due_on = models.DateField(null=True, blank=True)
    response = models.CharField(max_length=16, choices=Response.choices, default=Response.PENDING)
    response_on = models.DateField(null=True, blank=True)
    amendments = models.TextField(blank=True)
    agreed_notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(
        excluded_fields=["updated_at"], table_name="agencies_historicalinterview"
    )
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        # Stage 4 began in agencies/; its tables kept their names when it moved here.
        db_table = "agencies_interview"
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"Interview with {self.worker_role} on {self.held_on}"
