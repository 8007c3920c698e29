"""Reads of a review's publication plan, and the publication steps waiting for a person."""

from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from publication.models import PublicationPlan
from reviews.models import Deadline, Review
from reviews.selectors.handoffs import WorkItem, stage_reached


def publication_plan_get(*, review: Review) -> PublicationPlan | None:
    """The review's publication plan, if one has been made."""
    return PublicationPlan.objects.filter(review=review).first()


def publication_notice_deadline(*, review: Review) -> Deadline | None:
    """The deadline for sending the report to the national bodies before publication."""
    return review.deadlines.filter(kind=Deadline.Kind.PUBLICATION_NOTICE).first()


def publication_work(user: User) -> list[WorkItem]:
    """The publication steps waiting for the person: plans to write (board managers) and plans
    to approve (chairs; not a plan they changed last)."""
    items = []
    if user.is_active and user.has_perm("publication.plan_publication"):
        unplanned = (
            Review.objects.filter(stage=Review.Stage.PUBLICATION, publication_plan__isnull=True)
            .annotate(since=stage_reached())
            .values_list("reference", "since")
        )
        items += [
            WorkItem(
                "Plan the publication",
                ref,
                reverse("publication:plan_edit", args=[ref]),
                timezone.localdate(at),
            )
            for ref, at in unplanned
        ]
    if user.is_active and user.has_perm("publication.approve_publication"):
        plans = (
            PublicationPlan.objects.filter(
                review__stage=Review.Stage.PUBLICATION, approved_at__isnull=True
            )
            .exclude(updated_by=user)
            .values_list("review__reference", "updated_at", "planned_on")
        )
        items += [
            WorkItem(
                "Approve the publication plan",
                ref,
                reverse("publication:approve", args=[ref]),
                timezone.localdate(at),
                detail=f"Planned for {planned_on:%-d %B %Y}" if planned_on else "Not to publish",
            )
            for ref, at, planned_on in plans
        ]
    return items
