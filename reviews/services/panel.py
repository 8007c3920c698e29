"""Stage 3: the panel, the overview author, terms of reference, meetings, and the
per-object access that seats, appointments and agencies in scope grant."""

import uuid
from datetime import date

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_user_perms, remove_perm

from agencies.models import Agency, Role, User
from agencies.permissions import object_permissions_forget
from agencies.services import agency_leads_group
from reviews.models import (
    AccessChange,
    AuthorAppointment,
    Deadline,
    PanelMeeting,
    PanelMember,
    ReportRequest,
    Review,
    StageTransition,
    TermsOfReference,
)
from reviews.services.clock import deadline_waive
from reviews.services.handoffs import handoff_notify
from reviews.services.reports import report_excuse
from reviews.services.review import (
    check_not_before,
    check_not_future,
    repeated_submission,
    review_lock,
    timeline_event_record,
)
from scr.versions import check_unchanged

PANEL, ACCESS = StageTransition.Kind.PANEL, StageTransition.Kind.ACCESS

# What a seat on the panel or the author's appointment lets a person do with that review.
APPOINTEE_PERMISSIONS = ("reviews.view_review", "reviews.view_panel")
# What an agency in scope lets its leads do with that review.
AGENCY_PERMISSIONS = ("reviews.view_review",)


def _access_change(
    *, review: Review, perm: str, holder: User | Group, granted: bool, actor: User
) -> None:
    """Assign or remove one of guardian's permissions on the review, and log it (guardian's rows
    keep no history): the audit trail shows every grant and withdrawal."""
    (assign_perm if granted else remove_perm)(perm, holder, review)
    object_permissions_forget()
    person = holder if isinstance(holder, User) else None
    group = holder if isinstance(holder, Group) else None
    AccessChange.objects.create(
        review=review, granted=granted, permission=perm, person=person, group=group, actor=actor
    )


def _appointee_access_sync(*, review: Review, person: User, actor: User) -> None:
    """Give the person exactly the permissions their current seat or authorship grants."""
    appointed = (
        PanelMember.objects.filter(
            review=review, person=person, status=PanelMember.Status.SEATED
        ).exists()
        or AuthorAppointment.objects.filter(
            review=review, person=person, ended_at__isnull=True
        ).exists()
    )
    held = set(get_user_perms(person, review))
    granted, withdrawn = [], []
    for perm in APPOINTEE_PERMISSIONS:
        codename = perm.split(".")[1]
        if appointed and codename not in held:
            _access_change(review=review, perm=perm, holder=person, granted=True, actor=actor)
            granted.append(codename)
        elif not appointed and codename in held:
            _access_change(review=review, perm=perm, holder=person, granted=False, actor=actor)
            withdrawn.append(codename)
    if granted:
        timeline_event_record(
            review=review, kind=ACCESS, actor=actor, summary=f"Access granted to {person}"
        )
    if withdrawn:
        timeline_event_record(
            review=review, kind=ACCESS, actor=actor, summary=f"Access withdrawn from {person}"
        )


def _review_lock(review: Review) -> Review:
    """Lock the review's row for this transaction and check it has a panel; raises
    ValidationError."""
    review = review_lock(review, "decision")
    _check_panel_open(review)
    return review


def _check_panel_open(review: Review) -> None:
    if not review.has_panel:
        raise ValidationError(
            "A panel can only be convened for a review the chair decided to initiate, or a "
            "partnership review, while it is open."
        )


def _check_declaration_date(declared_on: date) -> None:
    check_not_future(declared_on, field="declared_on", label="Date of the declaration")


