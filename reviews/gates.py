"""Checks an app above reviews puts in the way of a step of the lifecycle.

Apps above reviews do not import each other (publication and families are independent), yet
one's step may wait on the other's records: the publication plan is not approved until the
family has been shown the report. The app that owns the records registers a check here, in its
AppConfig.ready(); the app that owns the step asks ``gate_unmet`` before taking it.
"""

from collections.abc import Callable

from reviews.models import Review

PUBLICATION_APPROVAL = "publication_approval"
# Signing off a review, or closing it with its open actions handed to the board's action log:
# publication registers here that the review's publication is done.
REVIEW_CLOSE = "review_close"

# A check takes the review and returns what is still to be done, in sentences: none when met.
Check = Callable[[Review], list[str]]
_CHECKS: dict[str, list[Check]] = {}


def gate_register(step: str, check: Check) -> Check:
    """Put ``check`` in the way of ``step``; registering it twice keeps it once."""
    checks = _CHECKS.setdefault(step, [])
    if check not in checks:
        checks.append(check)
    return check


def gate_unmet(step: str, *, review: Review) -> list[str]:
    """What every check registered for ``step`` says is still to be done in the review."""
    return [message for check in _CHECKS.get(step, []) for message in check(review)]
