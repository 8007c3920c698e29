"""The statutory clock: deadlines opened and closed by the lifecycle's services, moved with a
reason, and reminders swept into rows and sent exactly once."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from smtplib import SMTPException

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.template.loader import get_template
from django.urls import reverse
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
# Reminders sent by one task, over one mail connection, in one transaction.
REMINDER_BATCH = 200
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


def _reminder_rule(today: date) -> tuple[Case, Case, Q]:
    """_reminder_for as SQL: the kind and the date of the reminder each open deadline calls
    for today, and which deadlines call for one. The rule is asked of Python for the few due
    dates ahead that are in the window, and once per weekday for overdue deadlines (a weekly
    reminder falls on the weekday after the due date), so the SQL cannot drift from it."""
    horizon = add_working_days(
        today, settings.SCR_REMINDER_WORKING_DAYS_BEFORE, settings.SCR_JURISDICTION
    )
    ahead = [today + timedelta(days=n) for n in range(1, (horizon - today).days + 1)]
    before = {day: rule[1] for day in ahead if (rule := _reminder_for(day, today))}
    weekly = {}
    for back in range(1, 8):
        due = today - timedelta(days=back)
        weekly[due.isoweekday() % 7 + 1] = _reminder_for(due, today)[1]  # type: ignore[index]
    kind = Case(
        When(due_on=today, then=Value(Reminder.Kind.DUE)),
        When(due_on__lt=today, then=Value(Reminder.Kind.OVERDUE)),
        default=Value(Reminder.Kind.BEFORE),
        output_field=CharField(),
    )
    send_on = Case(
        When(due_on=today, then=Value(today)),
        *[When(due_on=day, then=Value(on)) for day, on in before.items()],
        *[When(due_on__lt=today, due_on__week_day=w, then=Value(on)) for w, on in weekly.items()],
        output_field=DateField(),
    )
    return kind, send_on, Q(due_on__lte=today) | Q(due_on__in=list(before))


def _reminded(person: str, depth: int = 1) -> Exists:
    """Whether ``person`` (a field of the query at ``depth``) has the reminder the deadline
    calls for today (the deadline being the outermost query)."""

    def outer(name: str) -> OuterRef:
        ref = OuterRef(name)
        for _ in range(depth - 1):
            ref = OuterRef(ref)
        return ref

    return Exists(
        Reminder.objects.filter(
            deadline=outer("pk"),
            kind=outer("reminder_kind"),
            send_on=outer("reminder_on"),
            recipient=OuterRef(person),
        )
    )


def _leads_unreminded(due: QuerySet[Deadline]) -> QuerySet:
    """(deadline, kind, date, lead) of each active lead of the deadline's agency who has not
    had today's reminder of it: one anti-join, which the planner runs as such (a sweep with
    nothing new reads the index of reminders once per lead and deadline, and writes
    nothing)."""
    leads = User.objects.filter(
        is_active=True, groups__name=Role.AGENCY_LEAD, agency__isnull=False
    ).values_list("pk", flat=True)
    return (
        due.filter(owner_agency__isnull=False)
        .annotate(person=F("owner_agency__people"))
        .filter(person__in=list(leads))
        .filter(~_reminded("person"))
        .values_list("pk", "reminder_kind", "reminder_on", "person")
    )


def _board_unreminded(due: QuerySet, today: date, managers: list[int]) -> QuerySet:
    """Deadlines one of whose other people has not had today's reminder: the board managers
    for the board's own deadlines (before and on the day: once overdue, managers hear of it in
    their daily summary), and the current author for the deadlines authors are reminded of."""
    board = User.objects.filter(pk__in=managers)
    authors = AuthorAppointment.objects.filter(
        review=OuterRef("review"), ended_at__isnull=True, person__is_active=True
    )
    return due.filter(
        Q(Exists(board.filter(~_reminded("pk", depth=2))), owner_agency__isnull=True)
        & Q(due_on__gte=today)
        | Q(Exists(authors.filter(~_reminded("person_id", depth=2))), kind__in=_AUTHOR_REMINDED)
    )


def _board_people(deadline: tuple, managers: list[int], authors: dict[int, int]) -> set[int]:
    """Who besides the agency's leads is reminded of the deadline today, as _board_unreminded
    says."""
    _, agency, review_id, deadline_kind, kind, _ = deadline
    people = set(managers) if not agency and kind != Reminder.Kind.OVERDUE else set()
    if deadline_kind in _AUTHOR_REMINDED and review_id in authors:
        people.add(authors[review_id])
    return people


def _summaries_write(today: date, managers: list[int]) -> None:
    """One summary a day for each board manager while any deadline is overdue, instead of a
    reminder of each overdue deadline every week: at a national board's scale those are
    thousands a day, and My tasks lists them all."""
    if not managers:
        return
    overdue = Deadline.objects.filter(state=Deadline.State.OPEN, due_on__lt=today)
    had = Reminder.objects.filter(
        deadline__isnull=True, kind=Reminder.Kind.SUMMARY, send_on=today, recipient__in=managers
    ).values_list("recipient_id", flat=True)
    missing = set(managers) - set(had)
    if missing and overdue.exists():
        Reminder.objects.bulk_create(
            [
                Reminder(kind=Reminder.Kind.SUMMARY, send_on=today, recipient_id=person)
                for person in sorted(missing)
            ],
            ignore_conflicts=True,
        )


def _write(rows: list[Reminder]) -> None:
    for start in range(0, len(rows), _BATCH):
        # ignore_conflicts: a sweep running at the same time may have written it first.
        Reminder.objects.bulk_create(rows[start : start + _BATCH], ignore_conflicts=True)


def reminders_sweep(*, today: date | None = None) -> list[int]:
    """Write the reminders that open deadlines call for today, once each, and return the ids
    of every reminder still to send. Safe to run twice, or twice at once; a sweep with nothing
    new to remind writes nothing."""
    today = today or timezone.localdate()
    managers = list(board_managers().values_list("pk", flat=True))
    kind, send_on, calls = _reminder_rule(today)
    due = (
        Deadline.objects.filter(state=Deadline.State.OPEN)
        .filter(calls)
        .annotate(reminder_kind=kind, reminder_on=send_on)
        .order_by()
    )
    _write(
        [
            Reminder(deadline_id=pk, kind=kind, send_on=on, recipient_id=person)
            for pk, kind, on, person in _leads_unreminded(due).iterator(chunk_size=_BATCH)
        ]
    )
    others = list(
        _board_unreminded(due, today, managers).values_list(
            "pk", "owner_agency_id", "review_id", "kind", "reminder_kind", "reminder_on"
        )
    )
    if others:
        authors = dict(
            AuthorAppointment.objects.filter(
                ended_at__isnull=True,
                person__is_active=True,
                review__in={row[2] for row in others if row[3] in _AUTHOR_REMINDED},
            ).values_list("review_id", "person_id")
        )
        had = set(
            Reminder.objects.filter(deadline__in=[row[0] for row in others]).values_list(
                "deadline_id", "kind", "send_on", "recipient_id"
            )
        )
        _write(
            [
                Reminder(deadline_id=row[0], kind=row[4], send_on=row[5], recipient_id=person)
                for row in others
                for person in sorted(_board_people(row, managers, authors))
                if (row[0], row[4], row[5], person) not in had
            ]
        )
    _summaries_write(today, managers)
    return list(
        Reminder.objects.filter(status=Reminder.Status.PENDING, send_on__lte=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


_SUBJECTS = {
    Reminder.Kind.BEFORE: "{reference}: {what} due by {due}",
    Reminder.Kind.DUE: "{reference}: {what} due today",
    Reminder.Kind.OVERDUE: "{reference}: {what} overdue since {due}",
}


@dataclass
class _Outgoing:
    """One reminder ready to go: the note in the app, and the email unless it waits for the
    person's digest."""

    reminder: Reminder
    notification: Notification
    message: EmailMultiAlternatives | None


