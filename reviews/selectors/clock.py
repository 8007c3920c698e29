"""Reads of deadlines and notifications, and of each review against its completion target."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import (
    Case,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import IsNull, LessThan, LessThanOrEqual
from django.utils import timezone

from agencies.models import Role, User
from reviews.models import (
    ClockEvent,
    Deadline,
    Notification,
    Review,
    StageTransition,
)
from reviews.permissions.clock import can_see_every_deadline

# Which open deadlines "My tasks" can be narrowed to (its "What" filter): the dashboard's
# overdue figures link to each.
DEADLINE_GROUPS: dict[str, Q] = {
    "actions": Q(kind=Deadline.Kind.ACTION),
    "deadlines": ~Q(kind=Deadline.Kind.ACTION),
    "board": Q(owner_agency__isnull=True),
}


def deadline_list_for(
    *,
    user: User,
    reference: str = "",
    agency_id: int | None = None,
    overdue: bool = False,
    what: str = "",
) -> QuerySet[Deadline]:
    """Open deadlines: every one for a board manager or a chair; an agency lead's own
    agency's; none for anyone else. Filtered by review (its reference, or the one it had
    before its decision), agency, overdue and ``what`` (a key of DEADLINE_GROUPS) when asked;
    soonest first."""
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
    if what in DEADLINE_GROUPS:
        deadlines = deadlines.filter(DEADLINE_GROUPS[what])
    return deadlines.order_by("due_on", "id")


def notification_list_for(*, user: User) -> QuerySet[Notification]:
    """The person's notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


# The header counts unread notifications up to this many, then says "99+": counting every one
# of a board manager's hundreds of thousands took 110 ms on every page (issue 15).
UNREAD_COUNTED = 99


def notification_unread_count(*, user: User) -> int:
    """How many of the person's notifications are unread, counted up to UNREAD_COUNTED + 1
    (more than UNREAD_COUNTED reads as "99+")."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return unread[: UNREAD_COUNTED + 1].count()


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


@dataclass(frozen=True)
class TargetRule:
    """When an open review counts as at risk of missing its completion target: with
    ``days_left`` days or fewer left, or less than ``percent_left`` per cent of the time it was
    first given (from the decision to its first target) left. Past the target, it is over."""

    days_left: int
    percent_left: int

    def risk_days(self, *, allowed: int) -> int:
        """The days left at or under which a target first given ``allowed`` days is at risk:
        target_status()'s two tests in one, for counting in Python (``left * 100 <= allowed *
        percent`` holds for a whole number of days exactly when ``left`` is at most the floor
        of ``allowed * percent / 100``)."""
        return max(self.days_left, allowed * self.percent_left // 100)

    def __str__(self) -> str:
        return (
            f"At risk: {self.days_left} days or fewer left, or less than {self.percent_left}% "
            "of the time first allowed (from the decision to the original target) left. "
            "Over: the target has passed."
        )


# The one statement of the rule: the dashboard, the review list and the export all apply it.
TARGET_AT_RISK = TargetRule(days_left=28, percent_left=20)


class TargetStatus(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OVER = "over", "Over"
    NO_TARGET = "no_target", "No target"


def _duration(expression) -> ExpressionWrapper:
    return ExpressionWrapper(expression, output_field=DurationField())


def target_status(*, due, original, decided_on, clock_day, rule: TargetRule = TARGET_AT_RISK):
    """The database expression of a review's status against its target (a TargetStatus value),
    from expressions of its current target date, its original one, the decision's date and the
    clock's day (today, or the day the clock stopped while it stays stopped)."""
    left = _duration(due - clock_day)
    allowed = _duration(original - decided_on)
    return Case(
        When(IsNull(due, True), then=Value(TargetStatus.NO_TARGET)),
        When(LessThan(due, clock_day), then=Value(TargetStatus.OVER)),
        When(
            LessThanOrEqual(left, Value(timedelta(days=rule.days_left))),
            then=Value(TargetStatus.AT_RISK),
        ),
        When(
            LessThanOrEqual(_duration(left * 100), _duration(allowed * rule.percent_left)),
            then=Value(TargetStatus.AT_RISK),
        ),
        default=Value(TargetStatus.ON_TRACK),
        output_field=models.CharField(),
    )


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def clock_stopped_on(review_ref) -> Subquery:
    """The day the review's clock stopped, if a stop is in force; NULL otherwise. While the
    clock is stopped its days stand still, and the restart moves every open deadline on by the
    days stopped (services/clock.py)."""
    events = ClockEvent.objects.filter(review=review_ref).exclude(kind=ClockEvent.Kind.EXTENDED)
    stop_day = Case(
        When(kind=ClockEvent.Kind.STOPPED, then=TruncDate("at")), output_field=DateField()
    )
    latest = events.order_by("-at", "-id").annotate(stop_day=stop_day)
    return Subquery(latest.values("stop_day")[:1])


