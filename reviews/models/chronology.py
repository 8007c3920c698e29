"""Stage 4: the agency's chronology of contact with the family, typed or imported."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from reviews.models.reports import report_upload_path

if TYPE_CHECKING:
    from agencies.models import User


class ChronologyImport(models.Model):
    """A spreadsheet of chronology entries: previewed first, imported whole, undone whole.

    - PREVIEW: uploaded and checked; nothing is saved as entries yet.
    - IMPORTED: every row was valid and became an entry.
    - UNDONE: its entries were removed again, as one step.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", "Previewed"
        IMPORTED = "imported", "Imported"
        UNDONE = "undone", "Undone"

    request = models.ForeignKey(
        "reviews.ReportRequest", on_delete=models.CASCADE, related_name="imports"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEW)
    file = models.FileField(upload_to=report_upload_path, max_length=200)
    display_name = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(table_name="agencies_historicalchronologyimport")
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        # Stage 4 began in agencies/; its tables kept their names when it moved here.
        db_table = "agencies_chronologyimport"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_status_display().lower()})"


class ChronologyEntry(models.Model):
    """One contact between the agency and the child or family, as the agency recorded it."""

    request = models.ForeignKey(
        "reviews.ReportRequest", on_delete=models.CASCADE, related_name="chronology"
    )
    occurred_on = models.DateField()
    occurred_time = models.TimeField(null=True, blank=True)
    approximate = models.BooleanField(default=False)
    what_happened = models.TextField()
    practitioner_role = models.CharField(max_length=200)
    source_reference = models.CharField(max_length=200, blank=True)
    analysis = models.TextField(blank=True)
    imported_from = models.ForeignKey(
        ChronologyImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(
        excluded_fields=["updated_at"], table_name="agencies_historicalchronologyentry"
    )
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        # Stage 4 began in agencies/; its tables kept their names when it moved here.
        db_table = "agencies_chronologyentry"
        ordering = ["occurred_on", "occurred_time", "id"]
        verbose_name_plural = "chronology entries"
        indexes = [models.Index(fields=["request", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.what_happened[:40]}"


class KeyEpisode(models.Model):
    """An entry of an accepted chronology that the overview author marked as a key practice
    episode, with a short note saying why. The entry stays the agency's; the mark is the
    author's. Removing the mark deletes the row; its history keeps it."""

    entry = models.OneToOneField(
        ChronologyEntry, on_delete=models.CASCADE, related_name="key_episode"
    )
    note = models.CharField(max_length=500)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField()

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    def __str__(self) -> str:
        return f"Key practice episode: {self.entry}"
