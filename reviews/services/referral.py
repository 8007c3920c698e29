"""Writes of stages 1 and 2: the referral, the notification, the rapid review, the decision."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.models import Agency, User
from reviews.frameworks import OUTCOMES_THAT_CONTINUE, Outcome, profile_for
from reviews.models import (
    Deadline,
    RapidReview,
    ReferenceCounter,
    Review,
    StageTransition,
    SubjectIdentity,
    ThresholdDecision,
)
from reviews.services.clock import deadline_close, deadline_open
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
        reference=_reference_take(prefix=profile.reference_prefix, year=referred_on.year),
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
    return review


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
    return rapid_review


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
) -> ThresholdDecision:
    """Record the chair's threshold decision and move the review on; raises ValidationError."""
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
        decided_by=actor,
    )
    decision._history_user, decision._change_reason = actor, "threshold decision recorded"
    decision.save()
    if national_bodies_told_on:
        deadline_close(review=review, kind=Deadline.Kind.NOTIFY_NATIONAL_BODIES, actor=actor)
    summary = f"Threshold decision: {profile.outcome_label(outcome)}"
    if outcome in OUTCOMES_THAT_CONTINUE:
        stage_move(
            review=review,
            to=Review.Stage.PANEL,
            actor=actor,
            summary=summary,
            occurred_on=decided_on,
        )
        if profile.completion_months is not None:
            deadline_open(
                review=review,
                kind=Deadline.Kind.REVIEW_COMPLETE,
                due_on=decided_on + relativedelta(months=profile.completion_months),
                actor=actor,
            )
    else:
        review.closed_reason = summary
        stage_move(
            review=review,
            to=Review.Stage.CLOSED,
            actor=actor,
            summary=summary,
            reason=rationale,
            occurred_on=decided_on,
        )
    return decision
