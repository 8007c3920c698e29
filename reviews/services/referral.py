"""Writes of stages 1 and 2: the referral, the notification, the rapid review, the decision."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from agencies.models import Agency, User
from reviews.frameworks import (
    REVIEW_TYPE_OF_OUTCOME,
    Outcome,
    ReviewType,
    profile_for,
    type_profile_for,
)
from reviews.models import (
    Deadline,
    RapidReview,
    ReferenceCounter,
    Review,
    StageTransition,
    SubjectIdentity,
    ThresholdDecision,
)
from reviews.selectors.handoffs import board_managers, chairs
from reviews.selectors.referral import decision_chair_candidates
from reviews.services.clock import completion_target_open, deadline_close, deadline_open
from reviews.services.handoffs import handoff_notify
from reviews.services.review import (
    check_not_before,
    check_not_future,
    review_lock,
    stage_move,
    timeline_event_record,
    timeline_record,
)
from reviews.workdays import add_working_days


def _reference_take(*, prefix: str, year: int) -> str:
    """Take the next reference for a prefix and year, e.g. SCR-2026-007; call inside atomic."""
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
        prefix=prefix, year=year
    )
    counter.last_number += 1
    counter.save()
    return f"{prefix}-{year}-{counter.last_number:03d}"


@transaction.atomic
def referral_create(
    *,
    actor: User,
    framework: str,
    subject_reference: str,
    full_name: str,
    date_of_birth: date | None,
    address: str,
    age_group: str,
    harm: str,
    abuse_categories: list[str],
    referring_agency: Agency,
    referrer_name: str,
    referrer_contact: str,
    incident_date: date,
    referred_on: date,
    agencies_involved: list[Agency],
    circumstances: str,
) -> Review:
    """Record a referral as a new review at the REFERRAL stage; raises ValidationError."""
    profile = profile_for(framework)
    if age_group not in profile.age_groups:
        raise ValidationError(
            {"age_group": f"Select an age group that fits a {profile.subject.label.lower()}"}
        )
    check_not_future(incident_date, field="incident_date", label="Date of the incident")
    check_not_future(referred_on, field="referred_on", label="Date referred")
    check_not_future(date_of_birth, field="date_of_birth", label="Date of birth")
    check_not_before(
        referred_on,
        incident_date,
        field="referred_on",
        message="Date referred must be the same as or after the date of the incident",
    )
    check_not_before(
        incident_date,
        date_of_birth,
        field="date_of_birth",
        message="Date of birth must be before the date of the incident",
    )
    review = Review(
        reference=_reference_take(
            prefix=type_profile_for(framework, ReviewType.STATUTORY).reference_prefix,
            year=referred_on.year,
        ),
        framework=framework,
        subject_reference=subject_reference,
        age_group=age_group,
        harm=harm,
        abuse_categories=sorted(set(abuse_categories)),
        referring_agency=referring_agency,
        referrer_name=referrer_name,
        referrer_contact=referrer_contact,
        incident_date=incident_date,
        referred_on=referred_on,
        circumstances=circumstances,
        created_by=actor,
    )
    review._history_user, review._change_reason = actor, "referral recorded"
    review.save()
    review.agencies_involved.set(agencies_involved)
    identity = SubjectIdentity(
        review=review, full_name=full_name, date_of_birth=date_of_birth, address=address
    )
    identity._history_user, identity._change_reason = actor, "referral recorded"
    identity.save()
    timeline_record(
        review=review,
        kind=StageTransition.Kind.STAGE,
        to_stage=Review.Stage.REFERRAL,
        actor=actor,
        summary=f"Referral recorded from {referring_agency.name}",
        occurred_on=referred_on,
    )
    if profile.notify_national_bodies_working_days is not None:
        deadline_open(
            review=review,
            kind=Deadline.Kind.NOTIFY_NATIONAL_BODIES,
            due_on=add_working_days(
                referred_on, profile.notify_national_bodies_working_days, settings.SCR_JURISDICTION
            ),
            actor=actor,
        )
    if profile.rapid_review_working_days is None:
        _decision_awaited(review=review, actor=actor)
    return review


def _decision_awaited(*, review: Review, actor: User) -> None:
    handoff_notify(
        "decision_awaited",
        review=review,
        actor=actor,
        people=chairs(),
        text="the referral awaits your threshold decision",
        url=review.get_absolute_url(),
    )


@transaction.atomic
def notification_record(*, review: Review, actor: User, notified_on: date) -> Review:
    """Record the day the national bodies were told of the serious incident: closes that
    deadline and, for a review type with a rapid review, opens the rapid review's."""
    review = review_lock(review)
    if review.profile.notify_national_bodies_working_days is None:
        raise ValidationError("This type of review has no notification to the national bodies")
    if review.national_bodies_notified_on:
        raise ValidationError("The notification to the national bodies is already recorded")
    if review.stage == Review.Stage.CLOSED:
        raise ValidationError("The review is closed")
    check_not_future(notified_on, field="notified_on", label="Date of the notification")
    check_not_before(
        notified_on,
        review.referred_on,
        field="notified_on",
        message="Date of the notification must be the same as or after the date referred",
    )
    review.national_bodies_notified_on = notified_on
    review._history_user, review._change_reason = actor, "national bodies notified"
    review.save()
    deadline_close(review=review, kind=Deadline.Kind.NOTIFY_NATIONAL_BODIES, actor=actor)
    timeline_event_record(
        review=review,
        kind=StageTransition.Kind.REFERRAL,
        actor=actor,
        summary="National bodies notified of the serious incident",
        occurred_on=notified_on,
    )
    working_days = review.profile.rapid_review_working_days
    if working_days is not None and review.stage == Review.Stage.REFERRAL:
        deadline_open(
            review=review,
            kind=Deadline.Kind.RAPID_REVIEW,
            due_on=add_working_days(notified_on, working_days, settings.SCR_JURISDICTION),
            actor=actor,
        )
        handoff_notify(
            "rapid_review_due",
            review=review,
            actor=actor,
            people=board_managers(),
            text="the rapid review is due: record it when it is held",
            url=review.get_absolute_url(),
        )
    return review


