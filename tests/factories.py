"""One factory per model; workflow states are traits (``ReviewFactory(decided=True)``).

Factories write rows directly, for tests of one model or one page. A review at a stage, with
the history, deadlines and access users would have produced, comes from reviews/builders.py.
"""

from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from agencies.models import Agency, Role, User
from families.models import Contact, FamilyMember, Meeting
from governance.models import RetentionKeep, Tombstone
from learning.models import Dissemination, LearningBrief, Lesson
from publication.models import (
    BoardResponse,
    HitResolution,
    PseudonymEntry,
    Publication,
    PublicationPlan,
    PublicationVersion,
    RenderedDocument,
    SubmissionPack,
    Theme,
)
from quality.models import QualityAnswer
from quality.models import Status as QualityStatus
from reviews.frameworks import (
    REVIEW_TYPE_OF_OUTCOME,
    AgeGroup,
    Framework,
    Outcome,
    ReviewType,
    profile_for,
)
from reviews.handoffs import Delivery
from reviews.handoffs import Kind as HandoffKind
from reviews.models import (
    AccessChange,
    AccessLog,
    Action,
    ActionUpdate,
    AuthorAppointment,
    ChronologyEntry,
    ChronologyImport,
    ClockEvent,
    CommentRound,
    Deadline,
    DeliveryPreference,
    DraftComment,
    Interview,
    KeyEpisode,
    Notification,
    OverviewAgreement,
    OverviewDraft,
    OverviewSection,
    OverviewVersion,
    PanelMeeting,
    PanelMember,
    ParallelProcess,
    PractitionerComment,
    RapidReview,
    Recommendation,
    ReferenceCounter,
    ReferralAgencyContact,
    ReferralDraft,
    ReferralFamilyMember,
    Reminder,
    ReportRequest,
    ReportVersion,
    Review,
    StageTransition,
    SubjectIdentity,
    TermsOfReference,
    ThresholdDecision,
)

TEST_PASSWORD = "correct-horse-battery-staple"
PDF_BYTES = b"%PDF-1.4\n%an invented document\n"


def _today():
    return timezone.localdate()


def _days(n: int):
    return factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=n))


_now = factory.LazyFunction(timezone.now)


# --- People and organisations ---


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    sector = Agency.Sector.HEALTH

    class Params:
        inactive = factory.Trait(is_active=False)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    class Params:
        deactivated = factory.Trait(is_active=False)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """``UserFactory(role=Role.CHAIR)`` puts the person in that role's group."""
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


# --- The review, its timeline and its stage 1 and 2 records ---


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review
        skip_postgeneration_save = True

    # A year the builders never reach, so a factory review never takes a reference the
    # service hands out (a test using both once collided on SCR-2026-001)
    reference = factory.Sequence(lambda n: f"SCR-1990-{n + 1:03d}")
    framework = Framework.SCR
    stage = Review.Stage.REFERRAL
    subject_reference = "Child A"
    age_group = AgeGroup.AGED_1_4
    harm = Review.Harm.SERIOUS_HARM
    abuse_categories = factory.LazyFunction(lambda: [Review.AbuseCategory.NEGLECT])
    referring_agency = factory.SubFactory(AgencyFactory)
    referrer_name = "Named Nurse"
    incident_date = _days(-14)
    referred_on = _days(-10)
    circumstances = "Invented circumstances for a test."
    created_by = factory.SubFactory(UserFactory, role=Role.BOARD_MANAGER)

    class Params:
        decided = factory.Trait(
            stage=Review.Stage.PANEL,
            decision=factory.RelatedFactory(
                "tests.factories.ThresholdDecisionFactory", factory_related_name="review"
            ),
        )
        closed = factory.Trait(stage=Review.Stage.CLOSED, closed_reason="No further action")

    identity = factory.RelatedFactory(
        "tests.factories.SubjectIdentityFactory", factory_related_name="review"
    )
    referral_event = factory.RelatedFactory(
        "tests.factories.StageTransitionFactory", factory_related_name="review"
    )


def _review_at(stage: str):
    """A decided review whose stage field says ``stage`` (its records are not built)."""
    return factory.SubFactory(ReviewFactory, decided=True, stage=stage)


class SubjectIdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubjectIdentity

    review = factory.SubFactory(ReviewFactory, identity=None)
    full_name = "Canary Realname"


class ReferralFamilyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralFamilyMember

    review = factory.SubFactory(ReviewFactory)
    name = "Canary Parent"
    relationship = ReferralFamilyMember.Relationship.MOTHER
    lives_with_subject = True
    parental_responsibility = ReferralFamilyMember.ParentalResponsibility.YES


class ReferralAgencyContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralAgencyContact

    review = factory.SubFactory(ReviewFactory)
    agency = factory.SubFactory(AgencyFactory)
    contact = "Duty manager"
    still_involved = True


class ReferralDraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralDraft

    owner = factory.SubFactory(UserFactory, role=Role.BOARD_MANAGER)


class StageTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageTransition

    review = factory.SubFactory(ReviewFactory, referral_event=None)
    kind = StageTransition.Kind.STAGE
    from_stage = ""
    to_stage = Review.Stage.REFERRAL
    summary = "Referral recorded"
    actor = factory.LazyAttribute(lambda o: o.review.created_by)
    at = _now


class ReferenceCounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferenceCounter

    prefix = "SCR"
    year = factory.Sequence(lambda n: 1900 + n)
    last_number = 1


class AccessLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLog

    user = factory.SubFactory(UserFactory)
    object_type = "subject_identity"
    object_ref = factory.Sequence(lambda n: f"SCR-2026-{n + 1:03d}")
    allowed = True
    path = "/reviews/"
    ip_address = "127.0.0.1"

    class Params:
        refused = factory.Trait(allowed=False)


class AccessChangeFactory(factory.django.DjangoModelFactory):
    """A seat's access granted (written by reviews/services/panel.py beside guardian's row)."""

    class Meta:
        model = AccessChange

    review = factory.SubFactory(ReviewFactory)
    granted = True
    permission = "reviews.view_review"
    person = factory.SubFactory(UserFactory, role=Role.PANEL_MEMBER)
    actor = factory.LazyAttribute(lambda o: o.review.created_by)

    class Params:
        withdrawn = factory.Trait(granted=False)
        to_group = factory.Trait(
            person=None, group=factory.LazyFunction(lambda: Group.objects.get(name="Board manager"))
        )


class RapidReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RapidReview

    review = factory.SubFactory(ReviewFactory, framework=Framework.LCSPR)
    held_on = factory.LazyAttribute(lambda o: o.review.referred_on + timedelta(days=1))
    attendees = "Designated doctor, head of service, detective inspector."
    facts = "Invented facts."
    immediate_action = "A strategy discussion was held."
    learning = "Invented learning."
    recommendation = RapidReview.Recommendation.REVIEW
    recorded_by = factory.LazyAttribute(lambda o: o.review.created_by)

    class Params:
        no_review = factory.Trait(recommendation=RapidReview.Recommendation.NO_REVIEW)


class ThresholdDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThresholdDecision
        skip_postgeneration_save = True

    review = factory.SubFactory(ReviewFactory, stage=Review.Stage.PANEL)
    answers = factory.LazyAttribute(
        lambda o: {c.key: not c.mandatory for c in profile_for(o.review.framework).criteria}
    )
    criteria_met = True
    outcome = Outcome.INITIATE
    decided_on = factory.LazyAttribute(lambda o: o.review.referred_on + timedelta(days=2))
    rationale = ""
    decided_by = factory.SubFactory(UserFactory, role=Role.CHAIR)
    recorded_by = factory.SelfAttribute("decided_by")

    class Params:
        no_further_action = factory.Trait(
            outcome=Outcome.NO_FURTHER_ACTION,
            answers=factory.LazyAttribute(
                lambda o: {c.key: False for c in profile_for(o.review.framework).criteria}
            ),
            criteria_met=False,
        )

    @factory.post_generation
    def review_type(self, create, extracted, **kwargs):
        """The review takes the type its outcome makes it, as ``decision_record`` does (its
        reference is left alone: the factory makes one decision, not the whole process)."""
        review_type = REVIEW_TYPE_OF_OUTCOME.get(self.outcome)
        if create and review_type and self.review.review_type != review_type:
            self.review.review_type = review_type
            self.review.save()


