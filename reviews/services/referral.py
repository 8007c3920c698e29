"""Writes of stages 1 and 2: the referral, the notification, the rapid review, the decision."""

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, User
from reviews.frameworks import (
    REVIEW_TYPE_OF_OUTCOME,
    Ethnicity,
    Outcome,
    ReviewType,
    profile_for,
    type_profile_for,
)
from reviews.models import (
    Deadline,
    RapidReview,
    ReferenceCounter,
    ReferralAgencyContact,
    ReferralDraft,
    ReferralFamilyMember,
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
    repeated_submission,
    review_close,
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


_PLANS = (Review.ProtectionPlan.CURRENT, Review.ProtectionPlan.PAST)


def _check_referral_facts(facts: dict, *, harm: str, incident_date: date) -> None:
    """Refuse what the referral's answers cannot be together; raises ValidationError."""
    date_of_death, date_of_birth = facts["date_of_death"], facts["date_of_birth"]
    if date_of_death and harm != Review.Harm.DEATH:
        raise ValidationError(
            {"date_of_death": "Leave the date of death empty unless the subject died"}
        )
    check_not_future(date_of_death, field="date_of_death", label="Date of death")
    check_not_before(
        date_of_death,
        incident_date,
        field="date_of_death",
        message="Date of death must be the same as or after the date of the incident",
    )
    if facts["lead_consulted"] and not facts["lead_consulted_name"].strip():
        raise ValidationError(
            {"lead_consulted_name": "Enter the name of the designated safeguarding lead"}
        )
    if facts["protection_plan"] in _PLANS:
        if not facts["protection_plan_category"]:
            raise ValidationError(
                {"protection_plan_category": "Select the category of the child protection plan"}
            )
        started, ended = facts["protection_plan_started_on"], facts["protection_plan_ended_on"]
        check_not_future(started, field="protection_plan_started_on", label="Date the plan started")
        check_not_future(ended, field="protection_plan_ended_on", label="Date the plan ended")
        check_not_before(
            ended,
            started,
            field="protection_plan_ended_on",
            message="Date the plan ended must be the same as or after the date it started",
        )
        check_not_before(
            started,
            date_of_birth,
            field="protection_plan_started_on",
            message="Date the plan started must be after the date of birth",
        )
    check_not_future(
        facts["records_secured_on"], field="records_secured_on", label="Date records secured"
    )


def _facts_tidy(facts: dict) -> dict:
    """Drop the answers that only follow from another (a plan's details when there was none,
    an end date while the plan is current, a name when nobody was consulted)."""
    facts = {k: v.strip() if isinstance(v, str) else v for k, v in facts.items()}
    if not facts["lead_consulted"]:
        facts["lead_consulted_name"] = ""
    if facts["protection_plan"] not in _PLANS:
        facts["protection_plan_category"] = ""
        facts["protection_plan_started_on"] = None
    if facts["protection_plan"] != Review.ProtectionPlan.PAST:
        facts["protection_plan_ended_on"] = None
    return facts


def _family_add(*, review: Review, actor: User, family: Sequence[dict]) -> None:
    for index, person in enumerate(family):
        if not person.get("name", "").strip():
            raise ValidationError({"family": f"Enter the name of person {index + 1}"})
        other = person["relationship"] == ReferralFamilyMember.Relationship.OTHER
        if other and not person.get("relationship_other", "").strip():
            raise ValidationError(
                {"family": f"Describe how person {index + 1} is related to the subject"}
            )
        check_not_future(person.get("date_of_birth"), field="family", label="Date of birth")
        row = ReferralFamilyMember(
            review=review,
            name=person["name"].strip(),
            relationship=person["relationship"],
            relationship_other=person.get("relationship_other", "").strip() if other else "",
            date_of_birth=person.get("date_of_birth"),
            lives_with_subject=person["lives_with_subject"],
            parental_responsibility=person["parental_responsibility"],
        )
        row._history_user, row._change_reason = actor, "referral recorded"
        row.save()


def _agency_contacts_add(
    *, review: Review, actor: User, contacts: Sequence[dict], involved: list[Agency]
) -> None:
    involved_ids = {agency.pk for agency in involved}
    for contact in contacts:
        if contact["agency"].pk not in involved_ids:
            raise ValidationError(
                {"agency_contacts": "Give contacts only for the agencies known to be involved"}
            )
        row = ReferralAgencyContact(
            review=review,
            agency=contact["agency"],
            contact=contact.get("contact", "").strip(),
            still_involved=contact["still_involved"],
        )
        row._history_user, row._change_reason = actor, "referral recorded"
        row.save()


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
    referrer_role: str = "",
    lead_consulted: bool | None = None,
    lead_consulted_name: str = "",
    other_names: str = "",
    sex: str = Review.Sex.NOT_KNOWN,
    ethnicity: str = Ethnicity.NOT_KNOWN,
    first_language: str = "",
    religion: str = "",
    date_of_death: date | None = None,
    protection_plan: str = Review.ProtectionPlan.NOT_KNOWN,
    protection_plan_category: str = "",
    protection_plan_started_on: date | None = None,
    protection_plan_ended_on: date | None = None,
    social_care: str = Review.SocialCare.NOT_KNOWN,
    incident_setting: str = "",
    other_agencies: str = "",
    agency_concerns: str = "",
    key_dates: str = "",
    records_secured_on: date | None = None,
    family: Sequence[dict] = (),
    agency_contacts: Sequence[dict] = (),
    submission: uuid.UUID | None = None,
) -> Review:
    """Record a referral as a new review at the REFERRAL stage, with the subject's identity,
    the household (``family``: dicts of ReferralFamilyMember's fields) and the contacts at the
    agencies involved, once per ``submission``; raises ValidationError."""
    if earlier := repeated_submission(Review, submission):
        return earlier
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
    facts: dict[str, Any] = {
        "lead_consulted": lead_consulted,
        "lead_consulted_name": lead_consulted_name,
        "date_of_birth": date_of_birth,
        "date_of_death": date_of_death,
        "protection_plan": protection_plan,
        "protection_plan_category": protection_plan_category,
        "protection_plan_started_on": protection_plan_started_on,
        "protection_plan_ended_on": protection_plan_ended_on,
        "records_secured_on": records_secured_on,
    }
    _check_referral_facts(facts, harm=harm, incident_date=incident_date)
    facts = _facts_tidy(facts)
    review = Review(
        reference=_reference_take(
            prefix=type_profile_for(framework, ReviewType.STATUTORY).reference_prefix,
            year=referred_on.year,
        ),
        framework=framework,
        subject_reference=subject_reference,
        age_group=age_group,
        sex=sex,
        ethnicity=ethnicity,
        harm=harm,
        abuse_categories=sorted(set(abuse_categories)),
        referring_agency=referring_agency,
        referrer_name=referrer_name,
        referrer_role=referrer_role.strip(),
        referrer_contact=referrer_contact,
        lead_consulted=facts["lead_consulted"],
        lead_consulted_name=facts["lead_consulted_name"],
        incident_date=incident_date,
        referred_on=referred_on,
        circumstances=circumstances,
        protection_plan=protection_plan,
        protection_plan_category=facts["protection_plan_category"],
        protection_plan_started_on=facts["protection_plan_started_on"],
        protection_plan_ended_on=facts["protection_plan_ended_on"],
        social_care=social_care,
        incident_setting=incident_setting.strip(),
        other_agencies=other_agencies.strip(),
        agency_concerns=agency_concerns.strip(),
        key_dates=key_dates.strip(),
        records_secured_on=records_secured_on,
        submission=submission,
        created_by=actor,
    )
    review._history_user, review._change_reason = actor, "referral recorded"
    review.save()
    review.agencies_involved.set(agencies_involved)
    identity = SubjectIdentity(
        review=review,
        full_name=full_name,
        other_names=other_names.strip(),
        date_of_birth=date_of_birth,
        date_of_death=date_of_death,
        address=address,
        first_language=first_language.strip(),
        religion=religion.strip(),
    )
    identity._history_user, identity._change_reason = actor, "referral recorded"
    identity.save()
    _family_add(review=review, actor=actor, family=family)
    _agency_contacts_add(
        review=review, actor=actor, contacts=agency_contacts, involved=agencies_involved
    )
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