@transaction.atomic
def rapid_review_record(
    *,
    review: Review,
    actor: User,
    held_on: date,
    attendees: str,
    facts: str,
    immediate_action: str,
    learning: str,
    recommendation: str,
    sent_to_national_panel_on: date | None,
) -> RapidReview:
    """Record the rapid review of a review awaiting its decision; closes its deadline."""
    review = review_lock(review)
    if review.stage != Review.Stage.REFERRAL or not review.needs_rapid_review:
        raise ValidationError("This review needs no rapid review now")
    check_not_future(held_on, field="held_on", label="Date of the rapid review")
    check_not_before(
        held_on,
        review.referred_on,
        field="held_on",
        message="Date of the rapid review must be the same as or after the date referred",
    )
    check_not_future(
        sent_to_national_panel_on,
        field="sent_to_national_panel_on",
        label="Date it was sent to the national panel",
    )
    check_not_before(
        sent_to_national_panel_on,
        held_on,
        field="sent_to_national_panel_on",
        message=(
            "Date it was sent to the national panel must be the same as or after the date of "
            "the rapid review"
        ),
    )
    rapid_review = RapidReview(
        review=review,
        held_on=held_on,
        attendees=attendees,
        facts=facts,
        immediate_action=immediate_action,
        learning=learning,
        recommendation=recommendation,
        sent_to_national_panel_on=sent_to_national_panel_on,
        recorded_by=actor,
    )
    rapid_review._history_user, rapid_review._change_reason = actor, "rapid review recorded"
    rapid_review.save()
    deadline_close(review=review, kind=Deadline.Kind.RAPID_REVIEW, actor=actor)
    timeline_event_record(
        review=review,
        kind=StageTransition.Kind.REFERRAL,
        actor=actor,
        summary=f"Rapid review recorded: {rapid_review.get_recommendation_display().lower()}",
        occurred_on=held_on,
    )
    _decision_awaited(review=review, actor=actor)
    return rapid_review


def review_type_set(*, review: Review, review_type: str, actor: User) -> Review:
    """Make the review of ``review_type``: one of another type than the referral's takes that
    type's reference, keeping the old one findable; call inside the decision's transaction."""
    if review_type == review.review_type:
        return review
    profile = type_profile_for(review.framework, review_type)
    former = review.reference
    review.reference = _reference_take(
        prefix=profile.reference_prefix, year=review.referred_on.year
    )
    review.former_reference, review.review_type = former, review_type
    summary = f"Now a {profile.label.lower()}: reference {review.reference}, formerly {former}"
    review._history_user, review._change_reason = actor, summary
    review.save()
    timeline_event_record(
        review=review, kind=StageTransition.Kind.REFERRAL, actor=actor, summary=summary
    )
    return review


