"""The board's dashboard: the home page of board managers and chairs."""

from dataclasses import dataclass
from math import ceil

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reviews.permissions.dashboard import can_view_dashboard
from reviews.selectors.clock import TargetStatus
from reviews.selectors.dashboard import TargetMonth, dashboard_for
from reviews.selectors.progress import review_waits_on_many

# The chart's drawing area, in the SVG's own units (it scales to the page's width).
_WIDTH, _HEIGHT = 720, 340
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 712, 56, 292
_MIN_LABEL_HEIGHT = 20  # a segment shorter than this carries no number (the table has it)


@dataclass(frozen=True)
class Segment:
    status: str  # a TargetStatus value: its colour and pattern
    label: str  # its number, or "" when the segment is too short to hold it
    y: float
    height: float

    @property
    def label_y(self) -> float:
        return round(self.y + self.height / 2 + 6, 1)


@dataclass(frozen=True)
class Bar:
    month: TargetMonth
    x: float
    width: float
    segments: list[Segment]
    top: float  # where the bar's total is written

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


def _scale(largest: int) -> tuple[int, int]:
    """The top of the chart's scale and its step: 1, 2 or 5 times a power of ten, at most five
    steps."""
    step = 1
    while largest > 5 * step:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    return step * max(1, ceil(largest / step)), step


def _chart(months: list[TargetMonth]) -> dict:
    """Where each bar and segment of the chart goes: over at the bottom, then at risk, then on
    track, each month's total on top."""
    top, step = _scale(max((month.total for month in months), default=0))
    per_review = (_BOTTOM - _TOP) / top
    band = (_RIGHT - _LEFT) / len(months)
    bars = []
    for index, month in enumerate(months):
        base, segments = float(_BOTTOM), []
        for status in (TargetStatus.OVER, TargetStatus.AT_RISK, TargetStatus.ON_TRACK):
            count = getattr(month, status)
            height = count * per_review
            base -= height
            label = str(count) if height >= _MIN_LABEL_HEIGHT else ""
            segments.append(Segment(status, label, round(base, 1), round(height, 1)))
        x = round(_LEFT + index * band + band * 0.2, 1)
        bars.append(Bar(month, x, round(band * 0.6, 1), segments, round(base - 6, 1)))
    ticks = [(value, round(_BOTTOM - value * per_review, 1)) for value in range(0, top + 1, step)]
    return {
        "width": _WIDTH,
        "height": _HEIGHT,
        "left": _LEFT,
        "right": _RIGHT,
        "bottom": _BOTTOM,
        "bars": bars,
        "ticks": ticks,
    }


@login_required
@require_GET
def dashboard_view(request):
    if not can_view_dashboard(request.user):
        raise PermissionDenied
    board = dashboard_for(user=request.user)
    waits_on = review_waits_on_many(board.urgent)
    for review in board.urgent:
        review.waits_on = waits_on.get(review.pk, "")
    context = {
        "board": board,
        "chart": _chart(board.months),
    }
    return render(request, "reviews/dashboard/dashboard.html", context)
