"""Reads of closing a review: what stops its sign-off, and the board's action log (the actions
handed over from closed reviews)."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from agencies.models import User
from reviews.models import Action, ActionUpdate, Review
from reviews.permissions.closing import can_see_whole_action_log, can_view_action_log

# The action log's status filter: an action's own statuses, and "overdue" (past its target and
# not complete), as the action plan shows it.
OVERDUE = "overdue"


@dataclass(frozen=True)
class SignOffBlocker:
    """An action of the plan that stops the review being signed off, and why."""

    number: int  # its place in the plan (1 for the first action), as the plan lists them
    action: Action
    missing: str


def _with_evidence() -> Exists:
    """Whether the action has a progress update marking it complete with evidence."""
    return Exists(
        ActionUpdate.objects.filter(action=OuterRef("pk"), status=Action.Status.COMPLETE).exclude(
            evidence=""
        )
    )


def sign_off_blockers(*, review: Review) -> list[SignOffBlocker]:
    """Each action of the review's plan that is not complete with evidence, with its number in
    the plan and what is missing (empty: the plan may be signed off); two queries."""
    actions = review.actions.select_related("recommendation", "agency").annotate(
        has_evidence=_with_evidence()
    )
    blockers = []
    for number, action in enumerate(actions, start=1):
        if action.status != Action.Status.COMPLETE:
            missing = f"not complete ({action.status_label.lower()})"
        elif not action.has_evidence:
            missing = "marked complete with no evidence recorded"
        else:
            continue
        blockers.append(SignOffBlocker(number, action, missing))
    return blockers


def actions_open(*, review: Review) -> QuerySet[Action]:
    """The review's actions not yet complete: those closing hands to the board's action log."""
    return (
        review.actions.exclude(status=Action.Status.COMPLETE)
        .select_related("recommendation", "agency")
        .order_by("recommendation__number", "id")
    )


def action_log_list(
    *, user: User, agency_id: int | None = None, status: str = ""
) -> QuerySet[Action]:
    """The board's action log as the user may see it: every action handed over from a closed
    review (board managers and chairs), or only the user's own agency's (an agency lead;
    none for anyone else), filtered by agency and status, the most recently handed over
    first."""
    actions = Action.objects.filter(handed_over_at__isnull=False).select_related(
        "review", "recommendation", "agency", "handed_over_by"
    )
    if not can_see_whole_action_log(user):
        if user.agency_id is None or not can_view_action_log(user):
            return actions.none()
        actions = actions.filter(agency_id=user.agency_id)
    if agency_id is not None:
        actions = actions.filter(agency_id=agency_id)
    if status == OVERDUE:
        actions = actions.exclude(status=Action.Status.COMPLETE).filter(
            target_on__lt=timezone.localdate()
        )
    elif status:
        actions = actions.filter(status=status)
        if status != Action.Status.COMPLETE:
            actions = actions.exclude(target_on__lt=timezone.localdate())
    return actions.order_by("-handed_over_at", "review__reference", "recommendation__number", "id")
