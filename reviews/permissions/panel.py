"""Who may see and convene the panel, and appoint the author."""

from agencies.models import User
from agencies.permissions import permission_memo
from reviews.models import AuthorAppointment, Review
from reviews.permissions.review import holds, open_review_only


def can_view_panel(user: User, review: Review) -> bool:
    """Board managers, chairs, seated members and the author see the panel and its papers."""
    return holds(user, "reviews.view_panel", review)


@open_review_only
def can_manage_panel(user: User, review: Review) -> bool:
    """Board managers seat members, set terms of reference and record meetings, while the
    review has a panel (needs ``decision`` joined)."""
    return review.has_panel and holds(user, "reviews.manage_panel", review)


@open_review_only
def can_set_terms(user: User, review: Review) -> bool:
    """Board managers set the terms of reference of any review the decision let go ahead,
    with a panel or not (a single-agency review has none), while it is open."""
    decided = review.stage not in (Review.Stage.REFERRAL, Review.Stage.CLOSED)
    return decided and holds(user, "reviews.manage_panel", review)


@open_review_only
def can_appoint_author(user: User, review: Review) -> bool:
    """The chair appoints the overview author while the review has a panel."""
    return review.has_panel and holds(user, "reviews.appoint_author", review)


def is_current_author(user: User, review: Review) -> bool:
    """Whether the user is the review's appointed overview author now."""
    if not (user.is_authenticated and user.is_active):
        return False
    return permission_memo(
        ("current_author", user.pk, review.pk),
        lambda: AuthorAppointment.objects.filter(
            review=review, person=user, ended_at__isnull=True
        ).exists(),
    )
