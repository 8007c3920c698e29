"""The statutory clock: deadlines as rows, moved with reasons, and reminders sent once."""

import os
import threading
from datetime import date, timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_deactivate, person_roles_set
from reviews.frameworks import Outcome
from reviews.models import Deadline, Notification, Reminder
from reviews.services.clock import (
    clock_extend,
    clock_restart,
    clock_stop,
    deadline_open,
    deadline_reschedule,
    deadline_waive,
    reminder_send,
    reminders_sweep,
)
from reviews.services.interviews import (
    interview_notes_send,
    interview_record,
    interview_response_record,
)
from reviews.services.referral import decision_record
from reviews.services.reports import (
    report_excuse,
    report_records_secure,
    report_submit,
    report_upload,
)
from reviews.tasks import reminder_send_task
from scr.versions import version_of
from tests.documents import PDF
from tests.factories import AgencyFactory, ReviewFactory, UserFactory
from tests.reviews.test_review_rules import _refer

pytestmark = pytest.mark.django_db


def _board_deadline(review, manager, due_on, kind=Deadline.Kind.REVIEW_COMPLETE):
    return deadline_open(review=review, kind=kind, due_on=due_on, actor=manager)


@time_machine.travel(date(2026, 12, 21), tick=False)
def test_a_referral_opens_the_notification_deadline_in_working_days(manager):
    review = _refer(manager, AgencyFactory(), referred_on=date(2026, 12, 21))
    deadline = review.deadlines.get()
    # Monday 21 December + 5 working days skips Christmas, Boxing Day's substitute and a weekend.
    assert deadline.kind == Deadline.Kind.NOTIFY_NATIONAL_BODIES
    assert deadline.due_on == date(2026, 12, 30)
    assert deadline.owner_agency is None


def test_the_decision_meets_the_notification_and_opens_six_months(manager, chair):
    review = _refer(manager, AgencyFactory(), referred_on=timezone.localdate() - timedelta(1))
    answers = {c.key: c.key in {"abuse_or_neglect", "died"} for c in review.profile.criteria}
    decision_record(
        review=review,
        actor=chair,
        answers=answers,
        outcome=Outcome.INITIATE,
        decided_on=timezone.localdate(),
        rationale="",
        national_bodies_told_on=timezone.localdate(),
    )
    states = dict(review.deadlines.values_list("kind", "state"))
    assert states[Deadline.Kind.NOTIFY_NATIONAL_BODIES] == Deadline.State.MET
    complete = review.deadlines.get(kind=Deadline.Kind.REVIEW_COMPLETE)
    assert complete.due_on == timezone.localdate() + relativedelta(months=6)


def test_reports_and_interviews_open_and_close_their_deadlines(report, manager):
    deadline = Deadline.objects.get(report=report)
    assert (deadline.owner_agency, deadline.state) == (report.agency, Deadline.State.OPEN)
    interview = interview_record(
        report=report,
        actor=report.lead,
        worker_role="HV",
        worker_name="Canary Worker",
        held_on=timezone.localdate() - timedelta(days=5),
        interviewer="Reviewer",
        supporter_attended=False,
        notes="Notes",
    )
    interview_notes_send(
        interview=interview,
        actor=report.lead,
        sent_on=timezone.localdate() - timedelta(days=4),
        response_due_on=timezone.localdate() - timedelta(days=1),
    )
    interview_response_record(
        interview=interview,
        actor=report.lead,
        response="no_response",
        response_on=timezone.localdate(),
    )
    assert Deadline.objects.get(interview=interview).state == Deadline.State.MISSED
    report_excuse(report=report, actor=manager, comments="Not involved after all")
    assert Deadline.objects.get(report=report).state == Deadline.State.WAIVED


