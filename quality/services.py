"""The board manager's answers to a review's quality markers."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from quality.markers import MARKERS_BY_KEY
from quality.models import QualityAnswer, Status
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
