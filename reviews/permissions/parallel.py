"""Who may see and record the processes running beside a review. The review's parties who
see its panel papers (the board manager, the chair, the panel and the author) see the
processes and what they hold back; who to contact about each (often the police's senior
investigating officer) is for the board manager and the chair only. Agency leads see none of
it: they see the clock's state where their own deadlines show it."""

from agencies.models import User
from reviews.models import Review
from reviews.permissions.review import can_view_all_reviews, holds, open_review_only


def can_view_parallel(user: User, review: Review) -> bool:
    """The board manager, the chair, the panel's members and the author."""
    return holds(user, "reviews.view_panel", review)


def can_view_parallel_contacts(user: User, review: Review) -> bool:
    """Board managers and chairs, who see every review, see who to contact about each process."""
    return can_view_parallel(user, review) and can_view_all_reviews(user)


@open_review_only
def can_manage_parallel(user: User, review: Review) -> bool:
    """Board managers record, correct and end a review's parallel processes, while it is open."""
    return holds(user, "reviews.manage_panel", review)