# --- Stage 3: the panel ---


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMember

    review = _review_at(Review.Stage.PANEL)
    person = factory.SubFactory(UserFactory, role=Role.PANEL_MEMBER)
    panel_role = PanelMember.PanelRole.MEMBER
    status = PanelMember.Status.SEATED
    not_involved_in_case = True
    no_management_responsibility = True
    declared_on = factory.LazyFunction(_today)
    added_by = factory.LazyAttribute(lambda o: o.review.created_by)

    class Params:
        not_seated = factory.Trait(
            status=PanelMember.Status.NOT_SEATED, no_management_responsibility=False
        )
        removed = factory.Trait(
            status=PanelMember.Status.REMOVED,
            removed_by=factory.LazyAttribute(lambda o: o.added_by),
            removed_at=_now,
            removed_reason="Left the agency.",
        )


class AuthorAppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorAppointment

    review = _review_at(Review.Stage.PANEL)
    person = factory.SubFactory(UserFactory, role=Role.INDEPENDENT_AUTHOR)
    not_involved_in_case = True
    no_management_responsibility = True
    declared_on = factory.LazyFunction(_today)
    appointed_by = factory.SubFactory(UserFactory, role=Role.CHAIR)

    class Params:
        ended = factory.Trait(ended_at=_now, ended_reason="replaced by another author")


class TermsOfReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsOfReference
        skip_postgeneration_save = True

    review = _review_at(Review.Stage.PANEL)
    period_start = _days(-400)
    period_end = _days(-20)
    lines_of_enquiry = factory.LazyFunction(lambda: ["What did each agency know?"])
    family_involvement_plan = "Write to the family."

    @factory.post_generation
    def agencies_in_scope(self, create, extracted, **kwargs):
        """``TermsOfReferenceFactory(agencies_in_scope=[...])`` sets the agencies (no access)."""
        if create and extracted:
            self.agencies_in_scope.set(extracted)


class PanelMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMeeting
        skip_postgeneration_save = True

    review = _review_at(Review.Stage.PANEL)
    held_on = factory.LazyFunction(_today)
    minutes = "Invented minutes."
    recorded_by = factory.LazyAttribute(lambda o: o.review.created_by)

    @factory.post_generation
    def attendees(self, create, extracted, **kwargs):
        if create and extracted:
            self.attendees.set(extracted)


# --- Stage 4: management reports, chronologies, interviews ---


class ReportRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportRequest

    review = _review_at(Review.Stage.AGENCY_REPORTS)
    agency = factory.SubFactory(AgencyFactory)
    due_on = _days(42)
    requested_by = factory.LazyAttribute(lambda o: o.review.created_by)

    class Params:
        secured = factory.Trait(
            records_secured_at=_now,
            records_secured_by=factory.LazyAttribute(lambda o: o.requested_by),
            records_secured_note="Case system locked.",
        )
        submitted = factory.Trait(
            secured=True,
            status=ReportRequest.Status.SUBMITTED,
            submitted_at=_now,
            submitted_by=factory.LazyAttribute(lambda o: o.requested_by),
        )
        returned = factory.Trait(
            submitted=True,
            status=ReportRequest.Status.RETURNED,
            decided_at=_now,
            decided_by=factory.LazyAttribute(lambda o: o.requested_by),
            comments="Say more about the missed appointments.",
        )
        accepted = factory.Trait(
            submitted=True,
            status=ReportRequest.Status.ACCEPTED,
            decided_at=_now,
            decided_by=factory.LazyAttribute(lambda o: o.requested_by),
        )
        excused = factory.Trait(
            status=ReportRequest.Status.EXCUSED,
            decided_at=_now,
            decided_by=factory.LazyAttribute(lambda o: o.requested_by),
            comments="The agency had no contact with the family.",
        )


class ReportVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportVersion

    request = factory.SubFactory(ReportRequestFactory)
    number = factory.Sequence(lambda n: n + 1)
    file = factory.django.FileField(data=PDF_BYTES, filename="report.pdf")
    display_name = "report.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = "0" * 64
    uploaded_by = factory.LazyAttribute(lambda o: o.request.requested_by)

    class Params:
        submitted = factory.Trait(submitted_at=_now)


class ChronologyImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChronologyImport

    request = factory.SubFactory(ReportRequestFactory)
    file = factory.django.FileField(data=b"Date,What happened\n", filename="chronology.csv")
    display_name = "chronology.csv"
    uploaded_by = factory.LazyAttribute(lambda o: o.request.requested_by)

    class Params:
        imported = factory.Trait(status=ChronologyImport.Status.IMPORTED, changed_at=_now)
        undone = factory.Trait(status=ChronologyImport.Status.UNDONE, changed_at=_now)


class ChronologyEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChronologyEntry

    request = factory.SubFactory(ReportRequestFactory)
    occurred_on = _days(-30)
    what_happened = "Home visit: nobody answered the door."
    practitioner_role = "Health Visitor 1"
    created_by = factory.LazyAttribute(lambda o: o.request.requested_by)


class KeyEpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyEpisode

    entry = factory.SubFactory(ChronologyEntryFactory, request__accepted=True)
    note = "No referral was made after the second injury."
    marked_by = factory.SubFactory(UserFactory, role=Role.INDEPENDENT_AUTHOR)
    marked_at = _now


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    request = factory.SubFactory(ReportRequestFactory)
    worker_role = "Health Visitor 1"
    worker_name = "Canary Worker"
    held_on = _days(-3)
    interviewer = "Agency's review lead"
    supporter_attended = False
    notes = "Invented notes."
    created_by = factory.LazyAttribute(lambda o: o.request.requested_by)

    class Params:
        notes_sent = factory.Trait(notes_sent_on=_days(-2), response_due_on=_days(5))
        agreed = factory.Trait(
            notes_sent=True, response=Interview.Response.AGREED, response_on=_days(0)
        )
        amended = factory.Trait(
            notes_sent=True,
            response=Interview.Response.AMENDMENTS,
            response_on=_days(0),
            amendments="The visit was on a Tuesday.",
            agreed_notes="Invented notes, corrected.",
        )
        no_response = factory.Trait(notes_sent=True, response=Interview.Response.NO_RESPONSE)


class PractitionerCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PractitionerComment

    interview = factory.SubFactory(InterviewFactory)
    extract = "The health visitor saw the child at home and noted the bruise."
    due_on = _days(14)
    sent_by = factory.LazyAttribute(lambda o: o.interview.created_by)

    class Params:
        received = factory.Trait(
            status=PractitionerComment.Status.RECEIVED,
            comments="The visit was shorter than the chronology says.",
            recorded_at=_now,
            recorded_by=factory.LazyAttribute(lambda o: o.interview.created_by),
        )


class ParallelProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParallelProcess

    review = _review_at(Review.Stage.PANEL)
    kind = ParallelProcess.Kind.CRIMINAL
    contact_organisation = "Northshire Police"
    contact_name = "Detective Inspector Invented"
    started_on = _days(-10)
    created_by = factory.LazyAttribute(lambda o: o.review.created_by)

    class Params:
        ended = factory.Trait(ended_on=_days(-1), outcome="The trial ended.")


# --- Stage 5: the overview report ---


class OverviewDraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OverviewDraft

    review = _review_at(Review.Stage.OVERVIEW)
    number = factory.Sequence(lambda n: n + 1)
    file = factory.django.FileField(data=PDF_BYTES, filename="draft.pdf")
    display_name = "draft.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = "0" * 64
    uploaded_by = factory.LazyAttribute(lambda o: o.review.created_by)


class CommentRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommentRound

    draft = factory.SubFactory(OverviewDraftFactory)
    review = factory.LazyAttribute(lambda o: o.draft.review)
    due_on = _days(14)
    opened_by = factory.LazyAttribute(lambda o: o.review.created_by)

    class Params:
        closed = factory.Trait(
            closed_at=_now, closed_by=factory.LazyAttribute(lambda o: o.opened_by)
        )


class DraftCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DraftComment

    round = factory.SubFactory(CommentRoundFactory)
    text = "Paragraph 4 should say when the visit happened."
    author = factory.SubFactory(UserFactory, role=Role.PANEL_MEMBER)

    class Params:
        for_agency = factory.Trait(
            agency=factory.SubFactory(AgencyFactory),
            author=factory.SubFactory(UserFactory, role=Role.AGENCY_LEAD),
        )


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    review = _review_at(Review.Stage.OVERVIEW)
    number = factory.Sequence(lambda n: n + 1)
    text = "Agencies should share attendance concerns within a week."
    created_by = factory.LazyAttribute(lambda o: o.review.created_by)

    class Params:
        removed = factory.Trait(
            removed_at=_now,
            removed_by=factory.LazyAttribute(lambda o: o.created_by),
            removed_reason="Covered by another recommendation.",
        )


class OverviewAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OverviewAgreement

    draft = factory.SubFactory(OverviewDraftFactory, review=_review_at(Review.Stage.ACTION_PLAN))
    review = factory.LazyAttribute(lambda o: o.draft.review)
    meeting_on = _days(0)
    uncirculated_reason = "The agencies read it at the panel meeting."
    agreed_by = factory.LazyAttribute(lambda o: o.review.created_by)


