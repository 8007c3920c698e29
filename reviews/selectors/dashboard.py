"""Reads of the board's dashboard: reviews by stage, each open review against its completion
target, overdue deadlines and actions by agency, and the reviews open against target month by
month.

Every figure is counted in the database, through the same selectors as the list it links to
(the review list, "My tasks"), so that a figure and its list cannot disagree.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Q
from django.utils import timezone

from agencies.models import User
from reviews.models import Review
from reviews.selectors.clock import (
    DEADLINE_GROUPS,
    TARGET_AT_RISK,
    TargetRule,
    TargetStatus,
    deadline_list_for,
    review_target_annotate,
    target_counts_on_days,
)
from reviews.selectors.review import AWAITING_DECISION, review_list, review_list_visible_to

# The most urgent open reviews the dashboard lists; the review list sorted by target has all.
URGENT_ROWS = 20
CHART_MONTHS = 12


@dataclass(frozen=True)
class StageCount:
    stage: str  # the review list's stage filter
    label: str
    count: int
    part_of_previous: bool = False  # "of which": a part of the row above


@dataclass(frozen=True)
class OverdueRow:
    agency_id: int | None  # None: the board manager's own deadlines
    agency_name: str
    deadlines: int  # overdue deadlines other than actions
    actions: int  # overdue actions


@dataclass(frozen=True)
class TargetMonth:
    """The open reviews against their target at the end of a month (today for this month)."""

    day: date
    on_track: int
    at_risk: int
    over: int
    current: bool

    @property
    def total(self) -> int:
        return self.on_track + self.at_risk + self.over


@dataclass(frozen=True)
class Dashboard:
    stages: list[StageCount]
    targets: dict[str, int]  # open reviews by TargetStatus value
    urgent: list[Review]
    overdue: list[OverdueRow]
    months: list[TargetMonth]
    rule: TargetRule

    @property
    def target_rows(self) -> list[tuple[str, str, int]]:
        """(status, label, count) for each TargetStatus, most pressing first."""
        order = (
            TargetStatus.OVER,
            TargetStatus.AT_RISK,
            TargetStatus.ON_TRACK,
            TargetStatus.NO_TARGET,
        )
        return [(status.value, status.label, self.targets[status]) for status in order]

    @property
    def overdue_deadlines(self) -> int:
        return sum(row.deadlines for row in self.overdue)

    @property
    def overdue_actions(self) -> int:
        return sum(row.actions for row in self.overdue)


def _stage_counts(user: User) -> list[StageCount]:
    counts = review_list_visible_to(user=user).aggregate(
        **{stage: Count("pk", filter=Q(stage=stage)) for stage in Review.Stage.values},
        **{
            AWAITING_DECISION: Count(
                "pk", filter=Q(stage=Review.Stage.REFERRAL, decision__isnull=True)
            )
        },
    )
    rows = []
    for stage in Review.Stage:
        rows.append(StageCount(stage.value, stage.label, counts[stage.value]))
        if stage == Review.Stage.REFERRAL:
            awaiting = counts[AWAITING_DECISION]
            rows.append(StageCount(AWAITING_DECISION, "Awaiting decision", awaiting, True))
    return rows


def _target_counts(user: User) -> dict[str, int]:
    """Open reviews by status against target, as the review list's "Against target" filter
    counts them."""
    reviews = review_target_annotate(review_list_visible_to(user=user))
    # Grouped, so that each review's status is worked out once.
    grouped = (
        reviews.exclude(stage=Review.Stage.CLOSED)
        .values(status=F("target_status"))
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(TargetStatus.values, 0)
    counts.update({row["status"]: row["count"] for row in grouped})
    return counts


def _overdue_by_agency(user: User) -> list[OverdueRow]:
    """Overdue deadlines and actions by owning agency (the board manager's own last), as
    "My tasks" filtered to overdue lists them."""
    actions = DEADLINE_GROUPS["actions"]
    grouped = (
        deadline_list_for(user=user, overdue=True)
        .order_by()
        .values("owner_agency_id", "owner_agency__name")
        .annotate(actions=Count("pk", filter=actions), deadlines=Count("pk", filter=~actions))
        .order_by(F("owner_agency__name").asc(nulls_last=True))
    )
    return [
        OverdueRow(
            agency_id=row["owner_agency_id"],
            agency_name=row["owner_agency__name"] or "The board manager",
            deadlines=row["deadlines"],
            actions=row["actions"],
        )
        for row in grouped
    ]


def _months(user: User, today: date, now: dict[str, int]) -> list[TargetMonth]:
    """The last CHART_MONTHS months: each past month counted at its last day from the history,
    this month today (``now``: the dashboard's own figures)."""
    this_month = today.replace(day=1)
    last_days = [
        this_month - relativedelta(months=back - 1) - relativedelta(days=1)
        for back in range(CHART_MONTHS - 1, 0, -1)
    ]
    past = target_counts_on_days(reviews=review_list_visible_to(user=user), days=last_days)
    months = [TargetMonth(day=day, current=False, **past[day]) for day in last_days]
    counted = {
        s.value: now[s] for s in (TargetStatus.ON_TRACK, TargetStatus.AT_RISK, TargetStatus.OVER)
    }
    months.append(TargetMonth(day=today, current=True, **counted))
    return months


def dashboard_for(*, user: User) -> Dashboard:
    """Everything the dashboard shows, for a person who sees every review (reviews outside the
    person's sight are never counted)."""
    today = timezone.localdate()
    targets = _target_counts(user)
    urgent = review_list(user=user, sort="target").filter(Q(target_due__isnull=False))
    return Dashboard(
        stages=_stage_counts(user),
        targets=targets,
        urgent=list(urgent[:URGENT_ROWS]),
        overdue=_overdue_by_agency(user),
        months=_months(user, today, targets),
        rule=TARGET_AT_RISK,
    )