@transaction.atomic
def panel_member_add(
    *,
    review: Review,
    actor: User,
    person: User,
    panel_role: str,
    not_involved_in_case: bool,
    no_management_responsibility: bool,
    declared_on: date,
) -> PanelMember:
    """Put a person forward for the panel with their independence declaration; they are
    seated (and given access) only if they could declare independence. Raises
    ValidationError."""
    review = _review_lock(review)
    _check_declaration_date(declared_on)
    if not person.is_active:
        raise ValidationError({"person": "Select a person whose account is active"})
    involved = set(review.agencies_involved.values_list("pk", flat=True))
    if hasattr(review, "terms"):
        involved |= set(review.terms.agencies_in_scope.values_list("pk", flat=True))
    if panel_role != PanelMember.PanelRole.CO_OPTED and person.agency_id not in involved:
        raise ValidationError(
            {"person": "Select someone from an agency involved in the case, or co-opt them"}
        )
    if PanelMember.objects.filter(
        review=review, person=person, status=PanelMember.Status.SEATED
    ).exists():
        raise ValidationError({"person": f"{person} already sits on this panel"})
    member = PanelMember(
        review=review,
        person=person,
        panel_role=panel_role,
        not_involved_in_case=not_involved_in_case,
        no_management_responsibility=no_management_responsibility,
        declared_on=declared_on,
        added_by=actor,
    )
    member.status = (
        PanelMember.Status.SEATED if member.declared_independent else PanelMember.Status.NOT_SEATED
    )
    member._history_user, member._change_reason = actor, member.get_status_display()
    member.save()
    role = member.get_panel_role_display().lower()
    if member.status == PanelMember.Status.SEATED:
        timeline_event_record(
            review=review, kind=PANEL, actor=actor, summary=f"{person} seated on the panel ({role})"
        )
    else:
        timeline_event_record(
            review=review,
            kind=PANEL,
            actor=actor,
            summary=f"{person} not seated: could not declare independence",
        )
    _appointee_access_sync(review=review, person=person, actor=actor)
    if member.status == PanelMember.Status.SEATED:
        handoff_notify(
            "panel_seat",
            review=review,
            actor=actor,
            people=[person],
            text=f"you are seated on the review's panel ({role})",
            url=reverse("reviews:panel", args=[review.reference]),
        )
    return member


@transaction.atomic
def panel_member_remove(*, member: PanelMember, actor: User, reason: str) -> PanelMember:
    """Unseat a panel member and withdraw their access at once; raises ValidationError."""
    review_lock(member.review_id)
    member = (
        PanelMember.objects.select_for_update().select_related("review", "person").get(pk=member.pk)
    )
    if member.status != PanelMember.Status.SEATED:
        raise ValidationError("Only a seated member can be removed from the panel")
    member.status = PanelMember.Status.REMOVED
    member.removed_by, member.removed_at, member.removed_reason = actor, timezone.now(), reason
    member._history_user, member._change_reason = actor, f"removed: {reason}"
    member.save()
    timeline_event_record(
        review=member.review,
        kind=PANEL,
        actor=actor,
        summary=f"{member.person} removed from the panel",
        reason=reason,
    )
    _appointee_access_sync(review=member.review, person=member.person, actor=actor)
    return member


@transaction.atomic
def author_appoint(
    *,
    review: Review,
    actor: User,
    person: User,
    not_involved_in_case: bool,
    no_management_responsibility: bool,
    declared_on: date,
) -> AuthorAppointment:
    """Appoint the independent overview author, replacing any current one; raises
    ValidationError if they cannot declare independence or are not an author."""
    review = _review_lock(review)
    _check_declaration_date(declared_on)
    if not (person.is_active and person.groups.filter(name=Role.INDEPENDENT_AUTHOR).exists()):
        raise ValidationError({"person": "Select an active independent author"})
    if not (not_involved_in_case and no_management_responsibility):
        raise ValidationError(
            "An author who cannot declare independence cannot be appointed. Choose another author."
        )
    current = AuthorAppointment.objects.filter(review=review, ended_at__isnull=True).first()
    if current and current.person_id == person.pk:
        raise ValidationError({"person": f"{person} is already the author of this review"})
    if current:
        current.ended_at, current.ended_reason = timezone.now(), f"replaced by {person}"
        current._history_user, current._change_reason = actor, "replaced"
        current.save()
        _appointee_access_sync(review=review, person=current.person, actor=actor)
    appointment = AuthorAppointment(
        review=review,
        person=person,
        not_involved_in_case=True,
        no_management_responsibility=True,
        declared_on=declared_on,
        appointed_by=actor,
    )
    appointment._history_user, appointment._change_reason = actor, "appointed"
    appointment.save()
    timeline_event_record(
        review=review, kind=PANEL, actor=actor, summary=f"{person} appointed overview author"
    )
    _appointee_access_sync(review=review, person=person, actor=actor)
    handoff_notify(
        "author_appointed",
        review=review,
        actor=actor,
        people=[person],
        text="you are appointed the review's independent overview author",
        url=review.get_absolute_url(),
    )
    return appointment


