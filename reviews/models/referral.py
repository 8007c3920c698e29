"""Stages 1 and 2: who the review is about, the notification, the rapid review, the decision."""

import uuid
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
    other_names = models.CharField(max_length=500, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    religion = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        verbose_name_plural = "subject identities"

    def __str__(self) -> str:
        return f"Identity for {self.review.reference}"


class RelatedPerson(models.Model):
    """A person related to the subject of a review: as the referral named them (the household)
    and as the family's records keep them (families/). Both use the same relationships, so
    that a row of the referral becomes a family record."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent"
        PARTNER = "partner", "Partner or spouse"
        CHILD = "child", "Son or daughter"
        SIBLING = "sibling", "Sibling"
        GRANDPARENT = "grandparent", "Grandparent"
        CARER = "carer", "Carer"
        OTHER_RELATIVE = "other_relative", "Other relative"
        SIGNIFICANT_OTHER = "significant_other", "Significant other"
        OTHER = "other", "Other"

    class ParentalResponsibility(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_KNOWN = "not_known", "Not known"

    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=32, choices=Relationship.choices)
    relationship_other = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def relationship_label(self) -> str:
        """The relationship as shown: the description given for "Other"."""
        if self.relationship == self.Relationship.OTHER and self.relationship_other:
            return self.relationship_other
        return self.get_relationship_display()


class ReferralFamilyMember(RelatedPerson):
    """A member of the subject's household or a significant other, as the referral named them.
    Kept with the subject's identity: only those who may see that see it. The family's own
    records (families/) are made from these rows once, when the board manager adds the family
    from the referral (``added_to_family_at``)."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="referral_family"
    )
    lives_with_subject = models.BooleanField()
    parental_responsibility = models.CharField(
        max_length=16, choices=RelatedPerson.ParentalResponsibility.choices
    )
    added_to_family_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ReferralAgencyContact(models.Model):
    """Who to contact at an agency known to be involved, and whether it still is."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="agency_contacts"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    contact = models.CharField(max_length=300, blank=True)
    still_involved = models.BooleanField()

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["agency__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "agency"], name="referral_agency_contact_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} on {self.review.reference}"


class ReferralDraft(models.Model):
    """A referral being recorded one part at a time by the board manager who started it (its
    ``owner``: nobody else may see or submit it). ``answers`` holds what each part's page was
    sent, as it was sent, keyed by part; ``family`` the household rows added, each with its id.
    Submitting it makes the review (whose ``submission`` is this draft's id) and deletes it.

    It keeps no history: it is not a record yet, and history would keep the names typed into
    it after it is gone. The review made from it keeps its history from then on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)
    family = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Referral draft {self.pk}"


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