class _Templates:
    """The reminder emails' templates, loaded once for a batch."""

    def __init__(self) -> None:
        self.text = {
            name: get_template(f"emails/{name}.txt") for name in ("reminder", "overdue_summary")
        }
        self.html = {
            name: get_template(f"emails/{name}.html") for name in ("reminder", "overdue_summary")
        }

    def message(
        self, name: str, subject: str, person: User, context: dict
    ) -> EmailMultiAlternatives:
        context = {**context, "name": person.get_full_name() or person.email}
        message = EmailMultiAlternatives(
            subject=subject, body=self.text[name].render(context), to=[person.email]
        )
        message.attach_alternative(self.html[name].render(context), "text/html")
        return message


def _summary_text(count: int, new: int) -> str:
    text = f"{count} deadline{'s' if count != 1 else ''} overdue"
    return f"{text} ({new} since yesterday)" if new else text


def _outgoing(reminders: list[Reminder], today: date) -> list[_Outgoing]:
    """The notes and emails of reminders still needed, in a few queries for the batch."""
    digest = digest_choosers(
        kind=HandoffKind.REMINDERS, people=list({r.recipient_id for r in reminders})
    )
    summary = ("", "")
    if any(r.kind == Reminder.Kind.SUMMARY for r in reminders):
        overdue = Deadline.objects.filter(state=Deadline.State.OPEN, due_on__lt=today).aggregate(
            count=Count("pk"), new=Count("pk", filter=Q(due_on=today - timedelta(days=1)))
        )
        if overdue["count"]:
            summary = (
                _summary_text(overdue["count"], overdue["new"]),
                reverse("reviews:tasks") + "?show=overdue",
            )
    templates, site = _Templates(), settings.SCR_SITE_URL.rstrip("/")
    outgoing = []
    for reminder in reminders:
        person, deadline = reminder.recipient, reminder.deadline
        if deadline is None:
            subject, url = summary
            context = {"summary": subject, "link": site + url}
            name, review = "overdue_summary", None
        else:
            # Plain values, worked out once: the templates do no lookups of their own.
            context = {
                "kind": reminder.kind,
                "reference": deadline.review.reference,
                "what": Deadline.Kind(deadline.kind).label,
                "due": f"{deadline.due_on:%-d %B %Y}",
            }
            subject = _SUBJECTS[Reminder.Kind(reminder.kind)].format(**context)
            url = deadline.get_absolute_url()
            context |= {"what": context["what"].lower(), "link": site + url}
            name, review = "reminder", deadline.review
        in_digest = person.pk in digest
        notification = Notification(
            recipient=person,
            review=review,
            text=subject,
            url=url,
            reminder=reminder,
            digest_pending=in_digest,
        )
        message = (
            None
            if in_digest
            else templates.message(name=name, subject=subject, person=person, context=context)
        )
        outgoing.append(_Outgoing(reminder, notification, message))
    return outgoing


