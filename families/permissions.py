"""Who may see and record a review's family. Family records are for the board manager, the
chair and the review's current author only: agency leads and panel members never see them.
Each predicate checks the global permission itself (the roles that hold these hold them over
every review)."""

from agencies.models import User
from reviews.models import Review
from reviews.permissions.panel import is_current_author
from reviews.permissions.review import holds, open_review_only


def can_view_family(user: User, review: Review) -> bool:
    """Board managers and chairs (a global permission) and the review's current author."""
    return holds(user, "families.view_familymember") or is_current_author(user, review)


@open_review_only
def can_manage_family(user: User, review: Review) -> bool:
    """Only the board manager adds and changes family records, and writes to the family."""
    return holds(user, "families.change_familymember")
