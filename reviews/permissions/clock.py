"""Who may see every deadline and move the clock."""

from agencies.models import User
from reviews.models import Review
from reviews.permissions.review import holds


def can_see_every_deadline(user: User) -> bool:
    """Board managers track every deadline."""
    return holds(user, "reviews.manage_panel")


def can_manage_clock(user: User, review: Review | None = None) -> bool:
    """Board managers move, waive and stop the clock (of any review, or of ``review``), with
    reasons."""
    return holds(user, "reviews.manage_panel", review)
