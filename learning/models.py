"""What the board learned across its reviews: lessons tagged by theme, kept for its library."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from agencies.models import User


class Lesson(models.Model):
    """A lesson of a review, or one of its recommendations, as the board keeps it for its
    lessons library: tagged by theme (the board's list, shared with the public site) and by the
    agencies it concerns. A lesson from a recommendation names it (``recommendation``); the
    library shows unpublished lessons only to those allowed to see the review."""

    class Kind(models.TextChoices):
        LESSON = "lesson", "Lesson"
        RECOMMENDATION = "recommendation", "Recommendation"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="lessons")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.LESSON)
    recommendation = models.OneToOneField(
        "reviews.Recommendation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lesson",
    )
    title = models.CharField(max_length=200)
    text = models.TextField()
    themes = models.ManyToManyField("publication.Theme", blank=True, related_name="lessons")
    agencies = models.ManyToManyField("agencies.Agency", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[themes, agencies])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return self.title


class LearningBrief(models.Model):
    """A review's one-page learning brief for front-line staff (a "seven-minute briefing"),
    drafted from its lessons and published as HTML and PDF.

    - DRAFT: the board manager drafts it from the lessons and edits it.
    - APPROVED: the board manager approved it (``approved_at``/``approved_by``); a brief for
      the public site passed the identifier check first. Editing it again returns it to DRAFT.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    class Audience(models.TextChoices):
        PUBLIC = "public", "With the report on the public site"
        INTERNAL = "internal", "Internal use only"

    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.APPROVED},
        Status.APPROVED: {Status.DRAFT},
    }

    # The seven sections, in the order the brief shows them.
    SECTIONS = (
        ("background", "Background"),
        ("what_happened", "What happened"),
        ("why_it_matters", "Why it matters"),
        ("what_we_learned", "What we learned"),
        ("what_to_do", "What to do differently"),
        ("questions", "Questions for practice"),
        ("further_reading", "Further reading"),
    )

    review = models.OneToOneField(
        "reviews.Review", on_delete=models.CASCADE, related_name="learning_brief"
    )
    title = models.CharField(max_length=200)
    background = models.TextField(blank=True)
    what_happened = models.TextField(blank=True)
    why_it_matters = models.TextField(blank=True)
    what_we_learned = models.TextField(blank=True)
    what_to_do = models.TextField(blank=True)
    questions = models.TextField(blank=True)
    further_reading = models.TextField(blank=True)
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.INTERNAL)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    _history_user: "User | None"
    _change_reason: str

    def __str__(self) -> str:
        return self.title

    def check_transition(self, to: str) -> None:
        if to not in self.TRANSITIONS[self.status]:
            raise ValidationError(
                f"A brief that is {self.get_status_display().lower()} cannot be "
                f"{self.Status(to).label.lower()}",
                code="illegal_transition",
            )

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_public(self) -> bool:
        return self.audience == self.Audience.PUBLIC

    @property
    def sections(self) -> list[tuple[str, str, str]]:
        """Each section as (field name, heading, text), in the brief's order."""
        return [(name, label, getattr(self, name)) for name, label in self.SECTIONS]


class Dissemination(models.Model):
    """One sharing of a review's learning brief or report: with an agency (none: multi-agency),
    at an event, on a date, reaching a number of practitioners, with the board's evidence that
    the learning landed. Recorded by the board manager, during the review or after it closed
    (like the action log's progress, it is the board's work, not the review's)."""

    class What(models.TextChoices):
        BRIEF = "brief", "Learning brief"
        REPORT = "report", "Report"
        BOTH = "both", "Learning brief and report"

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="disseminations"
    )
    what = models.CharField(max_length=16, choices=What.choices)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    event = models.CharField(max_length=200)
    shared_on = models.DateField()
    practitioners_reached = models.PositiveIntegerField()
    evidence = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["-shared_on", "-id"]
        indexes = [models.Index(fields=["-shared_on", "-id"], name="dissemination_newest_first")]

    def __str__(self) -> str:
        return f"{self.get_what_display()} shared at {self.event}"

    @property
    def agency_name(self) -> str:
        return self.agency.name if self.agency_id else "Multi-agency"
