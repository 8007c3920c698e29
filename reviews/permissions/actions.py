"""Who may see and change the action plan (stage 6)."""

from agencies.models import User
from reviews.models import Action, Review
from reviews.permissions.panel import can_view_panel
from reviews.permissions.review import (
    holds,
    is_agency_lead_in,
    is_agency_lead_of,
    open_review_only,
)


@open_review_only
def can_manage_actions(user: User, review: Review) -> bool:
    """The board manager adds actions, moves their targets and agrees the plan."""
    return review.stage in (Review.Stage.ACTION_PLAN, Review.Stage.PUBLICATION) and holds(
        user, "reviews.manage_panel", review
    )


@open_review_only
def can_agree_action_plan(user: User, review: Review) -> bool:
    """The board manager records the board's agreement of the plan, while it is drawn up."""
    return review.stage == Review.Stage.ACTION_PLAN and can_manage_actions(user, review)


def can_update_action(user: User, action: Action) -> bool:
    """The owning agency's lead, or the board manager, records progress on an open action;
    once the review is closed, only on an action handed over to the board's action log."""
    closed = action.review.stage == Review.Stage.CLOSED and action.handed_over_at is None
    return (
        not closed
        and action.status != Action.Status.COMPLETE
        and (
            holds(user, "reviews.manage_panel", action.review)
            or is_agency_lead_of(user, action.agency_id)
        )
    )


def can_view_action_plan(user: User, review: Review) -> bool:
    """The panel and the author, and the leads of agencies with a report in the review, see
    the action plan once stage 6 has begun."""
    return review.action_plan_started and (
        can_view_panel(user, review) or is_agency_lead_in(user, review)
    )


@open_review_only
def can_move_action_target(user: User, action: Action) -> bool:
    """The board manager moves the target of an open action, with a reason."""
    return can_manage_actions(user, action.review) and can_update_action(user, action)
