"""Who may see and change a review's publication plan. Each predicate checks the global
permission itself (the roles that hold these hold them over every review)."""

from agencies.models import User
from reviews.models import Review
from reviews.permissions.panel import can_view_panel


def _has(user: User, perm: str) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(perm)


def can_view_publication(user: User, review: Review) -> bool:
    """The panel, the author, the board manager and the chair see the plan once the review has
    reached publication; agency leads do not."""
    return review.stage in (Review.Stage.PUBLICATION, Review.Stage.CLOSED) and can_view_panel(
        user, review
    )


def can_plan_publication(user: User, review: Review) -> bool:
    """The board manager sets the plan and records the notice, at the publication stage."""
    return review.stage == Review.Stage.PUBLICATION and _has(user, "publication.plan_publication")


def can_approve_publication(user: User, review: Review, plan) -> bool:
    """The chair approves a plan not yet approved."""
    return (
        review.stage == Review.Stage.PUBLICATION
        and plan is not None
        and not plan.is_approved
        and _has(user, "publication.approve_publication")
    )
