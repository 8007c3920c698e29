"""Who may read, mark and download the combined chronology (stage 5).

Agency leads never see it: it holds every agency's entries, and a lead sees only their own
agency's material (DESIGN.md §2). Their own chronology stays on their report."""

from agencies.models import User
from reviews.models import Review
from reviews.permissions.panel import can_view_panel, is_current_author
from reviews.permissions.review import holds, open_review_only

# Key practice episodes are marked while the author works towards the overview report; once
# the report is agreed (the review moved past stage 5) the marks are what the report used.
MARKING_STAGES = (Review.Stage.AGENCY_REPORTS, Review.Stage.OVERVIEW)


def can_view_combined_chronology(user: User, review: Review) -> bool:
    """The board manager, the chair, the review's panel and its current author."""
    return can_view_panel(user, review)


@open_review_only
def can_mark_key_episodes(user: User, review: Review) -> bool:
    """Only the current author marks key practice episodes, until the report is agreed."""
    return review.stage in MARKING_STAGES and is_current_author(user, review)


def can_export_combined_chronology(user: User, review: Review) -> bool:
    """The current author and the board manager download the combined chronology."""
    return is_current_author(user, review) or holds(user, "reviews.manage_panel", review)
