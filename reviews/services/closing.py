"""Closing a review, the three ways it ends after the decision: signed off (every action of
the plan complete with evidence), closed with its open actions handed to the board's action
log, or withdrawn. The first two are taken at the publication stage once publication is done
(the ``REVIEW_CLOSE`` gate); withdrawal at any stage until the review is closed. Each is a
stage move to CLOSED on the timeline, in the review's history, with who, when, how and why,
and the chair, the author and the agency leads in scope are told.

Once closed, nothing in the review changes (``review_lock`` refuses every write), except the
progress of the actions handed to the board's action log."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from agencies.selectors import agency_lead_list
from reviews.gates import REVIEW_CLOSE, gate_unmet
from reviews.models import Deadline, Review
from reviews.selectors.closing import actions_open, sign_off_blockers
from reviews.selectors.handoffs import chairs, review_agencies_in_scope, review_author
from reviews.services.handoffs import handoff_notify
from reviews.services.review import review_close, review_lock


def _check_closable(review: Review) -> None:
    """Raise ValidationError unless the review is at publication and publication is done."""
    if review.stage != Review.Stage.PUBLICATION:
        raise ValidationError(
            "A review is signed off, or closed with its actions handed over, at the "
            "publication stage: withdraw it instead"
        )
    unmet = gate_unmet(REVIEW_CLOSE, review=review)
    if unmet:
        raise ValidationError(unmet, code="gate")


def _blockers_message(review: Review) -> list[str]:
    return [
        f"Action {b.number} ({b.action.agency}, recommendation {b.action.recommendation.number}) "
        f"is {b.missing}"
        for b in sign_off_blockers(review=review)
    ]


def _deadlines_settle(*, review: Review, actor: User, how: str, keep: set[int]) -> None:
    """Close the review's open deadlines: its completion target met (waived on withdrawal),
    every other one waived, except those of the actions in ``keep`` (handed over: the board
    goes on tracking them)."""
    reason = "review withdrawn" if how == Review.Closure.WITHDRAWN else "review closed"
    now = timezone.now()
    for deadline in review.deadlines.filter(state=Deadline.State.OPEN):
        if deadline.action_id in keep:
            continue
        met = deadline.kind == Deadline.Kind.REVIEW_COMPLETE and how != Review.Closure.WITHDRAWN
        deadline.state = Deadline.State.MET if met else Deadline.State.WAIVED
        deadline.closed_at, deadline.note = now, "" if met else reason
        deadline._history_user = actor
        deadline._change_reason = f"{deadline.get_state_display().lower()}: {reason}"
        deadline.save()


def _close(
    *, review: Review, how: str, actor: User, summary: str, reason: str, keep: set[int]
) -> Review:
    review_close(review=review, how=how, actor=actor, summary=summary, reason=reason)
    _deadlines_settle(review=review, actor=actor, how=how, keep=keep)
    leads = agency_lead_list(agency_ids=review_agencies_in_scope(review=review))
    handoff_notify(
        "review_closed",
        review=review,
        actor=actor,
        people=[*chairs(), *review_author(review=review), *leads],
        text=summary[0].lower() + summary[1:],
        url=review.get_absolute_url(),
    )
    return review


@transaction.atomic
def review_sign_off(*, review: Review, actor: User) -> Review:
    """Sign the review off and close it: at publication, once publication is done, with every
    action of its plan complete with evidence; raises ValidationError listing what stops it."""
    review = review_lock(review)
    _check_closable(review)
    blockers = _blockers_message(review)
    if blockers:
        raise ValidationError(blockers, code="blockers")
    count = review.actions.count()
    return _close(
        review=review,
        how=Review.Closure.SIGNED_OFF,
        actor=actor,
        summary="Review signed off: closed",
        reason=f"Every action of the plan is complete with evidence ({count}).",
        keep=set(),
    )


@transaction.atomic
def review_hand_over(*, review: Review, actor: User, reason: str) -> Review:
    """Close the review at publication, once publication is done, handing every action still
    open to the board's action log (when and by whom kept on each), with the reason; raises
    ValidationError. A plan that may be signed off is signed off instead."""
    review = review_lock(review)
    _check_closable(review)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the review closes with actions still open"})
    if not _blockers_message(review):
        raise ValidationError("Every action is complete with evidence: sign the review off")
    handed = list(actions_open(review=review))
    now = timezone.now()
    for action in handed:
        action.handed_over_at, action.handed_over_by = now, actor
        action._history_user = actor
        action._change_reason = "handed over to the board's action log"
        action.save()
    count = len(handed)
    plural = "action" if count == 1 else "actions"
    return _close(
        review=review,
        how=Review.Closure.HANDED_OVER,
        actor=actor,
        summary=f"Review closed: {count} open {plural} handed to the board's action log",
        reason=reason.strip(),
        keep={action.pk for action in handed},
    )


@transaction.atomic
def review_withdraw(*, review: Review, actor: User, reason: str) -> Review:
    """Withdraw the review, at any stage until it is closed, with the reason; raises
    ValidationError."""
    review = review_lock(review)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the review is withdrawn"})
    return _close(
        review=review,
        how=Review.Closure.WITHDRAWN,
        actor=actor,
        summary=f"Review withdrawn at the {review.get_stage_display().lower()} stage",
        reason=reason.strip(),
        keep=set(),
    )
