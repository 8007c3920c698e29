"""Processes that run beside a review (criminal proceedings, an inquest, a domestic homicide
review, disciplinary or regulatory action) and what each holds back while it runs."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from agencies.models import User


class ParallelProcess(models.Model):
    """Another process about the same events, recorded by the board manager with its contact.

    Its effects are what the review's other records read: while it runs and ``stops_clock``,
    the review's clock is stopped; while ``pauses_family_contact``, nothing that contacts the
    family may be recorded; while ``holds_publication``, the report may not be published.

    - RUNNING (``ended_on`` empty): recorded with its start date and effects.
    - ENDED (``ended_on`` set): the board manager recorded its end and how it ended; its
      effects are lifted (the clock restarts when no other running process stops it).
    """

    class Kind(models.TextChoices):
        CRIMINAL = "criminal", "Criminal proceedings"
        INQUEST = "inquest", "Inquest"
        DOMESTIC_HOMICIDE_REVIEW = "dhr", "Domestic homicide review"
        DISCIPLINARY = "disciplinary", "Disciplinary action"
        REGULATORY = "regulatory", "Regulatory action"
        OTHER = "other", "Another process"

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="parallel_processes"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    description = models.TextField(blank=True)
    # Who the board deals with about it: the police's senior investigating officer, the
    # coroner's officer, the employer or regulator.
    contact_organisation = models.CharField(max_length=200)
    contact_name = models.CharField(max_length=200)
    contact_details = models.CharField(max_length=300, blank=True)
    started_on = models.DateField()
    expected_end_on = models.DateField(null=True, blank=True)
    stops_clock = models.BooleanField(default=False)
    pauses_family_contact = models.BooleanField(default=False)
    holds_publication = models.BooleanField(default=False)
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="parallel_process_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.started_on}"

    @property
    def is_running(self) -> bool:
        return self.ended_on is None
