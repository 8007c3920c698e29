"""Who may see the board's statistics."""

from agencies.models import User
from reviews.permissions.review import can_view_all_reviews


def can_view_statistics(user: User) -> bool:
    """Board managers and chairs, who see every review: the statistics count all of them."""
    return can_view_all_reviews(user)
