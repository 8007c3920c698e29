"""Writes of the processes running beside a review: recorded, corrected while they run and
ended by the board manager. Each write then brings the review's clock into line with the
running processes (``_clock_follow``); the family's records and the publication checks read
the running processes themselves (reviews/selectors/parallel.py)."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.models import User
from reviews.models import ParallelProcess, Review, StageTransition
from reviews.selectors.clock import clock_stop_in_force
from reviews.selectors.parallel import EFFECTS, parallel_effects, parallel_hold
from reviews.services.clock import clock_restart, clock_stop
from reviews.services.review import (
    check_not_before,
    check_not_future,
    repeated_submission,
    review_lock,
    timeline_event_record,
)
from scr.versions import check_unchanged

# One-line fields: no line breaks or other control characters (they go into the timeline).
_ONE_LINE = {
    "contact_organisation": "Organisation",
    "contact_name": "Contact's name",
    "contact_details": "How to reach them",
}


# What each effect holds back, as a noun.
_HELD = {
    "stops_clock": "the clock",
    "pauses_family_contact": "contact with the family",
    "holds_publication": "publication",
}


def _check(details: dict) -> dict:
    """The details of a process, trimmed, or ValidationError naming each bad one."""
    details = {k: v.strip() if isinstance(v, str) else v for k, v in details.items()}
    errors = {}
    if details["kind"] not in ParallelProcess.Kind.values:
        errors["kind"] = "Select what kind of process it is"
    if not details["contact_organisation"]:
        errors["contact_organisation"] = "Enter the organisation that runs it"
    if not details["contact_name"]:
        errors["contact_name"] = "Enter who the board deals with about it"
    for field, label in _ONE_LINE.items():
        if any(ord(c) < 32 or c in "\u2028\u2029\x7f" for c in details[field]):
            errors[field] = f"{label} must not include line breaks or other control characters"
    if errors:
        raise ValidationError(errors)
    check_not_future(details["started_on"], field="started_on", label="Date it began")
    check_not_before(
        details["expected_end_on"],
        details["started_on"],
        field="expected_end_on",
        message="Date it is expected to end must be on or after the date it began",
    )
    return details


def _save(process: ParallelProcess, actor: User, reason: str) -> ParallelProcess:
    process._history_user, process._change_reason = actor, reason
    process.save()
    return process


def _listed(words: list[str]) -> str:
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def _effects_text(process: ParallelProcess) -> str:
    effects = parallel_effects(process)
    return f"It {_listed(effects)}." if effects else "It holds nothing back."


def _clock_follow(review: Review, actor: User) -> None:
    """Bring the clock into line with the running processes: stopped (for the oldest) when
    one stops it and it runs; restarted when none does and the stop in force was made for a
    process. A stop made by hand is left for the board manager to lift."""
    hold = parallel_hold(review=review, effect="stops_clock")
    stop = clock_stop_in_force(review=review)
    if hold and stop is None:
        clock_stop(
            review=review,
            actor=actor,
            reason=f"Stopped while {hold.what}",
            parallel_process=hold.processes[0],
        )
    elif hold is None and stop is not None and stop.parallel_process_id is not None:
        clock_restart(review=review, actor=actor, reason="No parallel process stops it any more")


def _timeline(review: Review, actor: User, summary: str, reason: str, on: date | None) -> None:
    timeline_event_record(
        review=review,
        kind=StageTransition.Kind.PARALLEL,
        actor=actor,
        summary=summary,
        reason=reason,
        occurred_on=on,
    )


@transaction.atomic
def parallel_process_record(
    *,
    review: Review,
    actor: User,
    kind: str,
    contact_organisation: str,
    contact_name: str,
    started_on: date,
    contact_details: str = "",
    description: str = "",
    expected_end_on: date | None = None,
    stops_clock: bool = False,
    pauses_family_contact: bool = False,
    holds_publication: bool = False,
    submission: uuid.UUID | None = None,
) -> ParallelProcess:
    """Record a process running beside the review, with its contact and what it holds back;
    the clock stops if it stops the clock. Raises ValidationError for a missing or bad detail,
    a start in the future or an expected end before it, or a closed review."""
    review = review_lock(review)
    if made := repeated_submission(ParallelProcess, submission):
        return made
    details = _check(
        {
            "kind": kind,
            "contact_organisation": contact_organisation,
            "contact_name": contact_name,
            "contact_details": contact_details,
            "description": description,
            "started_on": started_on,
            "expected_end_on": expected_end_on,
        }
    )
    process = ParallelProcess(
        review=review,
        **details,
        stops_clock=stops_clock,
        pauses_family_contact=pauses_family_contact,
        holds_publication=holds_publication,
        created_by=actor,
        submission=submission,
    )
    _save(process, actor, "recorded")
    _timeline(
        review,
        actor,
        f"{process.get_kind_display()} recorded, running beside the review",
        _effects_text(process),
        started_on,
    )
    _clock_follow(review, actor)
    return process


@transaction.atomic
def parallel_process_change(
    *,
    process: ParallelProcess,
    actor: User,
    kind: str,
    contact_organisation: str,
    contact_name: str,
    started_on: date,
    contact_details: str = "",
    description: str = "",
    expected_end_on: date | None = None,
    stops_clock: bool = False,
    pauses_family_contact: bool = False,
    holds_publication: bool = False,
    version: int | None = None,
) -> ParallelProcess:
    """Correct a running process: its details, contact and effects. The clock follows a change
    to ``stops_clock``. Raises ValidationError as ``parallel_process_record`` does, for an
    ended process, or if it changed since it was read at ``version``."""
    review = review_lock(process.review_id)
    process = ParallelProcess.objects.select_for_update().get(pk=process.pk)
    check_unchanged(process, version, what="The process")
    if not process.is_running:
        raise ValidationError("This process has ended: it can no longer be changed")
    details = _check(
        {
            "kind": kind,
            "contact_organisation": contact_organisation,
            "contact_name": contact_name,
            "contact_details": contact_details,
            "description": description,
            "started_on": started_on,
            "expected_end_on": expected_end_on,
        }
    )
    effects = {
        "stops_clock": stops_clock,
        "pauses_family_contact": pauses_family_contact,
        "holds_publication": holds_publication,
    }
    changed = [
        field for field, value in {**details, **effects}.items() if getattr(process, field) != value
    ]
    if not changed:
        return process
    for field, value in {**details, **effects}.items():
        setattr(process, field, value)
    _save(process, actor, "corrected")
    kind_name = process.get_kind_display()
    if any(field in EFFECTS for field in changed):
        _timeline(
            review, actor, f"{kind_name}: what it holds back changed", _effects_text(process), None
        )
    else:
        _timeline(review, actor, f"{kind_name} corrected", "", None)
    _clock_follow(review, actor)
    return process


@transaction.atomic
def parallel_process_end(
    *,
    process: ParallelProcess,
    actor: User,
    ended_on: date,
    outcome: str,
    version: int | None = None,
) -> ParallelProcess:
    """Record that a running process ended, and how: what it held back is lifted, and the
    clock restarts if no other running process stops it (and it was not stopped by hand).
    Raises ValidationError for an ended process, an end before its start or in the future,
    no outcome, or a change since ``version``."""
    review = review_lock(process.review_id)
    process = ParallelProcess.objects.select_for_update().get(pk=process.pk)
    check_unchanged(process, version, what="The process", nothing="ended")
    if not process.is_running:
        raise ValidationError("This process has ended already")
    if not outcome.strip():
        raise ValidationError({"outcome": "Enter how it ended"})
    check_not_future(ended_on, field="ended_on", label="Date it ended")
    check_not_before(
        ended_on,
        process.started_on,
        field="ended_on",
        message="Date it ended must be on or after the date it began",
    )
    process.ended_on, process.outcome, process.ended_by = ended_on, outcome.strip(), actor
    _save(process, actor, "ended")
    _timeline(
        review,
        actor,
        f"{process.get_kind_display()} ended",
        f"{process.outcome}\n{_lifted_text(process)}".strip(),
        ended_on,
    )
    _clock_follow(review, actor)
    return process


def _lifted_text(process: ParallelProcess) -> str:
    held = [noun for field, noun in _HELD.items() if getattr(process, field)]
    return f"It no longer holds back {_listed(held)}." if held else ""
