"""The statutory clock: deadlines opened and closed by the lifecycle's services, moved with a
reason, and reminders swept into rows and sent exactly once."""

import logging
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from agencies.models import Agency, Role, User
from reviews.handoffs import Kind as HandoffKind
from reviews.models import (
    AuthorAppointment,
    ClockEvent,
    Deadline,
    Notification,
    ParallelProcess,
    Reminder,
    Review,
)
from reviews.selectors.clock import clock_stop_in_force
from reviews.selectors.handoffs import board_managers, digest_choosers
from reviews.selectors.parallel import parallel_hold
from reviews.services.review import check_not_before, review_lock
from reviews.workdays import add_working_days
from scr.versions import check_unchanged

logger = logging.getLogger(__name__)
_BATCH = 2000
# Deadlines the review's current author is reminded of too, beside the board managers: the
# family's agreement of the notes of a meeting the author usually held.
_AUTHOR_REMINDED = (Deadline.Kind.FAMILY_NOTES,)


def _save(deadline: Deadline, actor: User | None, reason: str) -> Deadline:
    deadline._history_user, deadline._change_reason = actor, reason
    deadline.save()
    return deadline


def deadline_open(
    *,
    review: Review,
    kind: str,
    due_on: date,
    actor: User,
    owner_agency: Agency | None = None,
    **belongs_to,
) -> Deadline:
    """Open a deadline (or move an open one of the same kind and object to ``due_on``)."""
    deadline = Deadline.objects.filter(review=review, kind=kind, **belongs_to).first()
    if deadline is None:
        deadline = Deadline(review=review, kind=kind, original_due_on=due_on, **belongs_to)
    deadline.due_on, deadline.owner_agency = due_on, owner_agency
    deadline.state = Deadline.State.OPEN
    return _save(deadline, actor, "opened")


def deadline_close(
    *, review: Review, kind: str, actor: User, state: str = Deadline.State.MET, **belongs_to
) -> None:
    """Close the open deadline of that kind and object, if there is one."""
    deadline = Deadline.objects.filter(
        review=review, kind=kind, state=Deadline.State.OPEN, **belongs_to
    ).first()
    if deadline:
        deadline.state, deadline.closed_at = state, timezone.now()
        _save(deadline, actor, deadline.get_state_display().lower())


def completion_target_open(*, review: Review, decided_on: date, actor: User) -> Deadline | None:
    """Open the review's completion target: its type's months from the decision (six for an
    SCR, less for a lighter review); None for a type with no target."""
    months = review.type_profile.completion_months
    if months is None:
        return None
    return deadline_open(
        review=review,
        kind=Deadline.Kind.REVIEW_COMPLETE,
        due_on=decided_on + relativedelta(months=months),
        actor=actor,
    )


@transaction.atomic
def deadline_reschedule(
    *, deadline: Deadline, actor: User, due_on: date, reason: str, version: int | None = None
) -> Deadline:
    """Move an open deadline to another date; the reason is kept in its history. Refused if
    the deadline changed since it was read at ``version``; refused once the review is closed."""
    review_lock(deadline.review_id)
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    check_unchanged(deadline, version, what="The deadline")
    if deadline.state != Deadline.State.OPEN:
        raise ValidationError("Only an open deadline can be moved")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the date is changing"})
    check_not_before(
        due_on,
        timezone.localdate(),
        field="due_on",
        message="New due date must be today or in the future",
    )
    deadline.due_on = due_on
    return _save(deadline, actor, f"moved to {due_on:%-d %B %Y}: {reason.strip()}")


def deadline_change(
    *,
    deadline: Deadline,
    actor: User,
    action: str,
    due_on: date | None,
    reason: str,
    version: int | None = None,
) -> Deadline:
    """Move (``action`` "move") or waive an open deadline, as the deadline page asks."""
    if action == "move":
        if due_on is None:
            raise ValidationError({"due_on": "Enter the new due date"})
        return deadline_reschedule(
            deadline=deadline, actor=actor, due_on=due_on, reason=reason, version=version
        )
    return deadline_waive(deadline=deadline, actor=actor, reason=reason, version=version)


