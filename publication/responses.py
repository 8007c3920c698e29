"""Writes of the board's written response to the review's report: drafted and corrected by the
board manager from the action plan stage on (the report is agreed), then recorded agreed at a
board meeting, after which its text no longer changes. It is published beside the report
(publication.publishing refuses to publish without it)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from publication.anonymise import mask_text
from publication.checks import response_hits, response_hits_message, worker_names
from publication.models import BoardResponse
from reviews.models import Review, StageTransition
from reviews.services.review import review_lock, timeline_event_record
from scr.versions import check_unchanged

TEXT_MAX = 20_000
MEETING_MAX = 200
WRITING_STAGES = (Review.Stage.ACTION_PLAN, Review.Stage.PUBLICATION)


def _lock(review: Review) -> tuple[Review, BoardResponse | None]:
    review = review_lock(review)
    if review.stage not in WRITING_STAGES:
        raise ValidationError(
            "The board's response is written once the report is agreed, at the action plan "
            "and publication stages"
        )
    response = BoardResponse.objects.select_for_update().filter(review=review).first()
    return review, response


def response_writing_form(response: BoardResponse | None, review: Review) -> str:
    """The response's text as the writing form shows it: every worker's name the review holds
    shown as "[worker's name]" (never sent to the browser)."""
    if response is None:
        return ""
    return mask_text(response.text, worker_names(review=review))


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.replace("\r\n", "\n").strip().splitlines()]


@transaction.atomic
def board_response_save(
    *, review: Review, actor: User, text: str, version: int | None = None
) -> BoardResponse:
    """Save the board manager's draft of the response (the writing form: scr.richtext). A text
    as the page showed it changes nothing (a repeated submission); refused once agreed, when
    empty or too long, and (code "conflict") over a save made since the person opened version
    ``version`` of it."""
    review, response = _lock(review)
    if response is not None and response.is_agreed:
        raise ValidationError(
            "The board agreed its response: its text no longer changes", code="agreed"
        )
    if response is not None and _lines(text) == _lines(response_writing_form(response, review)):
        return response
    check_unchanged(response, version, what="The board's response")
    text = "\n".join(_lines(text))
    if not text:
        raise ValidationError({"text": "Enter the board's response"})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": f"The response must be {TEXT_MAX:,} characters or fewer"})
    first = response is None
    if response is None:
        response = BoardResponse(review=review)
    response.text, response.updated_by = text, actor
    response._history_user = actor
    response._change_reason = "drafted" if first else "corrected"
    response.save()
    timeline_event_record(
        review=review,
        kind=StageTransition.Kind.PUBLICATION,
        actor=actor,
        summary=f"The board's response {'drafted' if first else 'corrected'}",
    )
    return response


@transaction.atomic
def board_response_agree(
    *,
    review: Review,
    actor: User,
    meeting: str,
    agreed_on: date,
    version: int | None = None,
) -> BoardResponse:
    """Record the drafted response agreed at the board meeting named, on ``agreed_on`` (not in
    the future); its text is frozen from then on. The same agreement submitted again changes
    nothing; refused with no draft, for a draft changed since the person read version
    ``version`` of it (code "conflict"), or while the identifier check finds anything in it."""
    review, response = _lock(review)
    meeting = " ".join(meeting.split())
    if response is None:
        raise ValidationError("Draft the board's response before recording it agreed")
    if response.is_agreed:
        if (response.meeting, response.agreed_on) == (meeting, agreed_on):
            return response
        raise ValidationError("The board's response was recorded agreed already", code="agreed")
    check_unchanged(response, version, what="The board's response", nothing="recorded")
    if not meeting:
        raise ValidationError({"meeting": "Enter the board meeting that agreed the response"})
    if len(meeting) > MEETING_MAX:
        raise ValidationError(
            {"meeting": f"Board meeting must be {MEETING_MAX} characters or fewer"}
        )
    if agreed_on > timezone.localdate():
        raise ValidationError(
            {"agreed_on": "Date the board agreed it must be today or in the past"}
        )
    if hits := response_hits(review, response.text):
        raise ValidationError(
            response_hits_message(len(hits)) + ": correct it before recording it agreed"
        )
    response.meeting, response.agreed_on, response.agreed_recorded_by = meeting, agreed_on, actor
    response.updated_by = actor
    response._history_user, response._change_reason = actor, f"agreed at {meeting}"
    response.save()
    timeline_event_record(
        review=review,
        kind=StageTransition.Kind.PUBLICATION,
        actor=actor,
        summary=f"The board's response agreed at {meeting}",
        occurred_on=agreed_on,
    )
    return response