@transaction.atomic
def decision_record(
    *,
    review: Review,
    actor: User,
    answers: dict[str, bool],
    outcome: str,
    decided_on: date,
    rationale: str,
    national_bodies_told_on: date | None,
    decided_by: User | None = None,
    communicated_via: str = "",
) -> ThresholdDecision:
    """Record the chair's threshold decision and move the review on; raises ValidationError.

    The chair records their own (``decided_by`` None or themselves), or a board manager
    records the decision of the chair ``decided_by``, saying how it was made known to them."""
    chair, communicated_via = _decider(
        actor=actor, decided_by=decided_by, communicated_via=communicated_via
    )
    review = review_lock(review)
    if (
        review.stage != Review.Stage.REFERRAL
        or ThresholdDecision.objects.filter(review=review).exists()
    ):
        raise ValidationError("A threshold decision has already been recorded for this review.")
    if review.needs_rapid_review:
        raise ValidationError("Record the rapid review before the decision")
    profile = review.profile
    missing = [c for c in profile.criteria if c.key not in answers]
    if missing:
        raise ValidationError({missing[0].key: "Select yes or no"})
    if outcome not in profile.outcomes:
        raise ValidationError({"outcome": "Select an outcome this review type allows"})
    check_not_future(decided_on, field="decided_on", label="Date of the decision")
    check_not_before(
        decided_on,
        review.referred_on,
        field="decided_on",
        message="Date of the decision must be the same as or after the date referred",
    )
    check_not_future(
        national_bodies_told_on,
        field="national_bodies_told_on",
        label="Date the national bodies were told",
    )
    check_not_before(
        national_bodies_told_on,
        decided_on,
        field="national_bodies_told_on",
        message=(
            "Date the national bodies were told must be the same as or after the date of the "
            "decision"
        ),
    )
    answers = {c.key: bool(answers[c.key]) for c in profile.criteria}
    criteria_met = profile.criteria_met(answers)
    if criteria_met != (outcome == Outcome.INITIATE) and not rationale.strip():
        raise ValidationError({"rationale": "Explain why the outcome departs from the criteria"})
    decision = ThresholdDecision(
        review=review,
        answers=answers,
        criteria_met=criteria_met,
        outcome=outcome,
        decided_on=decided_on,
        rationale=rationale.strip(),
        national_bodies_told_on=national_bodies_told_on,
        decided_by=chair,
        recorded_by=actor,
        communicated_via=communicated_via,
    )
    on_behalf = _on_behalf_text(decision)
    decision._history_user = actor
    decision._change_reason = (
        f"threshold decision recorded for the chair: {on_behalf}"
        if on_behalf
        else "threshold decision recorded"
    )
    decision.save()
    if national_bodies_told_on:
        deadline_close(review=review, kind=Deadline.Kind.NOTIFY_NATIONAL_BODIES, actor=actor)
    summary = f"Threshold decision: {profile.outcome_label(outcome)}"
    if on_behalf:
        handoff_notify(
            "decision_recorded_for_chair",
            review=review,
            actor=actor,
            people=[chair],
            text=f"{actor} recorded your threshold decision ({profile.outcome_label(outcome)})"
            ": check it",
            url=review.get_absolute_url(),
        )
    if outcome in REVIEW_TYPE_OF_OUTCOME:
        stage_move(
            review=review,
            to=Review.Stage.PANEL,
            actor=actor,
            summary=summary,
            reason=on_behalf,
            occurred_on=decided_on,
        )
        review_type_set(review=review, review_type=REVIEW_TYPE_OF_OUTCOME[outcome], actor=actor)
        completion_target_open(review=review, decided_on=decided_on, actor=actor)
        _next_after_decision(review=review, actor=actor)
    else:
        review.closed_reason = summary
        reason = "\n\n".join(filter(None, [on_behalf, rationale.strip()]))
        stage_move(
            review=review,
            to=Review.Stage.CLOSED,
            actor=actor,
            summary=summary,
            reason=reason,
            occurred_on=decided_on,
        )
        handoff_notify(
            "review_closed_at_decision",
            review=review,
            actor=actor,
            people=board_managers(),
            text=f"closed at the threshold decision ({profile.outcome_label(outcome).lower()})",
            url=review.get_absolute_url(),
        )
    return decision


def _next_after_decision(*, review: Review, actor: User) -> None:
    """Tell the board managers the panel is to convene (or, for a review with no panel, the
    reports to request) and the chairs that an author is to be appointed."""
    has_panel = review.has_panel
    handoff_notify(
        "panel_to_convene",
        review=review,
        actor=actor,
        people=board_managers(),
        text=(
            "the review goes ahead: convene the panel and agree the terms of reference"
            if has_panel
            else "the review goes ahead: set its terms and ask the agency for its report"
        ),
        url=reverse("reviews:panel", args=[review.reference]),
    )
    if has_panel:
        handoff_notify(
            "author_to_appoint",
            review=review,
            actor=actor,
            people=chairs(),
            text="the review goes ahead: appoint its independent overview author",
            url=reverse("reviews:panel", args=[review.reference]),
        )


def _decider(*, actor: User, decided_by: User | None, communicated_via: str) -> tuple[User, str]:
    """The chair whose decision it is, and how they made it known to ``actor`` ("" when the
    chair records it); raises ValidationError unless that is an active chair."""
    chair = decided_by or actor
    if not decision_chair_candidates().filter(pk=chair.pk).exists():
        if chair == actor:
            raise ValidationError("Only a chair decides: record the decision for a chair")
        raise ValidationError({"decided_by": "Select the chair who made the decision"})
    if chair == actor:
        return chair, ""
    if communicated_via not in ThresholdDecision.Communication.values:
        raise ValidationError(
            {"communicated_via": "Select how the chair made the decision known to you"}
        )
    return chair, communicated_via


def _on_behalf_text(decision: ThresholdDecision) -> str:
    """Who decided and who recorded, when someone recorded it for the chair; else ""."""
    if not decision.recorded_for_chair:
        return ""
    how = decision.get_communicated_via_display()
    return (
        f"Decided by {decision.decided_by} on {decision.decided_on:%-d %B %Y} "
        f"({how[0].lower()}{how[1:]}), recorded by {decision.recorded_by}"
    )