@transaction.atomic
def deadline_waive(
    *, deadline: Deadline, actor: User, reason: str, version: int | None = None
) -> Deadline:
    """Waive an open deadline, with the reason; refused if it changed since ``version``, or
    once the review is closed."""
    review_lock(deadline.review_id)
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    check_unchanged(deadline, version, what="The deadline", nothing="waived")
    if deadline.state != Deadline.State.OPEN:
        raise ValidationError("Only an open deadline can be waived")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the deadline is waived"})
    deadline.state, deadline.closed_at, deadline.note = (
        Deadline.State.WAIVED,
        timezone.now(),
        reason.strip(),
    )
    return _save(deadline, actor, f"waived: {reason.strip()}")


def _clock_record(
    *,
    review: Review,
    actor: User,
    kind: str,
    days: int,
    reason: str,
    parallel_process: ParallelProcess | None = None,
) -> ClockEvent:
    event = ClockEvent(
        review=review,
        kind=kind,
        days=days,
        reason=reason,
        actor=actor,
        parallel_process=parallel_process,
    )
    event._history_user, event._change_reason = actor, reason
    event.save()
    return event


def _shift_open(review: Review, actor: User, days: int, reason: str, **filters) -> None:
    for deadline in review.deadlines.filter(state=Deadline.State.OPEN, **filters):
        deadline.due_on += timedelta(days=days)
        _save(deadline, actor, reason)


