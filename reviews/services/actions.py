"""Stage 6: the action plan. Each action opens a deadline at its target date, owned by its
agency; progress updates keep its status, and completion (with evidence) meets the deadline."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, User
from agencies.selectors import agency_lead_list
from reviews.models import Action, ActionUpdate, Deadline, Recommendation, Review
from reviews.selectors.actions import action_plan_version
from reviews.selectors.handoffs import board_managers, chairs
from reviews.services.clock import deadline_close, deadline_open, deadline_reschedule
from reviews.services.handoffs import handoff_notify
from reviews.services.review import (
    repeated_submission,
    review_check_open,
    review_lock,
    stage_move,
)
from scr.versions import check_unchanged

# Stages at which actions are added and their targets moved: while the plan is drawn up, and
# after it is agreed until the review closes.
PLAN_STAGES = (Review.Stage.ACTION_PLAN, Review.Stage.PUBLICATION)


def _save(action: Action, actor: User, reason: str) -> Action:
    action._history_user, action._change_reason = actor, reason
    action.save()
    return action


def _check_future(target_on: date) -> None:
    if target_on <= timezone.localdate():
        raise ValidationError({"target_on": "Target date must be in the future"})


@transaction.atomic
def action_create(
    *,
    review: Review,
    actor: User,
    recommendation: Recommendation,
    agency: Agency,
    lead_name: str,
    change: str,
    difference: str,
    target_on: date,
    submission: uuid.UUID | None = None,
) -> Action:
    """Add an action answering one of the review's recommendations, with its deadline."""
    review = review_lock(review)
    if earlier := repeated_submission(Action, submission):
        return earlier
    if review.stage not in PLAN_STAGES:
        raise ValidationError("Actions are added once the overview report is agreed")
    kept = review.recommendations.filter(pk=recommendation.pk, removed_at__isnull=True)
    if not kept.exists():
        raise ValidationError({"recommendation": "Select one of this review's recommendations"})
    _check_future(target_on)
    action = Action(
        review=review,
        recommendation=recommendation,
        agency=agency,
        lead_name=lead_name.strip(),
        change=change.strip(),
        difference=difference.strip(),
        target_on=target_on,
        created_by=actor,
        submission=submission,
    )
    _save(action, actor, "added")
    deadline_open(
        review=review,
        kind=Deadline.Kind.ACTION,
        due_on=target_on,
        actor=actor,
        owner_agency=agency,
        action=action,
    )
    handoff_notify(
        "action_assigned",
        review=review,
        actor=actor,
        people=agency_lead_list(agency_ids=[agency.pk]),
        text=f"an action for {agency} on recommendation {recommendation.number}, due "
        f"{target_on:%-d %B %Y}: keep its progress up to date",
        url=_action_url(action),
    )
    return action


def _action_url(action: Action) -> str:
    return reverse("reviews:action", args=[action.review.reference, action.pk])


def _lock(action: Action) -> Action:
    """The action locked after its review (``review_lock``), so it queues behind the closing
    of the review; refused once the review is closed unless the action was handed over to the
    board's action log, whose progress goes on."""
    review_lock(action.review_id, closed_ok=True)
    action = (
        Action.objects.select_for_update(of=("self",)).select_related("review").get(pk=action.pk)
    )
    if action.handed_over_at is None:
        review_check_open(action.review)
    return action


@transaction.atomic
def action_progress(
    *,
    action: Action,
    actor: User,
    status: str,
    note: str,
    evidence: str,
    submission: uuid.UUID | None = None,
) -> ActionUpdate:
    """Record progress on an open action; a complete one needs its evidence and meets the
    deadline. Once the review is closed, only an action handed over to the board's action log
    takes progress."""
    action = _lock(action)
    if earlier := repeated_submission(ActionUpdate, submission):
        return earlier
    if action.status == Action.Status.COMPLETE:
        raise ValidationError("The action is complete")
    if not note.strip():
        raise ValidationError({"note": "Enter what has happened since the last update"})
    if status == Action.Status.COMPLETE and not evidence.strip():
        raise ValidationError({"evidence": "Enter the evidence that the action is complete"})
    update = ActionUpdate(
        action=action,
        status=status,
        note=note.strip(),
        evidence=evidence.strip(),
        author=actor,
        submission=submission,
    )
    update._history_user, update._change_reason = actor, "progress"
    update.save()
    action.status = status
    if status == Action.Status.COMPLETE:
        action.completed_on = timezone.localdate()
        deadline_close(review=action.review, kind=Deadline.Kind.ACTION, actor=actor, action=action)
    _save(action, actor, f"progress: {action.get_status_display().lower()}")
    handoff_notify(
        "action_updated",
        review=action.review,
        actor=actor,
        people=board_managers(),
        text=f"{action.agency} updated its action on recommendation "
        f"{action.recommendation.number}: {action.get_status_display().lower()}",
        url=_action_url(action),
    )
    return update


