"""Writes of the publication plan: what is published and when, the notice to the national
bodies counted backwards from the planned date, and the chair's approval."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from publication.models import PublicationPlan
from reviews.gates import PUBLICATION_APPROVAL, gate_unmet
from reviews.models import Deadline, Review, StageTransition
from reviews.selectors.handoffs import board_managers, chairs
from reviews.services.clock import deadline_close, deadline_open
from reviews.services.handoffs import handoff_notify
from reviews.services.review import (
    check_not_future,
    review_lock,
    timeline_event_record,
)
from reviews.workdays import add_working_days
from scr.versions import check_unchanged

PUBLICATION = StageTransition.Kind.PUBLICATION


def notice_due_on(*, review: Review, planned_on: date) -> date | None:
    """When the national bodies must have the report, counted back from the planned
    publication date by the review type's notice period; None if it sets none."""
    notice = review.type_profile.publication_notice
    if notice is None:
        return None
    number, unit = notice
    if unit == "working_days":
        return add_working_days(planned_on, -number, settings.SCR_JURISDICTION)
    return planned_on - timedelta(days=number)


def _lock(review: Review) -> Review:
    review = review_lock(review)
    if review.stage != Review.Stage.PUBLICATION:
        raise ValidationError("Publication is planned once the action plan is agreed")
    return review


def _notice_period_text(review: Review) -> str:
    number, unit = review.type_profile.publication_notice
    return f"{number} {'working days' if unit == 'working_days' else 'days'}"


@transaction.atomic
def publication_plan_save(
    *,
    review: Review,
    actor: User,
    form: str,
    planned_on: date | None,
    rationale: str,
    version: int | None = None,
) -> PublicationPlan:
    """Set what will be published and when; opens (or moves) the notice to the national bodies,
    and withdraws any earlier approval by the chair."""
    review = _lock(review)
    plan = PublicationPlan.objects.filter(review=review).first() or PublicationPlan(review=review)
    check_unchanged(plan, version, what="The publication plan")
    if form != PublicationPlan.Form.FULL and not rationale.strip():
        raise ValidationError({"rationale": "Explain why the full report will not be published"})
    if form == PublicationPlan.Form.NONE:
        planned_on = None
    elif planned_on is None:
        raise ValidationError({"planned_on": "Enter the planned publication date"})
    elif planned_on <= timezone.localdate():
        raise ValidationError({"planned_on": "Planned publication date must be in the future"})
    due_on = notice_due_on(review=review, planned_on=planned_on) if planned_on else None
    if due_on and due_on < timezone.localdate() and not plan.national_bodies_sent_on:
        raise ValidationError(
            {
                "planned_on": "Planned publication date must leave "
                f"{_notice_period_text(review)} for the national bodies to have the report"
            }
        )
    was_approved = plan.is_approved
    plan.form, plan.planned_on, plan.rationale = form, planned_on, rationale.strip()
    plan.approved_by, plan.approved_at, plan.updated_by = None, None, actor
    reason = "plan changed: approval withdrawn" if was_approved else "plan saved"
    plan._history_user, plan._change_reason = actor, reason
    plan.save()
    if due_on and not plan.national_bodies_sent_on:
        deadline_open(
            review=review, kind=Deadline.Kind.PUBLICATION_NOTICE, due_on=due_on, actor=actor
        )
    elif form == PublicationPlan.Form.NONE:
        deadline_close(
            review=review,
            kind=Deadline.Kind.PUBLICATION_NOTICE,
            actor=actor,
            state=Deadline.State.WAIVED,
        )
    summary = f"Publication plan: {plan.get_form_display().lower()}"
    if planned_on:
        summary += f" on {planned_on:%-d %B %Y}"
    timeline_event_record(
        review=review, kind=PUBLICATION, actor=actor, summary=summary, reason=rationale
    )
    handoff_notify(
        "plan_awaits_approval",
        review=review,
        actor=actor,
        people=chairs(),
        text=f"the publication plan ({plan.get_form_display().lower()}) awaits your approval",
        url=reverse("publication:plan", args=[review.reference]),
    )
    return plan


@transaction.atomic
def publication_notice_record(*, review: Review, actor: User, sent_on: date) -> PublicationPlan:
    """Record the day the report went to the national bodies; meets the notice deadline."""
    review = _lock(review)
    plan = PublicationPlan.objects.filter(review=review).first()
    if plan is None or plan.form == PublicationPlan.Form.NONE:
        raise ValidationError("Plan the publication first")
    check_not_future(sent_on, field="sent_on", label="Date the report was sent")
    plan.national_bodies_sent_on = sent_on
    plan._history_user, plan._change_reason = actor, "report sent to the national bodies"
    plan.save()
    deadline_close(review=review, kind=Deadline.Kind.PUBLICATION_NOTICE, actor=actor)
    timeline_event_record(
        review=review,
        kind=PUBLICATION,
        actor=actor,
        summary="Report sent to the national bodies before publication",
        occurred_on=sent_on,
    )
    return plan


@transaction.atomic
def publication_approve(
    *, review: Review, actor: User, version: int | None = None
) -> PublicationPlan:
    """The chair approves the publication plan as she read it (``version``); a plan changed
    since is refused, not approved, and so is one whose review has a check not met yet (the
    family not yet shown the report: see reviews.gates)."""
    review = _lock(review)
    plan = PublicationPlan.objects.select_for_update().filter(review=review).first()
    if plan is None:
        raise ValidationError("There is no publication plan to approve")
    check_unchanged(plan, version, what="The publication plan", nothing="approved")
    if plan.is_approved:
        raise ValidationError("The publication plan is already approved")
    if plan.updated_by_id == actor.pk:
        raise ValidationError(
            "You made the last change to this plan: another person must approve it"
        )
    if unmet := gate_unmet(PUBLICATION_APPROVAL, review=review):
        raise ValidationError(unmet)
    plan.approved_by, plan.approved_at = actor, timezone.now()
    plan._history_user, plan._change_reason = actor, "approved by the chair"
    plan.save()
    timeline_event_record(
        review=review,
        kind=PUBLICATION,
        actor=actor,
        summary=f"Publication plan approved: {plan.get_form_display().lower()}",
    )
    handoff_notify(
        "publication_approved",
        review=review,
        actor=actor,
        people=board_managers(),
        text=f"the chair approved the publication plan ({plan.get_form_display().lower()})",
        url=reverse("publication:plan", args=[review.reference]),
    )
    return plan
