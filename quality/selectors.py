"""Reads of the quality markers: a review with everything the markers read fetched in a fixed
number of queries (whatever the number of its rows), the board's reviews streamed in chunks for
the count, and the board's last count."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from agencies.models import User
from agencies.permissions import permitted
from families.models import FamilyMember
from quality.markers import (
    MARKERS,
    MARKERS_BY_KEY,
    Marker,
    MarkerResult,
    ReviewFacts,
    markers_evaluate,
)
from quality.models import QualityAnswer, QualityTally, Status
from quality.permissions import can_view_quality_markers
from reviews.models import Action, ReportRequest, Review, TermsOfReference
from reviews.selectors.progress import ProgressStep
from reviews.selectors.progress import Status as ProgressStatus


def _with_facts(reviews: QuerySet[Review]) -> QuerySet[Review]:
    # The markers count the agencies in scope and name none: counted in SQL, as a national
    # board's reviews hold hundreds of thousands of them.
    in_scope = (
        TermsOfReference.objects.filter(review=OuterRef("pk"))
        .annotate(n=Count("agencies_in_scope"))
        .values("n")
    )
    return (
        reviews.annotate(agencies_in_scope_count=Coalesce(Subquery(in_scope), 0))
        .select_related(
            "referring_agency", "decision", "terms", "publication_plan", "board_response"
        )
        .prefetch_related(
            "deadlines",
            "clock_events",
            "parallel_processes",
            "panel",
            "author_appointments",
            "meetings",
            Prefetch("report_requests", queryset=ReportRequest.objects.select_related("agency")),
            "report_requests__interviews__practitioner_comments",
            "overview_versions__sections",
            "overview_agreements",
            "comment_rounds",
            "recommendations",
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("agency").prefetch_related("updates"),
            ),
            Prefetch(
                "family_members",
                queryset=FamilyMember.objects.prefetch_related("contacts", "meetings"),
            ),
            "publications",
            Prefetch(
                "quality_answers", queryset=QualityAnswer.objects.select_related("answered_by")
            ),
        )
    )


def quality_facts_get(*, review: Review) -> ReviewFacts:
    """The review's facts for the markers, read afresh with everything they need."""
    return ReviewFacts(_with_facts(Review.objects.filter(pk=review.pk)).get())


def quality_results(*, review: Review) -> list[MarkerResult]:
    """Every marker's result for the review."""
    return markers_evaluate(quality_facts_get(review=review))


def quality_answer_history(*, review: Review, marker: str) -> QuerySet:
    """Every answer given to the review's marker, newest first, with who gave it."""
    return (
        QualityAnswer.history.filter(review_id=review.pk, marker=marker)
        .select_related("history_user", "answered_by")
        .order_by("-history_id")
    )


# How many reviews the board's view names under each marker's status, by reference: at national
# scale a status holds thousands, and a page naming every one (18 markers, 20,000 reviews) is
# tens of megabytes; each review's own quality page holds its markers.
BOARD_NAMED = 25


def quality_facts_stream(*, chunk: int) -> Iterator[ReviewFacts]:
    """The facts of every review of the board (every review a decision sent on), by reference,
    read ``chunk`` reviews at a time so that memory stays the same whatever their number."""
    ids = list(
        Review.objects.exclude(closed_how=Review.Closure.DECISION)
        .order_by("reference")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), chunk):
        reviews = _with_facts(Review.objects.filter(pk__in=ids[start : start + chunk]))
        for review in reviews.order_by("reference"):
            yield ReviewFacts(review, links=False)


@dataclass(frozen=True)
class NamedReview:
    """A review named by the board's view: its reference and the address of its quality page."""

    reference: str
    url: str


@dataclass
class MarkerTally:
    """How many of the board's reviews stood at each status on one marker, and which."""

    marker: Marker
    counts: Counter = field(default_factory=Counter)
    reviews: dict[str, list[NamedReview]] = field(default_factory=dict)

    @property
    def columns(self) -> list[tuple[str, int, list[NamedReview], int]]:
        """For each status in order: its label, how many reviews, the first of them by
        reference, and how many more there are."""
        return [
            (
                label,
                self.counts[status],
                self.reviews.get(status, []),
                self.counts[status] - len(self.reviews.get(status, [])),
            )
            for status, label in Status.choices
        ]


@dataclass
class BoardTally:
    """The board's last count of its markers: when it was made (None: never), and each
    marker's tally, the most often not met first."""

    counted_at: datetime | None
    tallies: list[MarkerTally]


def quality_board_tally() -> BoardTally:
    """The board's last count (quality.services.quality_count), in two queries however many
    reviews it counted: the stored figures, and the references of the reviews they name."""
    rows = list(QualityTally.objects.filter(marker__in=MARKERS_BY_KEY))
    if not rows:
        return BoardTally(None, [])
    # Each address is built once a review, not once a mention: the same few hundred reviews
    # come first under most markers, and building 900 addresses was most of the page's time.
    named = {
        review.pk: NamedReview(review.reference, reverse("quality:review", args=[review.reference]))
        for review in Review.objects.only("reference").filter(
            pk__in={pk for row in rows for pk in row.named}
        )
    }
    tallies = {marker.key: MarkerTally(marker) for marker in MARKERS}
    for row in rows:
        tally = tallies[row.marker]
        tally.counts[row.status] = row.count
        tally.reviews[row.status] = [named[pk] for pk in row.named if pk in named]
    order = {marker.key: index for index, marker in enumerate(MARKERS)}
    ranked = sorted(
        tallies.values(),
        key=lambda t: (-t.counts[Status.NOT_MET], -t.counts[Status.PARTLY], order[t.marker.key]),
    )
    return BoardTally(min(row.counted_at for row in rows), ranked)


def quality_steps(review: Review, user: User) -> list[ProgressStep]:
    """The quality markers' line on the review's task list, for the board manager and the
    chair: how many markers the board manager has answered, in one query."""
    allowed = can_view_quality_markers(user, review)
    count = permitted(QualityAnswer.objects.filter(review=review), allowed=allowed).count()
    if not allowed:
        return []
    status = ProgressStatus.IN_PROGRESS if count else ProgressStatus.NOT_STARTED
    hint = f"{count} of {len(MARKERS)} answered by the board manager"
    url = reverse("quality:review", args=[review.reference])
    return [ProgressStep("quality", "Quality markers", status, hint, url)]
