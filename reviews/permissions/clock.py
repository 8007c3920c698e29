"""Who may see every deadline and move the clock."""

from agencies.models import User
from reviews.models import Review
from reviews.permissions.review import can_view_all_reviews, holds, open_review_only


def can_see_every_deadline(user: User) -> bool:
    """Board managers track every deadline; chairs, who see every review, read them too (the
    dashboard's overdue figures link to them)."""
    return holds(user, "reviews.manage_panel") or can_view_all_reviews(user)


@open_review_only
def can_manage_clock(user: User, review: Review | None = None) -> bool:
    """Board managers move, waive and stop the clock (of any review, or of ``review``), with
    reasons."""
    return holds(user, "reviews.manage_panel", review)
