"""Who sees a review's quality markers and who answers them. The board judges how its reviews
were run: the board manager and the chair see the markers of every review, across the board
too; only the board manager answers them, and asks for the board's figures to be counted again.

Answering is a board act, not a change to the review's work, so it goes on after the review
closes (the markers on implementation and evaluation are answered then): the answer predicate
does not wear ``open_review_only`` (tests/reviews/test_closing.py lists it with the reason)."""

from agencies.models import User
from reviews.models import Review
from reviews.permissions.review import holds


def can_view_quality_markers(user: User, review: Review | None = None) -> bool:
    """The board manager and the chair see a review's quality markers and the board's matrix."""
    return holds(user, "quality.view_qualityanswer")


def can_answer_quality_markers(user: User, review: Review) -> bool:
    """The board manager answers a review's markers, before and after it closes."""
    return holds(user, "quality.change_qualityanswer") and holds(user, "quality.add_qualityanswer")


def can_count_quality_markers(user: User) -> bool:
    """The board manager, who answers the markers, asks for the board's figures to be counted
    again; the chair reads them."""
    return holds(user, "quality.change_qualityanswer")