@transaction.atomic
def referral_draft_save(
    *,
    actor: User,
    draft: ReferralDraft | None,
    part: str,
    answers: dict,
    new_id: uuid.UUID | None = None,
) -> ReferralDraft:
    """Keep the answers to one part of a referral being recorded (``answers``: the page's data
    as sent, each field a list of values). With no ``draft``, start one owned by ``actor`` with
    the id ``new_id`` (the first page's, so that sending it twice starts one draft; an id
    already taken by someone else's draft starts a draft with a new one). The view checked the
    answers before; only the owner's draft is ever passed."""
    if draft is None:
        taken = new_id and ReferralDraft.objects.select_for_update().filter(pk=new_id).first()
        if taken and taken.owner_id == actor.pk:
            draft = taken
        else:
            draft = ReferralDraft(owner=actor, pk=new_id if new_id and not taken else uuid.uuid4())
    draft.answers = {**draft.answers, part: answers}
    draft.save()
    return draft


@transaction.atomic
def referral_draft_person_add(
    *, actor: User, draft: ReferralDraft, row_id: uuid.UUID, answers: dict
) -> ReferralDraft:
    """Add a person to the household of a draft referral, once per ``row_id`` (the add page's
    submission: sending it again adds nobody new)."""
    if any(row["id"] == row_id.hex for row in draft.family):
        return draft
    draft.family = [*draft.family, {"id": row_id.hex, "answers": answers}]
    draft.save()
    return draft