def _needed(reminder: Reminder) -> bool:
    """Still worth sending: its person is active and its deadline open (or, for a summary,
    something is still overdue: checked when it is written)."""
    if not reminder.recipient.is_active:
        return False
    return reminder.deadline is None or reminder.deadline.state == Deadline.State.OPEN


def reminders_send(*, ids: list[int], today: date | None = None) -> int:
    """Send the pending reminders among ``ids`` that no other worker holds, over one mail
    connection, and mark each sent, with its note in the app, in one transaction; returns how
    many went. Those no longer needed (deadline closed, person gone) are marked failed. A
    mail server failing stops the batch: what went is marked sent, the rest stay pending for
    the retry, and the error (OSError or SMTPException) is raised."""
    today = today or timezone.localdate()
    error: Exception | None = None
    with transaction.atomic():
        reminders = list(
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("deadline__review", "recipient")
            .filter(pk__in=ids, status=Reminder.Status.PENDING)
            .order_by("pk")
        )
        needed = [reminder for reminder in reminders if _needed(reminder)]
        outgoing = _outgoing(needed, today)
        unneeded = [r.pk for r in reminders if not _needed(r)]
        unneeded += [o.reminder.pk for o in outgoing if not o.notification.text]
        outgoing = [o for o in outgoing if o.notification.text]
        if unneeded:
            Reminder.objects.filter(pk__in=unneeded).update(
                status=Reminder.Status.FAILED, error="no longer needed"
            )
        sent: list[_Outgoing] = []
        connection = get_connection()
        try:
            if any(o.message for o in outgoing):
                connection.open()
            for item in outgoing:
                if item.message is not None:
                    connection.send_messages([item.message])
                sent.append(item)
        except (OSError, SMTPException) as failure:
            error = failure
        finally:
            connection.close()
        Notification.objects.bulk_create([item.notification for item in sent])
        Reminder.objects.filter(pk__in=[item.reminder.pk for item in sent]).update(
            status=Reminder.Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1
        )
    if error is not None:
        raise error
    return len(sent)


def reminder_send(*, reminder_id: int) -> bool:
    """Send one pending reminder and mark it sent, in one transaction; False if it was already
    sent, or is no longer needed (deadline closed, person deactivated)."""
    return reminders_send(ids=[reminder_id]) == 1


def reminders_fail(*, ids: list[int], error: str) -> None:
    """Mark the reminders among ``ids`` still unsent after every try, so they show as failed."""
    failed = Reminder.objects.filter(pk__in=ids, status=Reminder.Status.PENDING).update(
        status=Reminder.Status.FAILED, error=error[:500]
    )
    logger.error("%s reminders failed: %s", failed, error[:200])


def notifications_mark_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