@transaction.atomic
def action_target_move(
    *, action: Action, actor: User, target_on: date, reason: str, version: int | None = None
) -> Action:
    """Move an open action's target date, and its deadline, with the reason; refused if the
    action changed since it was read at ``version``."""
    action = _lock(action)
    review_check_open(action.review)
    check_unchanged(action, version, what="The action")
    if action.status == Action.Status.COMPLETE:
        raise ValidationError("The action is complete")
    if action.review.stage not in PLAN_STAGES:
        raise ValidationError("The review is closed")
    _check_future(target_on)
    deadline = Deadline.objects.get(kind=Deadline.Kind.ACTION, action=action)
    deadline_reschedule(deadline=deadline, actor=actor, due_on=target_on, reason=reason)
    action.target_on = target_on
    return _save(action, actor, f"target moved: {reason.strip()}")


def _plan_changes(review: Review, seen: str) -> list[str]:
    """What changed in the plan since the confirmation page showed ``seen``."""
    pairs = (pair.partition(".") for pair in seen.removeprefix("actions:").split(","))
    shown = {pk: history_id for pk, _, history_id in pairs}
    changes = []
    for action in review.actions.select_related("recommendation", "agency"):
        latest = action.history.select_related("history_user").order_by("-history_id").first()
        what = f"recommendation {action.recommendation.number} ({action.agency})"
        who = (latest.history_user if latest else None) or "someone else"
        if str(action.pk) not in shown:
            changes.append(f"an action for {what} was added by {who}")
        elif latest and shown[str(action.pk)] != str(latest.history_id):
            changes.append(f"the action for {what} was changed by {who}")
    return changes


def _check_plan_unchanged(review: Review, seen: str | None) -> None:
    """Raise ValidationError (code "conflict") if an action was added or changed since the
    confirmation page showed ``seen``; no version (the shell, a task) checks nothing."""
    current = action_plan_version(review=review)
    if not seen or seen == current:
        return
    changes = _plan_changes(review, seen) or ["it was changed"]
    raise ValidationError(
        "The action plan changed after you opened this page: %(changes)s. Nothing was "
        "agreed. Check the plan below, then confirm again.",
        code="conflict",
        params={"changes": "; ".join(changes), "version": current},
    )


@transaction.atomic
def action_plan_agree(*, review: Review, actor: User, version: str | None = None) -> Review:
    """Record the board's agreement of the action plan and move on to publication; every
    recommendation needs at least one action. ``version`` is what the person confirmed
    (``action_plan_version``): an action added or changed since is refused (ValidationError,
    code "conflict"), not agreed."""
    review = review_lock(review)
    review.check_transition(Review.Stage.PUBLICATION)
    _check_plan_unchanged(review, version)
    unanswered = list(
        review.recommendations.filter(removed_at__isnull=True, actions__isnull=True).values_list(
            "number", flat=True
        )
    )
    if unanswered:
        numbers = ", ".join(str(number) for number in unanswered)
        raise ValidationError(f"Add an action for each recommendation: none yet for {numbers}")
    count = review.actions.count()
    stage_move(
        review=review,
        to=Review.Stage.PUBLICATION,
        actor=actor,
        summary=f"Action plan agreed ({count} action{'s' if count != 1 else ''})",
    )
    owners = list(review.actions.values_list("agency_id", flat=True).distinct())
    handoff_notify(
        "action_plan_agreed",
        review=review,
        actor=actor,
        people=[*chairs(), *agency_lead_list(agency_ids=owners)],
        text="the action plan is agreed: the review moves to publication",
        url=reverse("reviews:actions", args=[review.reference]),
    )
    return review
