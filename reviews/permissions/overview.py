"""Who may see, draft, comment on and agree the overview report (stage 5)."""

from agencies.models import User
from reviews.models import Review
from reviews.permissions.panel import can_view_panel, is_current_author
from reviews.permissions.review import holds, is_agency_lead_in, open_review_only
from reviews.selectors.overview import comment_round_open_get


@open_review_only
def can_draft_overview(user: User, review: Review) -> bool:
    """The author (or the board manager for them) uploads drafts, sends them for comments and
    writes the recommendations, at the overview stage."""
    return review.stage == Review.Stage.OVERVIEW and (
        holds(user, "reviews.manage_panel", review) or is_current_author(user, review)
    )


@open_review_only
def can_finalise_overview(user: User, review: Review) -> bool:
    """The board manager records that the panel agreed the final report."""
    return review.stage == Review.Stage.OVERVIEW and holds(user, "reviews.manage_panel", review)


def can_view_overview(user: User, review: Review) -> bool:
    """The panel and the author, and the leads of agencies with a report in the review, see
    the overview report once stage 5 has begun."""
    return review.overview_started and (
        can_view_panel(user, review) or is_agency_lead_in(user, review)
    )


def can_view_recommendations(user: User, review: Review) -> bool:
    """Agency leads see the recommendations once the report is agreed, not while drafted (nor
    those of a review closed before its report was agreed); the panel sees them throughout."""
    if can_view_panel(user, review):
        return True
    return review.stage != Review.Stage.OVERVIEW and review.overview_agreements.exists()


@open_review_only
def can_comment_on_overview(user: User, review: Review) -> bool:
    """While a round of comments is open, the panel and the agencies in it comment."""
    return can_view_overview(user, review) and comment_round_open_get(review=review) is not None


def can_read_report_text(user: User, review: Review) -> bool:
    """The report's text, version by version, is the panel's: the author, the panel, the chair
    and the board manager read it once stage 5 has begun; agency leads see only drafts sent to
    them for comments."""
    return can_view_overview(user, review) and can_view_panel(user, review)
