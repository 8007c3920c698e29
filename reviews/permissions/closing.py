"""Who may close a review, and who sees the board's action log."""

from agencies.models import User
from reviews.models import Review
from reviews.permissions.review import (
    can_view_all_reviews,
    holds,
    is_agency_lead_of,
    open_review_only,
)


@open_review_only
def can_close_review(user: User, review: Review) -> bool:
    """The board manager signs off a review at publication, or closes it handing its open
    actions to the board's action log (whether publication is done is the services' gate)."""
    return review.stage == Review.Stage.PUBLICATION and holds(user, "reviews.manage_panel", review)


@open_review_only
def can_withdraw_review(user: User, review: Review) -> bool:
    """The board manager withdraws a review at any stage until it is closed."""
    return holds(user, "reviews.manage_panel", review)


def can_see_whole_action_log(user: User) -> bool:
    """Board managers and chairs see every agency's handed-over actions."""
    return can_view_all_reviews(user)


def can_view_action_log(user: User) -> bool:
    """Board managers and chairs, and agency leads (their own agency's actions only)."""
    return can_see_whole_action_log(user) or (
        user.agency_id is not None and is_agency_lead_of(user, user.agency_id)
    )
