"""Reads of deadlines and notifications."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from agencies.models import Role, User
from reviews.models import (
    ClockEvent,
    Deadline,
    Notification,
    Review,
)
from reviews.permissions.clock import can_see_every_deadline


def deadline_list_for(
    *, user: User, reference: str = "", agency_id: int | None = None, overdue: bool = False
) -> QuerySet[Deadline]:
    """Open deadlines: every one for a board manager; an agency lead's own agency's; none for
    anyone else. Filtered by review (its reference, or the one it had before its decision),
    agency and overdue when asked; soonest first."""
    deadlines = Deadline.objects.filter(state=Deadline.State.OPEN).select_related(
        "review", "owner_agency"
    )
    if not can_see_every_deadline(user):
        lead_of = user.agency_id if user.groups.filter(name=Role.AGENCY_LEAD).exists() else None
        if lead_of is None:
            return deadlines.none()
        deadlines = deadlines.filter(owner_agency_id=lead_of)
    if reference:
        deadlines = deadlines.filter(
            Q(review__reference=reference) | Q(review__former_reference=reference)
        )
    if agency_id:
        deadlines = deadlines.filter(owner_agency_id=agency_id)
    if overdue:
        deadlines = deadlines.filter(due_on__lt=timezone.localdate())
    return deadlines.order_by("due_on", "id")


def notification_list_for(*, user: User) -> QuerySet[Notification]:
    """The person's notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_unread_count(*, user: User) -> int:
    """How many of the person's notifications are unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def review_target_deadline(*, review: Review) -> Deadline | None:
    """The review's own target: its completion deadline, set by its type (six months from the
    decision for an SCR)."""
    return review.deadlines.filter(kind=Deadline.Kind.REVIEW_COMPLETE).first()


def clock_stop_in_force(*, review: Review) -> ClockEvent | None:
    """The stop that is still in force, if the clock is stopped."""
    last = review.clock_events.exclude(kind=ClockEvent.Kind.EXTENDED).last()
    return last if last and last.kind == ClockEvent.Kind.STOPPED else None


def deadline_open_get(*, pk: int) -> Deadline | None:
    """One open deadline, with its review."""
    return (
        Deadline.objects.select_related("review").filter(pk=pk, state=Deadline.State.OPEN).first()
    )


def clock_event_list(*, review: Review) -> QuerySet[ClockEvent]:
    """The review's clock events: extensions, stops and restarts, with who made each."""
    return review.clock_events.select_related("actor")
