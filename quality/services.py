"""The board manager's answers to a review's quality markers, and the board's count of them.

The board's view (/board/quality/) shows, for each marker, how many reviews meet it. Working
that out means evaluating the 18 markers of every review (quality.markers, the one place their
logic lives), which at national scale (20,000 reviews) took about a minute: past the web
server's timeout. So ``quality_count`` evaluates them off the request (quality.tasks: nightly,
as "overdue" depends on the day, and when the board manager asks) and stores only what the page
shows: per marker and status, the count and the first reviews by reference (QualityTally, 72
rows). The page then reads two small queries whatever the number of reviews.

Why not a row per review and marker, grouped when the page is read? It would let one review's
change recount that review alone, but on the national data set (360,000 rows) PostgreSQL took
75-90 ms to group them and 1.4 s to name the first 25 of each status by reference (a window
over every row joined to its review), where the stored tally is read in well under a
millisecond. The page says when the figures were counted, so a change since is never mistaken
for counted.
"""

import uuid
from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from quality.markers import MARKERS, MARKERS_BY_KEY, markers_evaluate
from quality.models import QualityAnswer, QualityTally, Status
from quality.selectors import BOARD_NAMED, quality_facts_stream
from reviews.models import Review
from reviews.services.review import review_lock


@transaction.atomic
def quality_answer_save(
    *,
    review: Review,
    marker: str,
    status: str,
    note: str,
    actor: User,
    submission: uuid.UUID | None = None,
) -> QualityAnswer:
    """Record the board manager's answer to one marker of the review, replacing their earlier
    one (kept in history). Allowed after the review closes: judging how a review went is the
    board's. Raises ValidationError for an unknown marker or status, or an empty note."""
    if marker not in MARKERS_BY_KEY:
        raise ValidationError("There is no such quality marker")
    if status not in Status.values:
        raise ValidationError({"status": "Select how well the review meets the marker"})
    if not note.strip():
        raise ValidationError({"note": "Enter a note saying why"})
    review = review_lock(review, closed_ok=True)
    answer = QualityAnswer.objects.filter(review=review, marker=marker).first()
    if answer is not None and submission is not None and answer.submission == submission:
        return answer
    if answer is None:
        answer = QualityAnswer(review=review, marker=marker)
    answer.status, answer.note = status, note.strip()
    answer.answered_by, answer.answered_at = actor, timezone.now()
    answer.submission = submission
    answer._history_user = actor
    answer._change_reason = f"answered: {Status(status).label.lower()}"
    answer.save()
    return answer


# Reviews read at a time by the count: each chunk holds its reviews with every record the
# markers read (about 20 prefetches), so memory stays bounded at any number of reviews.
COUNT_CHUNK = 500


def quality_count() -> int:
    """Evaluate every marker of every review of the board and store, per marker and status,
    how many reviews stand there and the first of them by reference, with the time the count
    began; returns how many reviews were counted. Idempotent: a repeat rewrites the same
    rows."""
    counted_at = timezone.now()
    counts: Counter[tuple[str, str]] = Counter()
    named: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    reviews = 0
    for facts in quality_facts_stream(chunk=COUNT_CHUNK):
        reviews += 1
        for result in markers_evaluate(facts):
            key = (result.marker.key, result.status)
            counts[key] += 1
            if len(named[key]) < BOARD_NAMED:
                named[key].append(facts.review.pk)
    tallies = [
        QualityTally(
            marker=marker.key,
            status=status,
            count=counts[marker.key, status],
            named=named[marker.key, status],
            counted_at=counted_at,
        )
        for marker in MARKERS
        for status in Status.values
    ]
    with transaction.atomic():
        QualityTally.objects.exclude(marker__in=MARKERS_BY_KEY).delete()
        # An upsert, so that two counts at once (a click and the nightly run) both succeed.
        QualityTally.objects.bulk_create(
            tallies,
            update_conflicts=True,
            unique_fields=["marker", "status"],
            update_fields=["count", "named", "counted_at"],
        )
    return reviews
