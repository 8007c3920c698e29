from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from reviews.frameworks import (
    AgeGroup,
    Ethnicity,
    Framework,
    ReviewType,
    profile_for,
    type_profile_for,
)

if TYPE_CHECKING:
    from agencies.models import User


class Review(models.Model):
    """A review, from the referral that opens it to its closure.

    Its ``stage`` is the lifecycle of DESIGN.md §1, moved only by the services in
    reviews/services.py, each of which records a StageTransition:

    - REFERRAL: the board manager has recorded the referral; the chair has not yet decided.
    - PANEL: the chair decided to go ahead; the board manager convenes the panel.
    - AGENCY_REPORTS: the agencies in scope write their management reports.
    - OVERVIEW: the independent author writes the overview report (returning to
      AGENCY_REPORTS when a report goes back for revision).
    - ACTION_PLAN: recommendations become actions (back to OVERVIEW if the report reopens).
    - PUBLICATION: the chair approves and the board manager publishes (back to ACTION_PLAN).
    - CLOSED: the decision needed no review, the board manager signed off the action plan
      (every action complete with evidence) or closed the review handing its open actions to
      the board's action log (both from PUBLICATION, once publication is done), or withdrew it
      at any earlier stage; ``closed_how`` says which, ``closed_reason`` why, with who and
      when. Nothing in a closed review changes again, except the progress of the actions
      handed to the board's action log.
    """

    class Closure(models.TextChoices):
        DECISION = "decision", "Closed at the threshold decision"
        SIGNED_OFF = "signed_off", "Signed off"
        HANDED_OVER = "handed_over", "Closed with its open actions handed to the board's action log"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Stage(models.TextChoices):
        REFERRAL = "referral", "Referral"
        PANEL = "panel", "Panel convening"
        AGENCY_REPORTS = "agency_reports", "Agency reports"
        OVERVIEW = "overview", "Overview report"
        ACTION_PLAN = "action_plan", "Action plan"
        PUBLICATION = "publication", "Publication"
        CLOSED = "closed", "Closed"

    STAGE_TAG_CLASSES = {
        Stage.REFERRAL: "govuk-tag--yellow",
        Stage.PANEL: "govuk-tag--light-blue",
        Stage.AGENCY_REPORTS: "govuk-tag--blue",
        Stage.OVERVIEW: "govuk-tag--purple",
        Stage.ACTION_PLAN: "govuk-tag--pink",
        Stage.PUBLICATION: "govuk-tag--turquoise",
        Stage.CLOSED: "govuk-tag--grey",
    }

    TRANSITIONS: dict[str, set[str]] = {
        Stage.REFERRAL: {Stage.PANEL, Stage.CLOSED},
        Stage.PANEL: {Stage.AGENCY_REPORTS, Stage.CLOSED},
        Stage.AGENCY_REPORTS: {Stage.OVERVIEW, Stage.CLOSED},
        Stage.OVERVIEW: {Stage.ACTION_PLAN, Stage.AGENCY_REPORTS, Stage.CLOSED},
        Stage.ACTION_PLAN: {Stage.PUBLICATION, Stage.OVERVIEW, Stage.CLOSED},
        Stage.PUBLICATION: {Stage.CLOSED, Stage.ACTION_PLAN},
        Stage.CLOSED: set(),
    }

    class Harm(models.TextChoices):
        DEATH = "death", "Death"
        SERIOUS_HARM = "serious_harm", "Serious harm"

    class AbuseCategory(models.TextChoices):
        PHYSICAL = "physical", "Physical abuse"
        EMOTIONAL = "emotional", "Emotional abuse"
        SEXUAL = "sexual", "Sexual abuse"
        NEGLECT = "neglect", "Neglect"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        NOT_KNOWN = "not_known", "Not known"

    class ProtectionPlan(models.TextChoices):
        CURRENT = "current", "Yes, the child is subject to a plan now"
        PAST = "past", "Yes, the child was subject to a plan in the past"
        NEVER = "never", "No"
        NOT_KNOWN = "not_known", "Not known"

    class PlanCategory(models.TextChoices):
        NEGLECT = "neglect", "Neglect"
        PHYSICAL = "physical", "Physical abuse"
        EMOTIONAL = "emotional", "Emotional abuse"
        SEXUAL = "sexual", "Sexual abuse"
        MULTIPLE = "multiple", "Multiple categories"

    class SocialCare(models.TextChoices):
        LOOKED_AFTER = "looked_after", "Looked after by the local authority"
        OPEN = "open", "Open to children's social care (for example, a child in need)"
        PREVIOUSLY_OPEN = "previously_open", "Known to children's social care in the past"
        NOT_OPEN = "not_open", "Not known to children's social care"
        NOT_KNOWN = "not_known", "Not known"

    reference = models.CharField(max_length=32, unique=True, editable=False)
    # The reference the review had until its decision gave it its type's (blank: never changed);
    # the review's old links lead to it and the list finds it by it.
    former_reference = models.CharField(max_length=32, blank=True, editable=False)
    framework = models.CharField(max_length=16, choices=Framework.choices)
    # What the threshold decision made of the review (STATUTORY until then); see frameworks.py.
    review_type = models.CharField(
        max_length=16, choices=ReviewType.choices, default=ReviewType.STATUTORY
    )
    stage = models.CharField(max_length=32, choices=Stage.choices, default=Stage.REFERRAL)
    closed_reason = models.TextField(blank=True)
    # How the review was closed, when and by whom (blank and null while it is open).
    closed_how = models.CharField(max_length=16, choices=Closure.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    subject_reference = models.CharField(
        "pseudonymous reference",
        max_length=60,
        help_text='How the subject is named in the review, for example "Child A".',
    )
    age_group = models.CharField(max_length=16, choices=AgeGroup.choices)
    harm = models.CharField(max_length=16, choices=Harm.choices)
    abuse_categories = models.JSONField(default=list)
    # Sex and ethnicity, with the age group, are what the board's statistics count.
    sex = models.CharField(max_length=16, choices=Sex.choices, default=Sex.NOT_KNOWN)
    ethnicity = models.CharField(
        max_length=32, choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN
    )
    protection_plan = models.CharField(
        max_length=16, choices=ProtectionPlan.choices, default=ProtectionPlan.NOT_KNOWN
    )
    protection_plan_category = models.CharField(
        max_length=16, choices=PlanCategory.choices, blank=True
    )
    protection_plan_started_on = models.DateField(null=True, blank=True)
    protection_plan_ended_on = models.DateField(null=True, blank=True)
    social_care = models.CharField(
        max_length=16, choices=SocialCare.choices, default=SocialCare.NOT_KNOWN
    )
    # Where and with whom the subject was at the time, in roles rather than names.
    incident_setting = models.TextField(blank=True)

    referring_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="referrals"
    )
    referrer_name = models.CharField(max_length=200)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_contact = models.CharField(max_length=200, blank=True)
    # Whether the referrer consulted their agency's designated safeguarding lead (None: not
    # asked, as on referrals recorded before the question was), and whom.
    lead_consulted = models.BooleanField(null=True, blank=True)
    lead_consulted_name = models.CharField(max_length=200, blank=True)
    incident_date = models.DateField()
    referred_on = models.DateField()
    agencies_involved = models.ManyToManyField(
        "agencies.Agency", related_name="reviews_involved_in", blank=True
    )
    circumstances = models.TextField()
    other_agencies = models.TextField(blank=True)
    agency_concerns = models.TextField(blank=True)
    key_dates = models.TextField(blank=True)
    # The prompt to secure the records: the board manager has secured the board's records and
    # asked the agencies to secure theirs, on that day.
    records_secured_on = models.DateField(null=True, blank=True)
    # The draft the referral was recorded from: submitting it again makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The day the national bodies were told of the serious incident.
    national_bodies_notified_on = models.DateField(null=True, blank=True)

    # When the board destroyed the review's records after its retention period (governance/),
    # keeping it only as the shell of its published report; such a review is on no list or page.
    records_destroyed_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[agencies_involved])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["-referred_on", "-id"]
        permissions = [
            ("record_decision", "Can record a threshold decision"),
            (
                "record_decision_for_chair",
                "Can record a chair's threshold decision on the chair's behalf",
            ),
            ("view_subject_identity", "Can see the real identity of a review's subject"),
            ("view_panel", "Can see a review's panel, terms of reference and meetings"),
            ("manage_panel", "Can seat panel members, set terms of reference and record meetings"),
            ("appoint_author", "Can appoint the independent overview author"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(incident_date__lte=models.F("referred_on")),
                name="review_incident_not_after_referral",
            ),
            models.UniqueConstraint(
                fields=["former_reference"],
                condition=~models.Q(former_reference=""),
                name="review_former_reference_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["stage", "framework"]),
            # The review list's default order, newest referral first.
            models.Index(
                models.F("referred_on").desc(), models.F("id").desc(), name="review_newest"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", args=[self.reference])

    @property
    def profile(self):
        """The framework's rules up to the decision: criteria, outcomes, rapid review."""
        return profile_for(self.framework)

    @property
    def type_profile(self):
        """The review type's name, reference prefix and what it owes after the decision."""
        return type_profile_for(self.framework, self.review_type)

    def check_transition(self, to: str) -> None:
        """Raise ValidationError unless the review may move from its stage to ``to``."""
        if to not in self.TRANSITIONS[self.stage]:
            raise ValidationError(
                f"A review at the {self.get_stage_display().lower()} stage cannot move to "
                f"{self.Stage(to).label.lower()}.",
                code="illegal_transition",
            )

    @property
    def has_panel(self) -> bool:
        """Whether the review is decided, still open, and of a type that has a panel."""
        if self.stage in (self.Stage.REFERRAL, self.Stage.CLOSED):
            return False
        return self.type_profile.has_panel

    @property
    def overview_started(self) -> bool:
        """Whether the review has reached the overview report (a closed review: if it has a
        draft)."""
        if self.stage == self.Stage.CLOSED:
            return self.overview_drafts.exists()
        return self.stage in (self.Stage.OVERVIEW, self.Stage.ACTION_PLAN, self.Stage.PUBLICATION)

    @property
    def action_plan_started(self) -> bool:
        """Whether the review has an action plan (a closed review: if it has actions)."""
        if self.stage == self.Stage.CLOSED:
            return self.actions.exists()
        return self.stage in (self.Stage.ACTION_PLAN, self.Stage.PUBLICATION)

    @property
    def needs_rapid_review(self) -> bool:
        """Whether the chair must wait for a rapid review that is not yet recorded (needs
        ``rapid_review`` joined)."""
        if self.profile.rapid_review_working_days is None:
            return False
        try:
            self.rapid_review  # noqa: B018 (the lookup is the test)
        except ObjectDoesNotExist:
            return True
        return False

    @property
    def is_closed(self) -> bool:
        return self.stage == self.Stage.CLOSED

    @property
    def stage_tag_class(self) -> str:
        return self.STAGE_TAG_CLASSES[self.stage]

    @property
    def days_since_referral(self) -> int:
        return (timezone.localdate() - self.referred_on).days

    @property
    def next_deadline(self):
        """The soonest open deadline (needs ``open_deadlines`` prefetched by the selector)."""
        return next(iter(self.open_deadlines), None)

    @property
    def records_secured(self) -> bool:
        return self.records_secured_on is not None

    def get_abuse_categories_display(self) -> list[str]:
        return [self.AbuseCategory(value).label for value in self.abuse_categories]


class StageTransition(models.Model):
    """A line of the review's timeline: a move between stages, or another recorded event.

    ``at`` is when it was recorded; ``occurred_on`` the day the person recording it said it
    happened (the decision's date, the meeting's), where they gave one. An event of one agency
    (its report submitted, it put in scope) names that agency: its leads see it, other
    agencies' leads do not. Rows are never changed.
    """

    class Kind(models.TextChoices):
        STAGE = "stage", "Stage changes"
        REFERRAL = "referral", "Referral, notification and rapid review"
        PANEL = "panel", "Panel, author and terms of reference"
        ACCESS = "access", "Access changes"
        REPORTS = "reports", "Management reports"
        OVERVIEW = "overview", "Overview report"
        PUBLICATION = "publication", "Publication"
        PARALLEL = "parallel", "Parallel processes"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="transitions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_stage = models.CharField(max_length=32, choices=Review.Stage.choices, blank=True)
    # Both stages are blank for an event that moves no stage (access granted, terms amended).
    to_stage = models.CharField(max_length=32, choices=Review.Stage.choices, blank=True)
    summary = models.CharField(max_length=300)
    reason = models.TextField(blank=True)
    occurred_on = models.DateField(null=True, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # Whether a review was closed by a day, asked of every review in a month of the
            # dashboard's chart: one probe, not a read of the review's whole timeline.
            models.Index(
                fields=["review", "at"],
                condition=models.Q(to_stage="closed"),
                name="stage_transition_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review.reference}: {self.summary}"


class ReferenceCounter(models.Model):
    """The last reference number issued for a prefix in a year; locked while a number is taken."""

    prefix = models.CharField(max_length=16)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class AccessLog(models.Model):
    """Who looked at, or was refused, a sensitive record. Rows are only ever added."""

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=32, default="view")
    object_type = models.CharField(max_length=64)
    object_ref = models.CharField(max_length=64)
    allowed = models.BooleanField()
    path = models.CharField(max_length=500)
    ip_address = models.GenericIPAddressField(null=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_ref"])]

    def __str__(self) -> str:
        verdict = "allowed" if self.allowed else "refused"
        return f"{self.action} {self.object_type} {self.object_ref} {verdict}"


class AccessChange(models.Model):
    """A grant or withdrawal of per-object access to a review: guardian's permission rows keep
    no history of their own, so the services that assign or remove them
    (reviews/services/panel.py) write one of these beside each. To a person (a panel seat, the
    author's appointment) or to a group (an agency's leads). Rows are only ever added."""

    # Protected: the app's database role may not delete these (db_roles), so a review goes only
    # once governance.services.review_purge has erased them through the owner's function.
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="access_changes")
    granted = models.BooleanField()  # False: withdrawn
    permission = models.CharField(max_length=100)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey(
        "auth.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, group__isnull=True)
                | models.Q(person__isnull=True, group__isnull=False),
                name="access_change_person_or_group",
            ),
        ]

    def __str__(self) -> str:
        verb = "granted to" if self.granted else "withdrawn from"
        return f"{self.permission} {verb} {self.person or self.group}"


class ReviewUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Review, on_delete=models.CASCADE)


class ReviewGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Review, on_delete=models.CASCADE)
