"""Who may see and keep a review's lessons, its learning brief and where its learning was
shared, who may search the lessons library, and who may see the board's statistics.

The lessons come from the agreed report, so they are read by those who read the report's text
(the panel, the author, the chair and the board manager) once it is agreed. The board manager
keeps them and the brief, while the review is open (a closed review is a record). Recording
where the learning was shared is the board's work after the review as much as during it (like
progress on the action log), so it stays open once the review is closed.
"""

from agencies.models import User
from reviews.models import Review
from reviews.permissions.panel import can_view_panel
from reviews.permissions.review import can_view_all_reviews, holds, open_review_only


def report_agreed(review: Review) -> bool:
    """Whether the review's report is agreed: at the action plan stage or after it (a closed
    review: if its report was ever agreed)."""
    if review.stage == Review.Stage.CLOSED:
        return review.overview_agreements.exists()
    return review.stage in (Review.Stage.ACTION_PLAN, Review.Stage.PUBLICATION)


def can_view_lessons(user: User, review: Review) -> bool:
    """Those who read the report's text see its lessons, its brief and where they were shared,
    once the report is agreed."""
    return can_view_panel(user, review) and report_agreed(review)


@open_review_only
def can_manage_lessons(user: User, review: Review) -> bool:
    """The board manager adds, changes and tags lessons and recommendations."""
    return report_agreed(review) and holds(user, "reviews.manage_panel", review)


@open_review_only
def can_manage_brief(user: User, review: Review) -> bool:
    """The board manager drafts, edits and approves the learning brief."""
    return can_manage_lessons(user, review)


def can_record_dissemination(user: User, review: Review) -> bool:
    """The board manager records where the brief or report was shared, closed review or not."""
    return report_agreed(review) and holds(user, "reviews.manage_panel", review)


def can_search_lessons(user: User) -> bool:
    """Every signed-in person searches the lessons library (what each finds is scoped)."""
    return user.is_authenticated and user.is_active


def can_view_dissemination_log(user: User) -> bool:
    """The board manager and the chair see the board-wide log of where learning was shared."""
    return holds(user, "reviews.view_panel")


def can_view_statistics(user: User) -> bool:
    """Board managers and chairs, who see every review: the statistics count all of them."""
    return can_view_all_reviews(user)
