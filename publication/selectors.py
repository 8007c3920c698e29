"""Reads of a review's publication plan."""

from publication.models import PublicationPlan
from reviews.models import Deadline, Review


def publication_plan_get(*, review: Review) -> PublicationPlan | None:
    """The review's publication plan, if one has been made."""
    return PublicationPlan.objects.filter(review=review).first()


def publication_notice_deadline(*, review: Review) -> Deadline | None:
    """The deadline for sending the report to the national bodies before publication."""
    return review.deadlines.filter(kind=Deadline.Kind.PUBLICATION_NOTICE).first()