def review_target_annotate(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """The reviews, each with its open completion target as the clock stands today:
    ``target_due`` and ``target_original`` (None without one, or once the review is closed),
    ``clock_stopped_on``, ``days_left`` and ``days_over`` (timedelta) and ``target_status``."""
    # A join, not a subquery: the target's columns are read in several places. The condition is
    # the unique constraint's (one_review_deadline_per_kind), so a review joins at most one row
    # and the join can use that partial index: without its last term SQLite, which keeps no
    # statistics unless asked, joined through the (kind, action) index instead, reading every
    # completion target for each review.
    open_target = FilteredRelation(
        "deadlines",
        condition=Q(
            deadlines__kind=Deadline.Kind.REVIEW_COMPLETE,
            deadlines__state=Deadline.State.OPEN,
            deadlines__report__isnull=True,
            deadlines__interview__isnull=True,
            deadlines__action__isnull=True,
            deadlines__key="",
        ),
    )
    due = Case(
        When(stage=Review.Stage.CLOSED, then=None),
        default=F("open_target__due_on"),
        output_field=DateField(),
    )
    return (
        reviews.alias(open_target=open_target)
        .annotate(
            target_due=due,
            target_original=F("open_target__original_due_on"),
            clock_stopped_on=clock_stopped_on(OuterRef("pk")),
        )
        .annotate(
            clock_day=Coalesce(F("clock_stopped_on"), Value(timezone.localdate())),
            days_left=_duration(F("target_due") - F("clock_day")),
            days_over=_duration(F("clock_day") - F("target_due")),
            target_status=target_status(
                due=F("target_due"),
                original=F("target_original"),
                decided_on=F("decision__decided_on"),
                clock_day=F("clock_day"),
            ),
        )
    )


def target_counts_on_days(
    *, reviews: QuerySet[Review], days: list[date]
) -> dict[date, dict[str, int]]:
    """For each of ``days``, how many of ``reviews`` were open against their completion target
    at the end of that day, by TargetStatus (on track, at risk, over), as the deadline's
    history then stood: its date and state at the time (a target recorded later than its
    decision counts from the decision, at its original date), with the clock stopped or not
    then, leaving out reviews closed by then."""
    # Worked out here from four flat reads, each row read once for every day: a query a day,
    # with the history and the clock looked up for every target, took seconds at national
    # scale (issue 15). The history, clock and closing reads take every review's rows:
    # narrowing them to ``reviews`` cost a join each, more than reading rows of other reviews,
    # which the loop below never looks up.
    if not days:
        return {}
    days = sorted(days)
    ends = [_end_of(day) for day in days]
    last_end = ends[-1]
    # Unordered: the count does not need the deadlines' default order, and sorting cost time.
    targets = (
        Deadline.objects.filter(
            kind=Deadline.Kind.REVIEW_COMPLETE,
            review__in=reviews.values("pk"),
            review__decision__decided_on__lte=days[-1],
        )
        .order_by()
        .values_list("pk", "review_id", "original_due_on", "review__decision__decided_on")
    )
    history: dict[int, list[tuple[datetime, date, str]]] = defaultdict(list)
    # A deadline's kind never changes, so its history rows all carry the kind it has now.
    recorded = Deadline.history.model.objects.filter(
        kind=Deadline.Kind.REVIEW_COMPLETE, history_date__lt=last_end
    ).order_by("history_date", "history_id")
    for pk, at, due_on, state in recorded.values_list("id", "history_date", "due_on", "state"):
        history[pk].append((at, due_on, state))
    events: dict[int, list[tuple[datetime, date | None]]] = defaultdict(list)
    clock = (
        ClockEvent.objects.filter(at__lt=last_end)
        .exclude(kind=ClockEvent.Kind.EXTENDED)
        .order_by("at", "id")
    )
    for review_id, at, kind in clock.values_list("review_id", "at", "kind"):
        stopped_on = timezone.localdate(at) if kind == ClockEvent.Kind.STOPPED else None
        events[review_id].append((at, stopped_on))
    closed_at = dict(
        StageTransition.objects.filter(to_stage=Review.Stage.CLOSED, at__lt=last_end)
        .values("review_id")
        .annotate(first=Min("at"))
        .values_list("review_id", "first")
    )

    open_ = Deadline.State.OPEN
    on_track, at_risk, over = (
        TargetStatus.ON_TRACK.value,
        TargetStatus.AT_RISK.value,
        TargetStatus.OVER.value,
    )
    counts = {day: {on_track: 0, at_risk: 0, over: 0} for day in days}
    tallies = [counts[day] for day in days]
    # The inner loop runs for every target on every day, so it is kept to plain comparisons:
    # each target's history and the clock's stops are walked once, in step with the days.
    for pk, review_id, original, decided_on in targets:
        rows = history.get(pk, [])
        stops = events.get(review_id, [])
        closed = closed_at.get(review_id)
        risk = TARGET_AT_RISK.risk_days(allowed=(original - decided_on).days)
        row = stop = 0
        # Before the target's first history row: at its original date, open.
        due, state, stopped_on = original, open_, None
        for day, end, tally in zip(days, ends, tallies, strict=True):
            if closed is not None and closed < end:
                break
            while row < len(rows) and rows[row][0] < end:
                _, due, state = rows[row]
                row += 1
            while stop < len(stops) and stops[stop][0] < end:
                stopped_on = stops[stop][1]
                stop += 1
            if day < decided_on or state != open_:
                continue
            left = (due - (stopped_on or day)).days
            tally[over if left < 0 else at_risk if left <= risk else on_track] += 1
    return counts