@transaction.atomic
def terms_save(
    *,
    review: Review,
    actor: User,
    period_start: date,
    period_end: date,
    lines_of_enquiry: list[str],
    agencies_in_scope: list[Agency],
    family_involvement_plan: str,
    scoping_meeting_on: date | None,
    reason: str = "",
    version: int | None = None,
) -> TermsOfReference:
    """Set the terms of reference. While the panel convenes they are edited freely; later, a
    change is an amendment that needs a reason. Agencies put in or out of scope gain or lose
    access at once. A review with no panel (single-agency) has terms too. Raises
    ValidationError."""
    review = review_lock(review, "decision")
    if review.stage in (Review.Stage.REFERRAL, Review.Stage.CLOSED):
        raise ValidationError(
            "Terms of reference are set once the chair has decided the review goes ahead, "
            "while it is open."
        )
    amending = review.stage != Review.Stage.PANEL
    if amending and not reason.strip():
        raise ValidationError({"reason": "Enter the reason for amending the terms of reference"})
    check_not_before(
        period_end,
        period_start,
        field="period_end",
        message="End of the period must be the same as or after its start",
    )
    if not lines_of_enquiry:
        raise ValidationError({"lines_of_enquiry": "Enter at least one key line of enquiry"})
    if not agencies_in_scope:
        raise ValidationError({"agencies_in_scope": "Select at least one agency in scope"})
    terms = TermsOfReference.objects.filter(review=review).first() or TermsOfReference(
        review=review
    )
    check_unchanged(terms, version, what="The terms of reference")
    before = set(terms.agencies_in_scope.values_list("pk", flat=True)) if terms.pk else set()
    terms.period_start, terms.period_end = period_start, period_end
    terms.lines_of_enquiry = lines_of_enquiry
    terms.family_involvement_plan = family_involvement_plan
    terms.scoping_meeting_on = scoping_meeting_on
    summary = "Terms of reference amended" if amending else "Terms of reference set"
    terms._history_user, terms._change_reason = actor, reason.strip() or summary
    terms.save()
    terms.agencies_in_scope.set(agencies_in_scope)
    timeline_event_record(
        review=review, kind=PANEL, actor=actor, summary=summary, reason=reason.strip()
    )
    after = {agency.pk: agency for agency in agencies_in_scope}
    for agency in agencies_in_scope:
        if agency.pk not in before:
            for perm in AGENCY_PERMISSIONS:
                leads = agency_leads_group(agency=agency)
                _access_change(review=review, perm=perm, holder=leads, granted=True, actor=actor)
            timeline_event_record(
                review=review,
                kind=PANEL,
                actor=actor,
                summary=f"{agency} put in scope",
                agency=agency,
            )
    for agency in Agency.objects.filter(pk__in=before - set(after)):
        for perm in AGENCY_PERMISSIONS:
            leads = agency_leads_group(agency=agency)
            _access_change(review=review, perm=perm, holder=leads, granted=False, actor=actor)
        timeline_event_record(
            review=review,
            kind=PANEL,
            actor=actor,
            summary=f"{agency} taken out of scope",
            agency=agency,
        )
        _release_agency(review=review, agency=agency, actor=actor, reason=reason.strip())
    return terms


def _release_agency(*, review: Review, agency: Agency, actor: User, reason: str) -> None:
    """An agency taken out of scope owes the review nothing more: its open report is excused
    and every deadline it still has here is waived, so no reminder or task reaches it."""
    why = f"taken out of scope: {reason}" if reason else "taken out of scope"
    report = review.report_requests.filter(agency=agency).first()
    done = (ReportRequest.Status.ACCEPTED, ReportRequest.Status.EXCUSED)
    if report is not None and report.status not in done:
        report_excuse(report=report, actor=actor, comments=why)
    for deadline in review.deadlines.filter(owner_agency=agency, state=Deadline.State.OPEN):
        deadline_waive(deadline=deadline, actor=actor, reason=why)


@transaction.atomic
def meeting_record(
    *,
    review: Review,
    actor: User,
    held_on: date,
    attendees: list[User],
    minutes: str,
    actions_agreed: str,
    submission: uuid.UUID | None = None,
) -> PanelMeeting:
    """Record a panel meeting (once per submission); attendees must sit on the panel or be its
    author."""
    review = _review_lock(review)
    if earlier := repeated_submission(PanelMeeting, submission):
        return earlier
    check_not_future(held_on, field="held_on", label="Date of the meeting")
    allowed = set(
        PanelMember.objects.filter(review=review, status=PanelMember.Status.SEATED).values_list(
            "person_id", flat=True
        )
    ) | set(
        AuthorAppointment.objects.filter(review=review, ended_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    if any(person.pk not in allowed for person in attendees):
        raise ValidationError({"attendees": "Select attendees from the panel and its author"})
    meeting = PanelMeeting(
        review=review,
        held_on=held_on,
        minutes=minutes,
        actions_agreed=actions_agreed,
        recorded_by=actor,
        submission=submission,
    )
    meeting._history_user, meeting._change_reason = actor, "meeting recorded"
    meeting.save()
    meeting.attendees.set(attendees)
    timeline_event_record(
        review=review, kind=PANEL, actor=actor, summary="Panel meeting", occurred_on=held_on
    )
    return meeting