def test_moving_a_deadline_needs_a_reason_kept_in_history(review, manager):
    deadline = _board_deadline(review, manager, timezone.localdate() + timedelta(days=30))
    with pytest.raises(ValidationError, match="why the date is changing"):
        deadline_reschedule(deadline=deadline, actor=manager, due_on=date(2027, 1, 4), reason=" ")
    deadline = deadline_reschedule(
        deadline=deadline, actor=manager, due_on=date(2027, 1, 4), reason="Panel agreed"
    )
    assert deadline.due_on == date(2027, 1, 4)
    assert deadline.original_due_on == timezone.localdate() + timedelta(days=30)
    latest = deadline.history.latest()
    assert latest.history_user == manager
    assert "Panel agreed" in latest.history_change_reason
    deadline_waive(deadline=deadline, actor=manager, reason="Review withdrawn")
    assert Deadline.objects.get(pk=deadline.pk).state == Deadline.State.WAIVED


def test_extending_the_clock_moves_the_completion_target(review, manager):
    target = timezone.localdate() + timedelta(days=100)
    _board_deadline(review, manager, target)
    clock_extend(review=review, actor=manager, days=60, reason="Criminal proceedings")
    deadline = review.deadlines.get(kind=Deadline.Kind.REVIEW_COMPLETE)
    assert deadline.due_on == target + timedelta(days=60)
    assert deadline.original_due_on == target
    assert review.clock_events.get().reason == "Criminal proceedings"


def test_stopping_and_restarting_moves_every_open_deadline(review, manager):
    start = date(2026, 3, 2)
    with time_machine.travel(start, tick=False):
        _board_deadline(review, manager, date(2026, 9, 1))
        clock_stop(review=review, actor=manager, reason="Trial")
        with pytest.raises(ValidationError, match="already stopped"):
            clock_stop(review=review, actor=manager, reason="Again")
    with time_machine.travel(start + timedelta(days=40), tick=False):
        clock_restart(review=review, actor=manager, reason="Trial over")
    assert review.deadlines.get().due_on == date(2026, 9, 1) + timedelta(days=40)


@pytest.fixture
def lead_and_deadline(manager):
    agency = AgencyFactory()
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    review = ReviewFactory(decided=True, created_by=manager)
    deadline = deadline_open(
        review=review,
        kind=Deadline.Kind.AGENCY_REPORT,
        due_on=date(2026, 6, 12),  # a Friday
        actor=manager,
        owner_agency=agency,
    )
    return lead, deadline


@pytest.mark.parametrize(
    ("today", "kind", "send_on"),
    [
        (date(2026, 6, 8), None, None),  # four working days before: too early
        (date(2026, 6, 9), "before", date(2026, 6, 9)),
        (date(2026, 6, 11), "before", date(2026, 6, 9)),  # the same reminder, not a new one
        (date(2026, 6, 12), "due", date(2026, 6, 12)),
        (date(2026, 6, 13), "overdue", date(2026, 6, 13)),
        (date(2026, 6, 19), "overdue", date(2026, 6, 13)),
        (date(2026, 6, 20), "overdue", date(2026, 6, 20)),  # a week on: the next one
    ],
)
def test_reminders_before_on_the_day_and_weekly_when_overdue(
    lead_and_deadline, manager, today, kind, send_on
):
    lead, _ = lead_and_deadline
    reminders_sweep(today=today)
    rows = set(Reminder.objects.values_list("kind", "send_on", "recipient"))
    if kind is None:
        assert rows == set()
    elif kind == "overdue":
        # The board managers hear of it in their one summary of the day, not a reminder each.
        assert rows == {(kind, send_on, lead.pk), ("summary", today, manager.pk)}
    else:
        assert rows == {(kind, send_on, lead.pk)}


def test_each_reminder_is_sent_once_however_often_the_sweep_runs(lead_and_deadline):
    lead, _ = lead_and_deadline
    for _ in range(2):
        for pk in reminders_sweep(today=date(2026, 6, 12)):
            reminder_send(reminder_id=pk)
    assert [m.to for m in mail.outbox] == [[lead.email]]
    assert "due today" in mail.outbox[0].subject
    assert "Canary" not in mail.outbox[0].body
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.SENT, 1)
    assert Notification.objects.get(recipient=lead).reminder == reminder


