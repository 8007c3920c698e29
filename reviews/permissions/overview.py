"""Who may see, draft, comment on and agree the overview report (stage 5)."""

from agencies.models import User
from reviews.models import Review
from reviews.permissions.panel import is_current_author
from reviews.permissions.review import holds


def can_draft_overview(user: User, review: Review) -> bool:
    """The author (or the board manager for them) uploads drafts, sends them for comments and
    writes the recommendations, at the overview stage."""
    return review.stage == Review.Stage.OVERVIEW and (
        holds(user, "reviews.manage_panel", review) or is_current_author(user, review)
    )


def can_finalise_overview(user: User, review: Review) -> bool:
    """The board manager records that the panel agreed the final report."""
    return review.stage == Review.Stage.OVERVIEW and holds(user, "reviews.manage_panel", review)
