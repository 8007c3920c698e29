"""Writes every stage shares: the timeline, moving the stage, locking the review, the access log."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from agencies.models import Agency, User
from agencies.signin import client_address
from reviews.models import (
    AccessLog,
    Review,
    StageTransition,
)


def timeline_record(
    *,
    review: Review,
    kind: str,
    actor: User,
    summary: str,
    from_stage: str = "",
    to_stage: str = "",
    reason: str = "",
    occurred_on: date | None = None,
    agency: Agency | None = None,
) -> StageTransition:
    """Add a line to the review's timeline: ``occurred_on`` is the day the person said it
    happened, if they gave one; ``agency`` the one agency the event is about, if any (its
    leads see it, other agencies' leads do not)."""
    transition = StageTransition(
        review=review,
        kind=kind,
        from_stage=from_stage,
        to_stage=to_stage,
        summary=summary,
        reason=reason,
        occurred_on=occurred_on,
        agency=agency,
        actor=actor,
        at=timezone.now(),
    )
    transition._history_user = actor
    transition.save()
    return transition


def timeline_event_record(
    *,
    review: Review,
    kind: str,
    actor: User,
    summary: str,
    reason: str = "",
    occurred_on: date | None = None,
    agency: Agency | None = None,
) -> StageTransition:
    """Add a line to the review's timeline that moves no stage."""
    return timeline_record(
        review=review,
        kind=kind,
        actor=actor,
        summary=summary,
        reason=reason,
        occurred_on=occurred_on,
        agency=agency,
    )


def stage_move(
    *,
    review: Review,
    to: str,
    actor: User,
    summary: str,
    reason: str = "",
    occurred_on: date | None = None,
) -> None:
    """Move a review to another stage and record the transition (a milestone every party to
    the review sees); raises ValidationError."""
    review.check_transition(to)
    timeline_record(
        review=review,
        kind=StageTransition.Kind.STAGE,
        from_stage=review.stage,
        to_stage=to,
        actor=actor,
        summary=summary,
        reason=reason,
        occurred_on=occurred_on,
    )
    review.stage = to
    review._history_user, review._change_reason = actor, summary
    review.save()


def review_close(
    *,
    review: Review,
    how: str,
    actor: User,
    summary: str,
    reason: str,
    closed_reason: str | None = None,
    occurred_on: date | None = None,
) -> None:
    """Close the review (a stage move to CLOSED on the timeline, with ``reason``), saying how
    (a ``Review.Closure``), why (``closed_reason``, the reason unless given), when and by
    whom; raises ValidationError from any stage that may not close. Call with the review
    locked (``review_lock``)."""
    review.closed_how = how
    review.closed_reason = reason if closed_reason is None else closed_reason
    review.closed_at, review.closed_by = timezone.now(), actor
    stage_move(
        review=review,
        to=Review.Stage.CLOSED,
        actor=actor,
        summary=summary,
        reason=reason,
        occurred_on=occurred_on,
    )


def check_not_future(day: date | None, *, field: str, label: str) -> None:
    """Raise ValidationError on ``field`` when ``day`` is after today."""
    if day and day > timezone.localdate():
        raise ValidationError({field: f"{label} must be today or in the past"})


def check_not_before(day: date | None, earliest: date | None, *, field: str, message: str) -> None:
    """Raise ValidationError on ``field`` with ``message`` when ``day`` falls before
    ``earliest``; a date not given is not checked (the form says whether it is required)."""
    if day and earliest and day < earliest:
        raise ValidationError({field: message})


def repeated_submission(model, submission: uuid.UUID | None):
    """What an earlier submission of the same form made, if this one repeats it (Back and
    submit again, a double click); call it after taking the lock the create takes."""
    if submission is None:
        return None
    return model.objects.filter(submission=submission).first()


CLOSED_MESSAGE = "This review is closed: nothing in it can be changed"


def review_check_open(review: Review) -> None:
    """Raise ValidationError (code "closed") if the review is closed: a closed review is a
    record, read-only (only the progress of actions handed to the board's action log goes
    on, and that service says so itself)."""
    if review.stage == Review.Stage.CLOSED:
        raise ValidationError(CLOSED_MESSAGE, code="closed")


def review_lock(review: Review | int, *related: str, closed_ok: bool = False) -> Review:
    """The review (or the review of that id) read afresh with its row locked until the
    transaction ends, so two writes to it queue up; ``related`` are joined but not locked
    (they may be on a nullable side).

    Every write to a review or to anything in it takes this lock first, so this is where a
    closed review refuses them (ValidationError, code "closed"), and a write racing the
    closing queues behind it and is then refused. ``closed_ok`` is for the few writes that
    may go on after closing (the progress of a handed-over action)."""
    pk = review if isinstance(review, int) else review.pk
    locked = Review.objects.select_for_update(of=("self",)).select_related(*related).get(pk=pk)
    if not closed_ok:
        review_check_open(locked)
    return locked


def access_log_record(
    *, request: HttpRequest, object_type: str, object_ref: str, allowed: bool, action: str = "view"
) -> AccessLog:
    """Write one access-log row for a look at (or a refusal of) a sensitive record."""
    user = request.user if request.user.is_authenticated else None
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=object_type,
        object_ref=object_ref[:64],
        allowed=allowed,
        path=request.path[:500],
        ip_address=client_address(request),
        request_id=getattr(request, "request_id", ""),
    )


def access_log_record_many(
    *, request: HttpRequest, object_type: str, object_refs: list[str], action: str
) -> int:
    """Write one allowed access-log row for each of the records one request took (an export of
    many); returns how many."""
    user = request.user if request.user.is_authenticated else None
    address, request_id = client_address(request), getattr(request, "request_id", "")
    rows = [
        AccessLog(
            user=user,
            action=action,
            object_type=object_type,
            object_ref=ref[:64],
            allowed=True,
            path=request.path[:500],
            ip_address=address,
            request_id=request_id,
        )
        for ref in object_refs
    ]
    return len(AccessLog.objects.bulk_create(rows, batch_size=500))
