"""Who may use the board's information-governance tools.

The audit trail and the retention decisions are the board manager's: the board is the data
controller, and its manager answers information-governance requests and keeps the records
schedule (DESIGN.md §2: "manages agencies and users"). The chair is independent of the board's
administration and decides on the review's substance, not its records: the chair sees every
review, but not who looked at it. Both are global permissions held by the board manager's role.
"""

from agencies.models import User
from reviews.models import Review
from reviews.permissions.review import holds


def can_view_audit_trail(user: User, review: Review) -> bool:
    """The board manager sees (and exports) a review's audit trail, open or closed."""
    return holds(user, "governance.view_audit_trail")


def can_decide_retention(user: User) -> bool:
    """The board manager lists closed reviews past retention and keeps or destroys them."""
    return holds(user, "governance.decide_retention")
