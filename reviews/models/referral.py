"""Stages 1 and 2: who the review is about, the notification, the rapid review, the decision."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from reviews.frameworks import OUTCOMES_THAT_CONTINUE, Outcome

if TYPE_CHECKING:
    from agencies.models import User


class SubjectIdentity(models.Model):
    """The subject's real identity, kept apart from the review and shown only to those allowed."""

    review = models.OneToOneField(
        "reviews.Review", on_delete=models.CASCADE, related_name="subject_identity"
    )
    full_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        verbose_name_plural = "subject identities"

    def __str__(self) -> str:
        return f"Identity for {self.review.reference}"


class RapidReview(models.Model):
    """The rapid review that comes before the chair's decision on a Local Child Safeguarding
    Practice Review: what the partners found, what they did at once, and what they recommend."""

    class Recommendation(models.TextChoices):
        REVIEW = "review", "Carry out a local child safeguarding practice review"
        NO_REVIEW = "no_review", "No local review: the learning can be taken forward otherwise"

    review = models.OneToOneField(
        "reviews.Review", on_delete=models.CASCADE, related_name="rapid_review"
    )
    held_on = models.DateField()
    attendees = models.TextField()
    facts = models.TextField()
    immediate_action = models.TextField()
    learning = models.TextField()
    recommendation = models.CharField(max_length=16, choices=Recommendation.choices)
    sent_to_national_panel_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    def __str__(self) -> str:
        return f"Rapid review of {self.review.reference}"


class ThresholdDecision(models.Model):
    """The chair's threshold decision: the criteria answers, the outcome and why.

    ``decided_by`` is the chair who decided; ``recorded_by`` who recorded it: the chair, or a
    board manager recording it on the chair's behalf (boards' chairs often decide by email),
    who then says how the chair made it known (``communicated_via``).
    """

    class Communication(models.TextChoices):
        EMAIL = "email", "By email"
        MEETING = "meeting", "In a meeting"
        CALL = "call", "By telephone or video call"
        LETTER = "letter", "By letter"

    review = models.OneToOneField(
        "reviews.Review", on_delete=models.CASCADE, related_name="decision"
    )
    answers = models.JSONField()
    criteria_met = models.BooleanField()
    outcome = models.CharField(max_length=32, choices=Outcome.choices)
    decided_on = models.DateField()
    rationale = models.TextField(blank=True)
    national_bodies_told_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # How the chair made the decision known to whoever recorded it for them; blank when the
    # chair recorded it.
    communicated_via = models.CharField(max_length=16, choices=Communication.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recorded_by=models.F("decided_by"), communicated_via="")
                | (~models.Q(recorded_by=models.F("decided_by")) & ~models.Q(communicated_via="")),
                name="decision_recorded_for_chair_says_how",
            ),
        ]

    def __str__(self) -> str:
        return f"Decision on {self.review.reference}"

    @property
    def recorded_for_chair(self) -> bool:
        """Whether someone other than the chair recorded the decision, on the chair's behalf."""
        return self.recorded_by_id != self.decided_by_id

    @property
    def continues(self) -> bool:
        """Whether the board carries on with a review (of the type the outcome made it)."""
        return self.outcome in OUTCOMES_THAT_CONTINUE

    @property
    def departs_from_criteria(self) -> bool:
        return self.criteria_met != (self.outcome == Outcome.INITIATE)

    def get_outcome_label(self) -> str:
        return self.review.profile.outcome_label(self.outcome)

    def criteria_answers(self) -> list[tuple[str, bool | None]]:
        """Each criterion's wording with the recorded answer, in the framework's order."""
        return [(c.text, self.answers.get(c.key)) for c in self.review.profile.criteria]
