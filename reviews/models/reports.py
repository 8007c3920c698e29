"""Stage 4: each agency's management report and its uploaded versions."""

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from agencies.models import User


def report_upload_path(instance, filename: str) -> str:
    """Store uploads under a random name; the person's file name is kept only for display."""
    return f"reports/{uuid.uuid4().hex}"


class ReportRequest(models.Model):
    """One agency's management report for one review (DESIGN.md §1, stage 4).

    - REQUESTED: the board manager asked for it; the agency lead confirms the agency's records
      are secured, builds the report and uploads it.
    - SUBMITTED: the agency lead submitted the latest version; the panel and author read it.
    - RETURNED: the panel or author returned it with comments; the lead revises and resubmits.
    - ACCEPTED: the panel or author accepted it.
    - EXCUSED: the board manager excused the agency, with a reason.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for revision"
        ACCEPTED = "accepted", "Accepted"
        EXCUSED = "excused", "Excused"

    TRANSITIONS: dict[str, set[str]] = {
        Status.REQUESTED: {Status.SUBMITTED, Status.EXCUSED},
        Status.SUBMITTED: {Status.ACCEPTED, Status.RETURNED, Status.EXCUSED},
        Status.RETURNED: {Status.SUBMITTED, Status.EXCUSED},
        Status.ACCEPTED: set(),
        Status.EXCUSED: set(),
    }

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="report_requests"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="report_requests"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    due_on = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    records_secured_at = models.DateTimeField(null=True, blank=True)
    records_secured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    records_secured_note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    comments = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], table_name="agencies_historicalreportrequest"
    )
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        # Stage 4 began in agencies/; its tables kept their names when it moved here.
        db_table = "agencies_reportrequest"
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "agency"], name="one_report_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} report for {self.review_id}"

    def check_transition(self, to: str) -> None:
        """Raise ValidationError unless the report may move from its status to ``to``."""
        if to not in self.TRANSITIONS[self.status]:
            raise ValidationError(
                f"A report that is {self.get_status_display().lower()} cannot become "
                f"{self.Status(to).label.lower()}.",
                code="illegal_transition",
            )

    @property
    def is_editable(self) -> bool:
        """Whether the agency may still change the report, its chronology and interviews."""
        return self.status in (self.Status.REQUESTED, self.Status.RETURNED)

    @property
    def records_secured(self) -> bool:
        return self.records_secured_at is not None


class ReportVersion(models.Model):
    """One uploaded version of a management report; earlier versions are kept."""

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=report_upload_path, max_length=200)
    display_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Set when the agency submits this version: from then on the panel and author may read it.
    submitted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(table_name="agencies_historicalreportversion")
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        # Stage 4 began in agencies/; its tables kept their names when it moved here.
        db_table = "agencies_reportversion"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="report_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} (version {self.number})"