def test_send_reminders_command_reports_what_it_sent(lead_and_deadline, capsys):
    with time_machine.travel(date(2026, 6, 12), tick=False):
        call_command("send_reminders")
        call_command("send_reminders")
    assert capsys.readouterr().out.splitlines() == [
        "Sent 1 reminder.",
        "Queued 0 digests.",
        "Sent 0 reminders.",
        "Queued 0 digests.",
    ]


def test_reminders_to_deactivated_people_or_closed_deadlines_are_not_sent(
    lead_and_deadline, manager
):
    lead, _ = lead_and_deadline
    ids = reminders_sweep(today=date(2026, 6, 12))
    person_deactivate(actor=manager, person=lead, reason="Left")
    assert [reminder_send(reminder_id=pk) for pk in ids] == [False]
    assert mail.outbox == []
    assert Reminder.objects.get().status == Reminder.Status.FAILED


def test_a_reminder_whose_email_keeps_failing_shows_as_failed(lead_and_deadline, settings):
    settings.EMAIL_BACKEND = "tests.reviews.test_clock.BrokenEmail"
    (pk,) = reminders_sweep(today=date(2026, 6, 12))
    result = reminder_send_task.apply(args=[pk], retries=reminder_send_task.max_retries)
    assert result.get() is False
    reminder = Reminder.objects.get()
    assert reminder.status == Reminder.Status.FAILED
    assert "SMTP server unreachable" in reminder.error


class BrokenEmail(BaseEmailBackend):
    """An email backend whose server never answers."""

    def send_messages(self, messages):
        raise OSError("SMTP server unreachable")


def test_the_sweep_makes_the_same_number_of_queries_for_ten_or_a_hundred_deadlines(manager):
    today = timezone.localdate()
    agency = AgencyFactory()
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)

    def add(count):
        for n, review in enumerate(
            ReviewFactory.create_batch(count, created_by=manager, referring_agency=agency)
        ):
            Deadline.objects.create(
                review=review,
                kind=Deadline.Kind.REVIEW_COMPLETE,
                due_on=today - timedelta(days=n % 20),
                original_due_on=today,
                owner_agency=agency,
            )

    add(10)
    with CaptureQueriesContext(connection) as small:
        reminders_sweep(today=today)
    add(90)
    Reminder.objects.all().delete()  # both sweeps write the day's reminders afresh
    with CaptureQueriesContext(connection) as large:
        reminders_sweep(today=today)
    assert len(large) == len(small)
    assert Reminder.objects.filter(recipient=lead).count() == 100
    assert Reminder.objects.filter(recipient=manager).count() == 1  # the day's summary


def test_my_tasks_shows_a_lead_their_agencys_deadlines_and_a_manager_all(
    client, lead_and_deadline, manager
):
    lead, deadline = lead_and_deadline
    other = _board_deadline(deadline.review, manager, date(2026, 7, 1))
    client.force_login(lead)
    page = client.get(reverse("reviews:tasks"))
    assert list(page.context["page"].object_list) == [deadline]
    client.force_login(manager)
    everyone = client.get(reverse("reviews:tasks"))
    assert set(everyone.context["page"].object_list) == {deadline, other}
    with time_machine.travel(date(2026, 6, 20), tick=False):
        overdue = client.get(reverse("reviews:tasks"), {"show": "overdue"})
    assert list(overdue.context["page"].object_list) == [deadline]


def test_the_header_counts_unread_notifications_until_marked_read(client, lead_and_deadline):
    lead, _ = lead_and_deadline
    for pk in reminders_sweep(today=date(2026, 6, 12)):
        reminder_send(reminder_id=pk)
    client.force_login(lead)
    assert "Notifications (1)" in client.get(reverse("reviews:list")).content.decode()
    page = client.get(reverse("reviews:notifications")).content.decode()
    assert "New" in page
    # Reading the page changes nothing (a GET never writes): still unread until marked.
    assert Notification.objects.filter(recipient=lead, read_at__isnull=True).count() == 1
    assert "Notifications (1)" in client.get(reverse("reviews:list")).content.decode()
    response = client.post(reverse("reviews:notifications"))
    assert response.status_code == 302
    html = client.get(reverse("reviews:list")).content.decode()
    assert "Notifications (1)" not in html
    assert ">Notifications<" in html