# --- Stage 6: the action plan ---


class OverviewVersionFactory(factory.django.DjangoModelFactory):
    """A version of the overview report with every section written."""

    class Meta:
        model = OverviewVersion
        skip_postgeneration_save = True

    review = _review_at(Review.Stage.OVERVIEW)
    number = factory.Sequence(lambda n: n + 1)
    source = OverviewVersion.Source.WRITTEN
    created_by = factory.LazyAttribute(lambda o: o.review.created_by)

    @factory.post_generation
    def sections(obj, create, extracted, **kwargs):
        """Every section with placeholder text, or only ``sections={key: html}`` when given."""
        if not create:
            return
        texts = extracted
        if texts is None:
            texts = {
                key: f"<p>{label} of version {obj.number}.</p>"
                for key, label in OverviewSection.Key.choices
            }
        OverviewSection.objects.bulk_create(
            OverviewSection(version=obj, key=key, html=html) for key, html in texts.items()
        )


class OverviewSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OverviewSection

    version = factory.SubFactory(OverviewVersionFactory, sections={})
    key = OverviewSection.Key.EXECUTIVE_SUMMARY
    html = "<p>Child Q was known to three agencies.</p>"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    recommendation = factory.SubFactory(
        RecommendationFactory, review=_review_at(Review.Stage.ACTION_PLAN)
    )
    review = factory.LazyAttribute(lambda o: o.recommendation.review)
    agency = factory.SubFactory(AgencyFactory)
    lead_name = "Head of Service"
    change = "A weekly check of children missing education."
    difference = "Children missing school are seen within a week."
    target_on = _days(60)
    created_by = factory.LazyAttribute(lambda o: o.review.created_by)

    class Params:
        on_track = factory.Trait(status=Action.Status.ON_TRACK)
        at_risk = factory.Trait(status=Action.Status.AT_RISK)
        complete = factory.Trait(status=Action.Status.COMPLETE, completed_on=_days(0))
        # Open when its review closed, and handed to the board's action log.
        handed_over = factory.Trait(
            handed_over_at=_now, handed_over_by=factory.LazyAttribute(lambda o: o.created_by)
        )


class ActionUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionUpdate

    action = factory.SubFactory(ActionFactory)
    status = Action.Status.ON_TRACK
    note = "Half the team trained."
    author = factory.LazyAttribute(lambda o: o.action.created_by)

    class Params:
        complete = factory.Trait(status=Action.Status.COMPLETE, evidence="Procedure, version 3.")


# --- The clock ---


class DeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deadline

    review = factory.SubFactory(ReviewFactory)
    kind = Deadline.Kind.REVIEW_COMPLETE
    due_on = _days(30)
    original_due_on = factory.LazyAttribute(lambda o: o.due_on)

    class Params:
        met = factory.Trait(state=Deadline.State.MET, closed_at=_now)
        missed = factory.Trait(state=Deadline.State.MISSED, closed_at=_now)
        waived = factory.Trait(state=Deadline.State.WAIVED, closed_at=_now, note="Not needed.")


class ClockEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClockEvent

    review = _review_at(Review.Stage.PANEL)
    kind = ClockEvent.Kind.EXTENDED
    days = 28
    reason = "Related criminal proceedings."
    actor = factory.LazyAttribute(lambda o: o.review.created_by)

    class Params:
        stopped = factory.Trait(kind=ClockEvent.Kind.STOPPED, days=0)
        restarted = factory.Trait(kind=ClockEvent.Kind.RESTARTED, days=14)


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    deadline = factory.SubFactory(DeadlineFactory)
    kind = Reminder.Kind.BEFORE
    send_on = factory.LazyFunction(_today)
    recipient = factory.SubFactory(UserFactory, role=Role.BOARD_MANAGER)

    class Params:
        sent = factory.Trait(status=Reminder.Status.SENT, attempts=1, sent_at=_now)
        failed = factory.Trait(status=Reminder.Status.FAILED, attempts=3, error="SMTP refused")


class DeliveryPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryPreference

    person = factory.SubFactory(UserFactory)
    kind = HandoffKind.REPORTS
    delivery = Delivery.DIGEST


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    text = "A management report is due in three working days."
    url = "/reviews/"

    class Params:
        read = factory.Trait(read_at=_now)


