"""Who may change and approve a review's publication plan. Each predicate checks the global
permission itself (the roles that hold these hold them over every review). Who may see stage 7
at all is the review's rule: ``reviews.permissions.review.can_view_publication``."""

from agencies.models import User
from publication.models import PublicationPlan
from reviews.models import Review
from reviews.permissions.review import holds


def _has(user: User, perm: str) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(perm)


def can_plan_publication(user: User, review: Review) -> bool:
    """The board manager sets the plan and records the notice, at the publication stage."""
    return review.stage == Review.Stage.PUBLICATION and _has(user, "publication.plan_publication")


def can_approve_publication(user: User, review: Review) -> bool:
    """The chair approves a plan not yet approved."""
    if review.stage != Review.Stage.PUBLICATION or not _has(
        user, "publication.approve_publication"
    ):
        return False
    plan = PublicationPlan.objects.filter(review=review).first()
    return plan is not None and not plan.is_approved


def can_view_pseudonyms(user: User, review: Review) -> bool:
    """The board manager and the chair see a review's pseudonym map and check text against it:
    it holds the subject's, the family's and the workers' real names, which nobody else sees
    together (the author writes with the replacements, which the review already names)."""
    return holds(user, "publication.view_pseudonymentry")


def can_manage_pseudonyms(user: User, review: Review) -> bool:
    """Only the board manager fills the map and adds, changes and removes its entries."""
    return holds(user, "publication.change_pseudonymentry")


def can_send_submission_pack(user: User, review: Review) -> bool:
    """The board manager builds a review's submission pack and records it sent."""
    return _has(user, "publication.plan_publication")
