"""Writes every stage shares: the timeline, moving the stage, locking the review, the access log."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from agencies.models import User
from agencies.signin import client_address
from reviews.models import (
    AccessLog,
    Review,
    StageTransition,
)


def timeline_record(
    *, review: Review, from_stage: str, to_stage: str, actor: User, summary: str, reason: str = ""
) -> StageTransition:
    """Add a line to the review's timeline."""
    transition = StageTransition(
        review=review,
        from_stage=from_stage,
        to_stage=to_stage,
        summary=summary,
        reason=reason,
        actor=actor,
        at=timezone.now(),
    )
    transition._history_user = actor
    transition.save()
    return transition


def timeline_event_record(
    *, review: Review, actor: User, summary: str, reason: str = ""
) -> StageTransition:
    """Add a line to the review's timeline that moves no stage."""
    return timeline_record(
        review=review, from_stage="", to_stage="", actor=actor, summary=summary, reason=reason
    )


def stage_move(*, review: Review, to: str, actor: User, summary: str, reason: str = "") -> None:
    """Move a review to another stage and record the transition; raises ValidationError."""
    review.check_transition(to)
    timeline_record(
        review=review,
        from_stage=review.stage,
        to_stage=to,
        actor=actor,
        summary=summary,
        reason=reason,
    )
    review.stage = to
    review._history_user, review._change_reason = actor, summary
    review.save()


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


def check_unchanged(record, seen: int | None, *, what: str, nothing: str = "saved") -> None:
    """Raise ValidationError (code "conflict") if ``record`` changed since the person read
    version ``seen`` of it; call it under the lock the change takes. No version given (the
    shell, a task) checks nothing."""
    if seen is None or record is None or record.pk is None:
        return
    latest = record.history.order_by("-history_id").first()
    if latest is None or latest.history_id == seen:
        return
    when = timezone.localtime(latest.history_date)
    raise ValidationError(
        "%(what)s was changed by %(who)s at %(time)s after you opened it: nothing was "
        "%(nothing)s. Check the change, then try again.",
        code="conflict",
        params={
            "what": what,
            "who": latest.history_user or "someone else",
            "time": f"{when:%-I:%M%p on %-d %B}".replace("AM", "am").replace("PM", "pm"),
            "nothing": nothing,
            "version": latest.history_id,
        },
    )


def review_lock(review: Review, *related: str) -> Review:
    """The review read afresh with its row locked until the transaction ends, so two writes
    to it queue up; ``related`` are joined but not locked (they may be on a nullable side)."""
    return Review.objects.select_for_update(of=("self",)).select_related(*related).get(pk=review.pk)


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