# --- Stage 7: publication ---


class PublicationPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicationPlan

    review = _review_at(Review.Stage.PUBLICATION)
    form = PublicationPlan.Form.FULL
    planned_on = _days(60)
    updated_by = factory.LazyAttribute(lambda o: o.review.created_by)

    class Params:
        approved = factory.Trait(
            approved_by=factory.SubFactory(UserFactory, role=Role.CHAIR), approved_at=_now
        )
        not_published = factory.Trait(
            form=PublicationPlan.Form.NONE,
            planned_on=None,
            rationale="Publishing would identify the child's sibling.",
        )


class PseudonymEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PseudonymEntry

    review = factory.SubFactory(ReviewFactory)
    real_value = factory.Sequence(lambda n: f"Canary School {n}")
    replacement = factory.Sequence(lambda n: f"School {n}")
    kind = PseudonymEntry.Kind.ORGANISATION
    source = PseudonymEntry.Source.BOARD_MANAGER
    created_by = factory.LazyAttribute(lambda o: o.review.created_by)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Theme {n}")


class BoardResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardResponse

    review = _review_at(Review.Stage.PUBLICATION)
    text = "The board accepts the findings and will act on each recommendation."
    updated_by = factory.LazyAttribute(lambda o: o.review.created_by)

    class Params:
        agreed = factory.Trait(agreed_on=_days(-1), meeting="Board meeting")


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson
        skip_postgeneration_save = True

    review = _review_at(Review.Stage.PUBLICATION)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    text = "Professionals did not share what they knew about the household."
    created_by = factory.LazyAttribute(lambda o: o.review.created_by)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class LearningBriefFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningBrief

    review = _review_at(Review.Stage.PUBLICATION)
    title = "Learning brief: Child Q"
    background = "Child Q was known to three agencies."
    what_we_learned = "- Agencies did not share what they knew."
    what_to_do = "- Share concerns within a week."
    created_by = factory.LazyAttribute(lambda o: o.review.created_by)

    class Params:
        approved = factory.Trait(
            status=LearningBrief.Status.APPROVED,
            approved_at=_now,
            approved_by=factory.LazyAttribute(lambda o: o.review.created_by),
        )
        public = factory.Trait(audience=LearningBrief.Audience.PUBLIC)


class DisseminationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dissemination

    review = _review_at(Review.Stage.PUBLICATION)
    what = Dissemination.What.BRIEF
    event = "Multi-agency learning event"
    shared_on = _days(-7)
    practitioners_reached = 40
    evidence = "An audit three months on found referrals named the concern."
    recorded_by = factory.LazyAttribute(lambda o: o.review.created_by)


class PublicationVersionFactory(factory.django.DjangoModelFactory):
    """An anonymised publication version of an agreed overview version; its digest is of its
    text, as the services compute it."""

    class Meta:
        model = PublicationVersion

    review = _review_at(Review.Stage.PUBLICATION)
    number = factory.Sequence(lambda n: n + 1)
    form = PublicationVersion.Form.SUMMARY
    overview_version = factory.SubFactory(
        "tests.factories.OverviewVersionFactory", review=factory.SelfAttribute("..review")
    )
    title = "Child Q: a serious case review"
    summary_html = "<p>Child Q was known to three agencies, who did not share what they knew.</p>"
    body_html = ""
    digest = factory.LazyAttribute(
        lambda o: PublicationVersion.digest_of(
            form=o.form, title=o.title, summary_html=o.summary_html, body_html=o.body_html
        )
    )
    created_by = factory.LazyAttribute(lambda o: o.review.created_by)


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication
        skip_postgeneration_save = True

    version = factory.SubFactory(PublicationVersionFactory)
    review = factory.LazyAttribute(lambda o: o.version.review)
    published_at = _now
    published_by = factory.LazyAttribute(lambda o: o.review.created_by)
    listed_until = factory.LazyAttribute(lambda o: (o.published_at + timedelta(days=366)).date())

    class Params:
        removed = factory.Trait(
            removed_at=_now,
            removed_by=factory.LazyAttribute(lambda o: o.review.created_by),
            removal_reason="A court order forbids publishing it.",
        )

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        """``themes=[...]``: the themes the public site finds it under (none unless given)."""
        if create and extracted:
            obj.themes.set(extracted)


