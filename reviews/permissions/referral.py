"""Who may record the referral, the notification, the rapid review and the decision."""

from agencies.models import User
from reviews.models import Review
from reviews.permissions.review import holds, open_review_only


def can_record_referral(user: User) -> bool:
    """Board managers record referrals."""
    return holds(user, "reviews.add_review")


@open_review_only
def can_record_decision(user: User, review: Review) -> bool:
    """A chair records the threshold decision, or a board manager on a chair's behalf; only
    while the review awaits one, and only after its rapid review if its type has one (needs
    ``rapid_review`` joined)."""
    return (
        review.stage == Review.Stage.REFERRAL
        and not review.needs_rapid_review
        and (
            holds(user, "reviews.record_decision", review)
            or holds(user, "reviews.record_decision_for_chair", review)
        )
    )


def records_decision_for_chair(user: User, review: Review) -> bool:
    """Whether the user records a chair's decision on the chair's behalf (a board manager),
    rather than their own (a chair)."""
    return not holds(user, "reviews.record_decision", review) and holds(
        user, "reviews.record_decision_for_chair", review
    )


@open_review_only
def can_record_notification(user: User, review: Review) -> bool:
    """Board managers record when the national bodies were told of the incident, once."""
    return (
        review.profile.notify_national_bodies_working_days is not None
        and review.national_bodies_notified_on is None
        and review.stage != Review.Stage.CLOSED
        and holds(user, "reviews.add_review")
    )


@open_review_only
def can_record_rapid_review(user: User, review: Review) -> bool:
    """Board managers record the rapid review of a review that needs one before its decision
    (needs ``rapid_review`` joined)."""
    return (
        review.stage == Review.Stage.REFERRAL
        and review.needs_rapid_review
        and holds(user, "reviews.add_review")
    )
