"""Stage 3, panel convening: the panel's seats, the overview author, terms of reference and
the panel's meetings."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from agencies.models import User


class IndependenceDeclaration(models.Model):
    """The two statements a panel member or author makes before taking part (DESIGN.md §1)."""

    not_involved_in_case = models.BooleanField(
        "Not involved in the case",
        help_text="Had no part in the case or in decisions about the child or family.",
    )
    no_management_responsibility = models.BooleanField(
        "No direct management responsibility",
        help_text="Has not directly line-managed anyone involved in the case.",
    )
    declared_on = models.DateField()

    class Meta:
        abstract = True

    @property
    def declared_independent(self) -> bool:
        return self.not_involved_in_case and self.no_management_responsibility


class PanelMember(IndependenceDeclaration):
    """A person put forward for a review's panel.

    - SEATED: declared independence; the board manager seated them, which grants access.
    - NOT_SEATED: could not declare independence; kept on record, never given access.
    - REMOVED: the board manager unseated them, with a reason; access is withdrawn at once.
    """

    class Status(models.TextChoices):
        SEATED = "seated", "Seated"
        NOT_SEATED = "not_seated", "Not seated: could not declare independence"
        REMOVED = "removed", "Removed"

    class PanelRole(models.TextChoices):
        CHAIR = "chair", "Chair of the panel"
        MEMBER = "member", "Member"
        LEGAL_ADVISER = "legal_adviser", "Legal adviser"
        CO_OPTED = "co_opted", "Co-opted member"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="panel")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats"
    )
    panel_role = models.CharField(max_length=32, choices=PanelRole.choices)
    status = models.CharField(max_length=16, choices=Status.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    removed_at = models.DateTimeField(null=True)
    removed_reason = models.TextField(blank=True)

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "person"],
                condition=models.Q(status="seated"),
                name="panel_one_seat_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} on the panel of {self.review_id}"


class AuthorAppointment(IndependenceDeclaration):
    """The chair's appointment of the overview author; ``ended_at`` is set when replaced."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="author_appointments"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="author_appointments"
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    appointed_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True)
    ended_reason = models.TextField(blank=True)

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["appointed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(ended_at__isnull=True),
                name="one_current_author_per_review",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}, author of {self.review_id}"


class TermsOfReference(models.Model):
    """What the review will look at. Edited freely while the panel convenes; after that every
    change is an amendment with a reason on the review's timeline."""

    review = models.OneToOneField("reviews.Review", on_delete=models.CASCADE, related_name="terms")
    period_start = models.DateField()
    period_end = models.DateField()
    lines_of_enquiry = models.JSONField(default=list)
    agencies_in_scope = models.ManyToManyField("agencies.Agency", related_name="reviews_in_scope")
    family_involvement_plan = models.TextField()
    scoping_meeting_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[agencies_in_scope])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        verbose_name_plural = "terms of reference"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="terms_period_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Terms of reference of {self.review_id}"


class PanelMeeting(models.Model):
    """A meeting of the panel: who came, the minutes and the actions agreed."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    minutes = models.TextField()
    actions_agreed = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(m2m_fields=[attendees])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Panel meeting of {self.review_id} on {self.held_on}"
