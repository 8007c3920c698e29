"""Reads of reviews, scoped to what the reader may see, and of a review's timeline."""

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from agencies.models import User
from reviews.models import (
    Deadline,
    Review,
    StageTransition,
)
from reviews.permissions.panel import can_view_panel
from reviews.permissions.review import can_view_all_reviews, is_agency_lead_of


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
        .prefetch_related("agencies_involved")
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


@dataclass(frozen=True)
class AccessFold:
    """Access changes recorded between two stage changes, shown folded as one line of the
    timeline (newest first)."""

    events: list[StageTransition]

    @property
    def newest(self) -> StageTransition:
        return self.events[0]

    @property
    def oldest(self) -> StageTransition:
        return self.events[-1]


def timeline_for(
    *, review: Review, user: User, kinds: Collection[str] = ()
) -> list[StageTransition | AccessFold]:
    """The review's timeline, newest first, as the user may see it: every line for the panel
    (and the board manager, chair and author); for anyone else, an agency lead, the stage
    changes and their own agency's events. Only the ``kinds`` asked for, if any. Two or more
    access changes between the same two stage changes fold into one line."""
    events = review.transitions.select_related("actor").order_by("-at", "-id")
    if not can_view_panel(user, review):
        milestones = Q(kind=StageTransition.Kind.STAGE)
        agency_id = user.agency_id
        if agency_id is not None and is_agency_lead_of(user, agency_id):
            milestones |= Q(agency_id=agency_id)
        events = events.filter(milestones)
    if kinds:
        events = events.filter(kind__in=kinds)
    lines: list[StageTransition | list[StageTransition]] = []
    fold: list[StageTransition] | None = None
    for event in events:  # newest first: a fold stands where its newest change is
        if event.kind == StageTransition.Kind.ACCESS:
            if fold is None:
                fold = []
                lines.append(fold)
            fold.append(event)
            continue
        if event.kind == StageTransition.Kind.STAGE:
            fold = None
        lines.append(event)
    return [_line(line) for line in lines]


def _line(line: StageTransition | list[StageTransition]) -> StageTransition | AccessFold:
    if isinstance(line, StageTransition):
        return line
    return line[0] if len(line) == 1 else AccessFold(line)