@transaction.atomic
def clock_extend(*, review: Review, actor: User, days: int, reason: str) -> ClockEvent:
    """Extend the review's completion target by ``days`` (e.g. for criminal proceedings)."""
    review = review_lock(review)
    if days < 1:
        raise ValidationError({"days": "Enter a number of days of 1 or more"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the review is extended"})
    _shift_open(review, actor, days, f"extended by {days} days", kind=Deadline.Kind.REVIEW_COMPLETE)
    return _clock_record(
        review=review, actor=actor, kind=ClockEvent.Kind.EXTENDED, days=days, reason=reason
    )


@transaction.atomic
def clock_stop(
    *,
    review: Review,
    actor: User,
    reason: str,
    parallel_process: ParallelProcess | None = None,
) -> ClockEvent:
    """Stop the review's clock; open deadlines move on by the time it stays stopped. A stop
    for a ``parallel_process`` (reviews/services/parallel.py) lifts when no running process
    stops the clock any more; one made by hand waits for a restart by hand."""
    review = review_lock(review)
    if clock_stop_in_force(review=review):
        raise ValidationError("The clock is already stopped")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the clock is stopped"})
    return _clock_record(
        review=review,
        actor=actor,
        kind=ClockEvent.Kind.STOPPED,
        days=0,
        reason=reason,
        parallel_process=parallel_process,
    )


@transaction.atomic
def clock_restart(*, review: Review, actor: User, reason: str) -> ClockEvent:
    """Restart a stopped clock: every open deadline moves by the days it was stopped. Refused
    while a running parallel process stops it: the process is ended, or changed, instead."""
    review = review_lock(review)
    stop = clock_stop_in_force(review=review)
    if stop is None:
        raise ValidationError("The clock is not stopped")
    if hold := parallel_hold(review=review, effect="stops_clock"):
        raise ValidationError(
            f"The clock is held while {hold}: record that it has ended, or that it no longer "
            "stops the clock, and the clock restarts"
        )
    days = (timezone.localdate() - timezone.localdate(stop.at)).days
    _shift_open(review, actor, days, f"clock stopped for {days} days")
    return _clock_record(
        review=review, actor=actor, kind=ClockEvent.Kind.RESTARTED, days=days, reason=reason
    )


def _reminder_for(deadline_due: date, today: date) -> tuple[str, date] | None:
    """Which reminder a deadline due on ``deadline_due`` calls for today, and its fixed date."""
    if deadline_due == today:
        return Reminder.Kind.DUE, today
    if deadline_due < today:
        first = deadline_due + timedelta(days=1)
        return Reminder.Kind.OVERDUE, first + timedelta(days=7 * ((today - first).days // 7))
    before = add_working_days(
        deadline_due, -settings.SCR_REMINDER_WORKING_DAYS_BEFORE, settings.SCR_JURISDICTION
    )
    return (Reminder.Kind.BEFORE, before) if before <= today else None


def reminders_sweep(*, today: date | None = None) -> list[int]:
    """Write the reminders that open deadlines call for today, once each, and return the ids
    of every reminder still to send. Safe to run twice, or twice at once."""
    today = today or timezone.localdate()
    horizon = add_working_days(
        today, settings.SCR_REMINDER_WORKING_DAYS_BEFORE, settings.SCR_JURISDICTION
    )
    managers = list(board_managers().values_list("pk", flat=True))
    leads: dict[int, list[int]] = {}
    for person, agency in User.objects.filter(
        is_active=True, groups__name=Role.AGENCY_LEAD, agency__isnull=False
    ).values_list("pk", "agency_id"):
        leads.setdefault(agency, []).append(person)
    due = Deadline.objects.filter(state=Deadline.State.OPEN, due_on__lte=horizon)
    authors = dict(
        AuthorAppointment.objects.filter(
            ended_at__isnull=True,
            person__is_active=True,
            review__in=due.filter(kind__in=_AUTHOR_REMINDED).values("review_id"),
        ).values_list("review_id", "person_id")
    )
    batch: list[Reminder] = []
    rows = due.values_list("pk", "due_on", "owner_agency_id", "review_id", "kind")
    for deadline_id, due_on, agency, review_id, deadline_kind in rows.iterator(chunk_size=_BATCH):
        reminder = _reminder_for(due_on, today)
        if reminder is None:
            continue
        kind, send_on = reminder
        people = set(leads.get(agency, []) if agency else managers)
        if deadline_kind in _AUTHOR_REMINDED and review_id in authors:
            people.add(authors[review_id])
        if kind == Reminder.Kind.OVERDUE:
            people |= set(managers)  # overdue: escalated to the board managers too
        batch += [
            Reminder(deadline_id=deadline_id, kind=kind, send_on=send_on, recipient_id=person)
            for person in people
        ]
        if len(batch) >= _BATCH:
            Reminder.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Reminder.objects.bulk_create(batch, ignore_conflicts=True)
    return list(
        Reminder.objects.filter(status=Reminder.Status.PENDING, send_on__lte=today).values_list(
            "pk", flat=True
        )
    )


_SUBJECTS = {
    Reminder.Kind.BEFORE: "{ref}: {what} due by {due}",
    Reminder.Kind.DUE: "{ref}: {what} due today",
    Reminder.Kind.OVERDUE: "{ref}: {what} overdue since {due}",
}


@transaction.atomic
def reminder_send(*, reminder_id: int) -> bool:
    """Send one pending reminder and mark it sent, in one transaction; False if it was already
    sent, or is no longer needed (deadline closed, person deactivated)."""
    reminder = (
        Reminder.objects.select_for_update(of=("self",))
        .select_related("deadline__review", "recipient")
        .filter(pk=reminder_id, status=Reminder.Status.PENDING)
        .first()
    )
    if reminder is None:
        return False
    deadline, person = reminder.deadline, reminder.recipient
    if deadline.state != Deadline.State.OPEN or not person.is_active:
        reminder.status, reminder.error = Reminder.Status.FAILED, "no longer needed"
        reminder.save(update_fields=["status", "error"])
        return False
    subject = _SUBJECTS[Reminder.Kind(reminder.kind)].format(
        ref=deadline.review.reference,
        what=deadline.get_kind_display(),
        due=f"{deadline.due_on:%-d %B %Y}",
    )
    in_digest = bool(digest_choosers(kind=HandoffKind.REMINDERS, people=[person.pk]))
    if not in_digest:
        link = settings.SCR_SITE_URL.rstrip("/") + deadline.get_absolute_url()
        context = {"reminder": reminder, "deadline": deadline, "person": person, "link": link}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/reminder.txt", context),
            to=[person.email],
        )
        message.attach_alternative(render_to_string("emails/reminder.html", context), "text/html")
        message.send()
    Notification.objects.create(
        recipient=person,
        review=deadline.review,
        text=subject,
        url=deadline.get_absolute_url(),
        reminder=reminder,
        digest_pending=in_digest,
    )
    reminder.status, reminder.sent_at = Reminder.Status.SENT, timezone.now()
    reminder.attempts += 1
    reminder.save(update_fields=["status", "sent_at", "attempts"])
    return True


def reminder_fail(*, reminder_id: int, error: str) -> None:
    """Mark a reminder whose every try failed, so that it shows as failed."""
    Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.PENDING).update(
        status=Reminder.Status.FAILED, error=error[:500]
    )
    logger.error("reminder %s failed: %s", reminder_id, error[:200])


def notifications_mark_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
