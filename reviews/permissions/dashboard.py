"""Who sees the board's dashboard."""

from agencies.models import User
from reviews.permissions.review import can_view_all_reviews


def can_view_dashboard(user: User) -> bool:
    """Board managers and chairs, who see every review: the dashboard is their home page."""
    return can_view_all_reviews(user)