class HitResolutionFactory(factory.django.DjangoModelFactory):
    """A hit of a version's identifier check marked not identifying (its key and context digest
    invented: the check recomputes them from the text)."""

    class Meta:
        model = HitResolution

    version = factory.SubFactory(PublicationVersionFactory)
    key = factory.Sequence(lambda n: f"e{n}-000000000000-0")
    context_digest = "0" * 64
    reason = "A common word that is also part of a name."
    resolved_by = factory.LazyAttribute(lambda o: o.version.created_by)
    resolved_at = _now


class RenderedDocumentFactory(factory.django.DjangoModelFactory):
    """A review's PDF asked for and waiting to be rendered; ``ready`` stored, ``failed`` given
    up on."""

    class Meta:
        model = RenderedDocument

    review = factory.SubFactory(ReviewFactory)
    kind = RenderedDocument.Kind.CHRONOLOGY
    source_key = factory.Sequence(lambda n: f"fingerprint-{n}")
    requested_by = factory.LazyAttribute(lambda o: o.review.created_by)
    requested_at = _now

    class Params:
        ready = factory.Trait(
            status=RenderedDocument.Status.READY,
            file=factory.django.FileField(filename="document.pdf", data=PDF_BYTES),
            pages=1,
            bytes=len(PDF_BYTES),
            render_seconds=0.2,
            rendered_at=_now,
        )
        failed = factory.Trait(
            status=RenderedDocument.Status.FAILED,
            attempts=3,
            error="RuntimeError: the renderer stopped",
        )


class SubmissionPackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubmissionPack

    version = factory.SubFactory(PublicationVersionFactory)
    review = factory.LazyAttribute(lambda o: o.version.review)
    bodies = factory.LazyFunction(lambda: [SubmissionPack.Body.NATIONAL_PANEL.value])
    sent_on = factory.LazyFunction(timezone.localdate)
    sent_by = factory.LazyAttribute(lambda o: o.review.created_by)


# --- The family ---


class FamilyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyMember

    review = _review_at(Review.Stage.PANEL)
    name = "Canary Parent"
    relationship = FamilyMember.Relationship.MOTHER
    parental_responsibility = FamilyMember.ParentalResponsibility.YES
    created_by = factory.LazyAttribute(lambda o: o.review.created_by)

    class Params:
        declined_to_take_part = factory.Trait(
            declined=True, declined_on=_days(-3), declined_note="Said so on the phone."
        )


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    member = factory.SubFactory(FamilyMemberFactory)
    kind = Contact.Kind.TOLD_OF_REVIEW
    on = _days(-2)
    how = Contact.How.LETTER
    by_whom = "Board manager"
    leaflet_given = True
    created_by = factory.LazyAttribute(lambda o: o.member.created_by)

    class Params:
        shown_report = factory.Trait(
            kind=Contact.Kind.SHOWN_REPORT, how="", leaflet_given=None, response="Content."
        )


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    member = factory.SubFactory(FamilyMemberFactory)
    offered_on = _days(-10)
    created_by = factory.LazyAttribute(lambda o: o.member.created_by)

    class Params:
        held = factory.Trait(
            held_on=_days(-5), place=Meeting.Place.HOME_VISIT, supporter_attended=False
        )


# --- Quality markers ---


class QualityAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualityAnswer

    review = _review_at(Review.Stage.PUBLICATION)
    marker = "board_members"
    status = QualityStatus.MET
    note = "The chair reported the decision to the board meeting."
    answered_by = factory.LazyAttribute(lambda o: o.review.created_by)
    answered_at = _now


# --- Governance ---


class RetentionKeepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RetentionKeep

    review = factory.SubFactory(ReviewFactory, closed=True)
    keep_until = _days(365)
    reason = "A civil claim is pending."
    decided_by = factory.LazyAttribute(lambda o: o.review.created_by)
    decided_at = _now


class TombstoneFactory(factory.django.DjangoModelFactory):
    """What is left of a review whose records the board destroyed."""

    class Meta:
        model = Tombstone

    reference = factory.Sequence(lambda n: f"SCR-1990-{n + 1:03d}")
    framework = Framework.SCR
    review_type = ReviewType.STATUTORY
    referred_on = _days(-4000)
    closed_on = _days(-3800)
    purged_by = factory.SubFactory(UserFactory, role=Role.BOARD_MANAGER)
    purged_at = _now
    reason = "Past the board's retention period."
    counts = factory.LazyFunction(lambda: {"Family members": 2})

    class Params:
        published = factory.Trait(kept_publication=True)