@transaction.atomic
def referral_draft_person_remove(*, actor: User, draft: ReferralDraft, row_id: str) -> bool:
    """Take a person off the household of a draft referral; False if they were not on it."""
    rows = [row for row in draft.family if row["id"] != row_id]
    if len(rows) == len(draft.family):
        return False
    draft.family = rows
    draft.save()
    return True


# How long an untouched draft referral is kept: it holds names, and is not a record.
DRAFT_KEPT_DAYS = 30


@transaction.atomic
def referral_drafts_expire() -> int:
    """Delete draft referrals untouched for DRAFT_KEPT_DAYS; returns how many."""
    cutoff = timezone.now() - timedelta(days=DRAFT_KEPT_DAYS)
    deleted, _ = ReferralDraft.objects.filter(updated_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def referral_draft_submit(*, actor: User, draft: ReferralDraft, **referral) -> Review:
    """Record the referral a draft holds (``referral``: ``referral_create``'s arguments, from
    the draft's checked answers) and delete the draft, in one transaction; the review carries
    the draft's id, so submitting the draft again returns the same review."""
    locked = ReferralDraft.objects.select_for_update().filter(pk=draft.pk).first()
    if locked is None:  # submitted a moment ago, by a second click
        earlier = repeated_submission(Review, draft.pk)
        if earlier is None:
            raise ValidationError("This referral is no longer a draft")
        return earlier
    review = referral_create(actor=actor, submission=locked.pk, **referral)
    locked.delete()
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
        reason = "\n\n".join(filter(None, [on_behalf, rationale.strip()]))
        review_close(
            review=review,
            how=Review.Closure.DECISION,
            actor=actor,
            summary=summary,
            reason=reason,
            closed_reason=summary,
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


def referral_family_mark_added(*, rows: Sequence[ReferralFamilyMember], actor: User) -> None:
    """Record that these people the referral named are now in the family records (so they are
    added once); call inside the transaction that adds them."""
    now = timezone.now()
    for row in rows:
        row.added_to_family_at = now
        row._history_user, row._change_reason = actor, "added to the family records"
        row.save()