def test_marking_notifications_read_touches_only_ones_own(client, lead_and_deadline, manager):
    lead, _ = lead_and_deadline
    for pk in reminders_sweep(today=date(2026, 6, 12)):
        reminder_send(reminder_id=pk)
    client.force_login(manager)
    client.post(reverse("reviews:notifications"))
    assert Notification.objects.filter(recipient=lead, read_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="row locks need PostgreSQL; CI's second pass runs this against it",
)
def test_two_sweeps_at_once_send_each_reminder_once(lead_and_deadline):
    barrier = threading.Barrier(2)
    errors = []

    def sweep():
        try:
            barrier.wait()
            for pk in reminders_sweep(today=date(2026, 6, 12)):
                reminder_send(reminder_id=pk)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().status == Reminder.Status.SENT


def test_report_submission_meets_its_deadline(report):
    report_records_secure(report=report, actor=report.lead, note="Case system")
    report_upload(report=report, actor=report.lead, file=SimpleUploadedFile("r.pdf", PDF))
    report_submit(report=report, actor=report.lead)
    assert Deadline.objects.get(report=report).state == Deadline.State.MET


def test_a_deadline_cannot_be_moved_into_the_past(client, review, manager):
    due = timezone.localdate() + timedelta(days=30)
    deadline = _board_deadline(review, manager, due)
    client.force_login(manager)
    response = client.post(
        reverse("reviews:deadline_change", args=[deadline.pk]),
        {
            "action": "move",
            "due_on_0": "1",
            "due_on_1": "1",
            "due_on_2": "2020",
            "reason": "Typed the wrong year",
        },
    )
    assert response.status_code == 200
    assert "New due date must be today or in the future" in response.content.decode()
    deadline.refresh_from_db()
    assert deadline.due_on == due
    assert deadline.history.count() == 1


def test_moving_or_waiving_a_deadline_changed_since_it_was_read_is_refused(review, manager):
    deadline = _board_deadline(review, manager, timezone.localdate() + timedelta(days=30))
    seen = version_of(deadline)
    deadline_reschedule(
        deadline=deadline,
        actor=manager,
        due_on=timezone.localdate() + timedelta(days=40),
        reason="Panel agreed",
    )
    for change in (
        lambda: deadline_reschedule(
            deadline=deadline,
            actor=manager,
            due_on=timezone.localdate() + timedelta(days=50),
            reason="Other tab",
            version=seen,
        ),
        lambda: deadline_waive(deadline=deadline, actor=manager, reason="Other tab", version=seen),
    ):
        with pytest.raises(ValidationError) as refused:
            change()
        assert refused.value.code == "conflict"
    deadline.refresh_from_db()
    assert deadline.due_on == timezone.localdate() + timedelta(days=40)
    assert deadline.state == Deadline.State.OPEN


def test_the_deadline_page_refuses_a_stale_change_and_keeps_the_reason(client, review, manager):
    deadline = _board_deadline(review, manager, timezone.localdate() + timedelta(days=30))
    url = reverse("reviews:deadline_change", args=[deadline.pk])
    client.force_login(manager)
    seen = version_of(deadline)
    deadline_reschedule(
        deadline=deadline,
        actor=manager,
        due_on=timezone.localdate() + timedelta(days=40),
        reason="Panel agreed",
    )
    response = client.post(
        url,
        {"action": "waive", "reason": "The review was withdrawn", "version": seen},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "The review was withdrawn" in html
    assert f"changed by {manager}" in html
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.OPEN


def test_the_header_counts_unread_notifications_up_to_99(client, lead_and_deadline):
    lead, _ = lead_and_deadline
    notes = [Notification(recipient=lead, text=f"News {n}", url="/") for n in range(100)]
    Notification.objects.bulk_create(notes[:99])
    client.force_login(lead)
    assert "Notifications (99)" in client.get(reverse("reviews:list")).content.decode()
    Notification.objects.bulk_create(notes[99:])
    assert "Notifications (99+)" in client.get(reverse("reviews:list")).content.decode()
