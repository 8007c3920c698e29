"""Reads of reviews, scoped to what the reader may see."""

from django.db.models import Prefetch, QuerySet
from guardian.shortcuts import get_objects_for_user

from agencies.models import User
from reviews.models import (
    Deadline,
    Review,
    StageTransition,
)
from reviews.permissions.review import can_view_all_reviews


def review_list_visible_to(*, user: User) -> QuerySet[Review]:
    """Reviews the user may open: all of them for a global viewer, else those granted per object."""
    if not (user.is_authenticated and user.is_active):
        return Review.objects.none()
    if can_view_all_reviews(user):
        reviews = Review.objects.all()
    else:
        reviews = get_objects_for_user(
            user, "reviews.view_review", klass=Review, accept_global_perms=False
        )
    open_deadlines = Deadline.objects.filter(state=Deadline.State.OPEN).order_by("due_on", "id")
    return reviews.select_related("decision").prefetch_related(
        Prefetch("deadlines", queryset=open_deadlines, to_attr="open_deadlines")
    )


def review_list(*, user: User, stage: str = "", framework: str = "") -> QuerySet[Review]:
    """The review list, filtered by stage and review type when given."""
    reviews = review_list_visible_to(user=user)
    if stage:
        reviews = reviews.filter(stage=stage)
    if framework:
        reviews = reviews.filter(framework=framework)
    return reviews.order_by("-referred_on", "-id")


def review_get_for_detail(*, user: User, reference: str) -> Review | None:
    """One review with everything its page shows, or None if the user may not see it."""
    return (
        review_list_visible_to(user=user)
        .select_related(
            "referring_agency",
            "created_by",
            "subject_identity",
            "decision__decided_by",
            "decision__recorded_by",
            "rapid_review__recorded_by",
        )
        .prefetch_related(
            "agencies_involved",
            Prefetch("transitions", queryset=StageTransition.objects.select_related("actor")),
        )
        .filter(reference=reference)
        .first()
    )


def review_moved_to(*, user: User, reference: str) -> str | None:
    """The reference now of a review the user may see that had ``reference`` until its
    decision gave it its type's; None if there is none."""
    if not reference:
        return None
    return (
        review_list_visible_to(user=user)
        .filter(former_reference=reference)
        .values_list("reference", flat=True)
        .first()
    )
