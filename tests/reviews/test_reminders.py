"""Reminders at a national board's scale: the sweep writes nothing when nothing new is due,
reminders go in batches over one mail connection, and board managers get one summary a day of
what is overdue rather than a reminder of each overdue deadline."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.handoffs import Delivery, Kind
from reviews.models import Deadline, DeliveryPreference, Notification, Reminder
from reviews.services.clock import (
    _reminder_for,
    deadline_close,
    reminders_send,
    reminders_sweep,
)
from reviews.tasks import reminders_send_task, reminders_sweep_task
from tests.factories import AgencyFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)  # a Monday


@pytest.fixture
def agency_lead():
    agency = AgencyFactory()
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    return agency, lead


def _deadlines(review, agency, dues):
    """Open deadlines of one review due on ``dues`` (keyed, so that there may be many)."""
    return [
        Deadline.objects.create(
            review=review,
            kind=Deadline.Kind.AGENCY_REPORT if agency else Deadline.Kind.PUBLICATION_NOTICE,
            key=f"bench-{n}",
            due_on=due,
            original_due_on=due,
            owner_agency=agency,
        )
        for n, due in enumerate(dues)
    ]


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


@pytest.mark.parametrize(
    "today",
    # A Monday, a Saturday, the day after Christmas (a bank holiday) and Good Friday 2026.
    [TODAY, date(2026, 6, 20), date(2026, 12, 26), date(2026, 4, 3)],
)
def test_the_sweep_writes_what_the_rule_calls_for_on_every_due_date(agency_lead, manager, today):
    agency, lead = agency_lead
    review = ReviewFactory(decided=True, created_by=manager)
    dues = [today + timedelta(days=n) for n in range(-30, 12)]
    deadlines = _deadlines(review, agency, dues)
    reminders_sweep(today=today)
    expected = {
        (deadline.pk, *rule, lead.pk)
        for deadline in deadlines
        if (rule := _reminder_for(deadline.due_on, today))
    }
    rows = set(
        Reminder.objects.filter(deadline__isnull=False).values_list(
            "deadline_id", "kind", "send_on", "recipient_id"
        )
    )
    assert rows == expected


def test_a_second_sweep_writes_nothing(agency_lead, manager):
    agency, _ = agency_lead
    review = ReviewFactory(decided=True, created_by=manager)
    _deadlines(review, agency, [TODAY - timedelta(days=9), TODAY, TODAY + timedelta(days=2)])
    _deadlines(ReviewFactory(decided=True, created_by=manager), None, [TODAY])
    pending = reminders_sweep(today=TODAY)
    assert len(pending) == 5  # the lead's three, the manager's board deadline and summary
    with CaptureQueriesContext(connection) as again:
        assert reminders_sweep(today=TODAY) == pending
    assert _writes(again) == []
    reminders_send(ids=pending, today=TODAY)
    with CaptureQueriesContext(connection) as after_sending:
        assert reminders_sweep(today=TODAY) == []
    assert _writes(after_sending) == []


def test_a_lead_who_joins_gets_the_reminder_of_the_day_and_nobody_gets_two(agency_lead, manager):
    agency, lead = agency_lead
    review = ReviewFactory(decided=True, created_by=manager)
    (deadline,) = _deadlines(review, agency, [TODAY - timedelta(days=3)])
    reminders_sweep(today=TODAY)
    newcomer = UserFactory(agency=agency)
    person_roles_set(person=newcomer, roles=[Role.AGENCY_LEAD], agency=agency)
    reminders_sweep(today=TODAY + timedelta(days=1))  # the same week's overdue reminder
    assert set(deadline.reminders.values_list("recipient_id", "send_on")) == {
        (lead.pk, TODAY - timedelta(days=2)),
        (newcomer.pk, TODAY - timedelta(days=2)),
    }


def test_managers_get_one_summary_a_day_of_every_overdue_deadline(agency_lead, manager):
    agency, lead = agency_lead
    review = ReviewFactory(decided=True, created_by=manager)
    yesterday = TODAY - timedelta(days=1)
    _deadlines(review, agency, [TODAY - timedelta(days=20), TODAY - timedelta(days=8), yesterday])
    board_review = ReviewFactory(decided=True, created_by=manager)
    _deadlines(board_review, None, [yesterday, TODAY])
    for _ in range(2):
        reminders_send(ids=reminders_sweep(today=TODAY), today=TODAY)
    to_manager = [m for m in mail.outbox if m.to == [manager.email]]
    assert [m.subject for m in to_manager] == [
        # The board's deadline due today is still reminded on its own.
        f"{board_review.reference}: Report to the national bodies before publication due today",
        "4 deadlines overdue (2 since yesterday)",
    ]
    summary = to_manager[1]
    assert f"{reverse('reviews:tasks')}?show=overdue" in summary.body
    assert "4 deadlines overdue" in str(summary.alternatives[0][0])
    note = Notification.objects.get(recipient=manager, reminder__kind=Reminder.Kind.SUMMARY)
    assert (note.text, note.url, note.review) == (
        "4 deadlines overdue (2 since yesterday)",
        reverse("reviews:tasks") + "?show=overdue",
        None,
    )
    # The lead still hears of each of their agency's deadlines.
    assert len([m for m in mail.outbox if m.to == [lead.email]]) == 3
    # The next day: another summary, and one only.
    tomorrow = TODAY + timedelta(days=1)
    reminders_send(ids=reminders_sweep(today=tomorrow), today=tomorrow)
    reminders_sweep(today=tomorrow)
    assert Reminder.objects.filter(recipient=manager, kind=Reminder.Kind.SUMMARY).count() == 2


def test_no_summary_when_nothing_is_overdue_and_none_sent_once_all_are_met(agency_lead, manager):
    agency, _ = agency_lead
    review = ReviewFactory(decided=True, created_by=manager)
    _deadlines(review, agency, [TODAY, TODAY + timedelta(days=1)])
    reminders_sweep(today=TODAY)
    assert not Reminder.objects.filter(kind=Reminder.Kind.SUMMARY).exists()
    later = TODAY + timedelta(days=3)
    pending = reminders_sweep(today=later)
    assert Reminder.objects.filter(kind=Reminder.Kind.SUMMARY, recipient=manager).exists()
    for deadline in Deadline.objects.all():
        deadline_close(review=review, kind=deadline.kind, key=deadline.key, actor=manager)
    assert reminders_send(ids=pending, today=later) == 0
    assert mail.outbox == []
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.FAILED}


def test_a_manager_who_chose_a_digest_gets_the_summary_in_it(agency_lead, manager):
    agency, _ = agency_lead
    DeliveryPreference.objects.create(person=manager, kind=Kind.REMINDERS, delivery=Delivery.DIGEST)
    _deadlines(ReviewFactory(decided=True, created_by=manager), agency, [TODAY - timedelta(days=2)])
    reminders_send(ids=reminders_sweep(today=TODAY), today=TODAY)
    assert not [m for m in mail.outbox if m.to == [manager.email]]
    note = Notification.objects.get(recipient=manager)
    assert (note.text, note.digest_pending) == ("1 deadline overdue", True)


class CountingEmail(EmailBackend):
    """The test backend, counting the connections opened."""

    opened = 0

    def open(self):
        CountingEmail.opened += 1
        return True


class FailingAfterTwo(EmailBackend):
    """A mail server that takes two emails and then stops answering."""

    def send_messages(self, messages):
        if len(mail.outbox) >= 2:
            raise OSError("SMTP server went away")
        return super().send_messages(messages)


def _many(agency, manager, count):
    review = ReviewFactory(decided=True, created_by=manager)
    _deadlines(review, agency, [TODAY] * count)
    return reminders_sweep(today=TODAY)


@pytest.mark.parametrize("count", [5, 60])
def test_a_batch_sends_in_the_same_few_queries_over_one_connection(
    agency_lead, manager, settings, django_assert_max_num_queries, count
):
    agency, lead = agency_lead
    settings.EMAIL_BACKEND = "tests.reviews.test_reminders.CountingEmail"
    CountingEmail.opened = 0
    ids = _many(agency, manager, count)
    with django_assert_max_num_queries(6):
        assert reminders_send(ids=ids, today=TODAY) == count
    assert CountingEmail.opened == 1
    assert len(mail.outbox) == count
    assert Notification.objects.filter(recipient=lead).count() == count
    assert set(Reminder.objects.values_list("status", "attempts")) == {(Reminder.Status.SENT, 1)}
    assert reminders_send(ids=ids, today=TODAY) == 0  # each is sent once
    assert len(mail.outbox) == count


def test_a_failing_mail_server_keeps_what_went_and_retries_the_rest(agency_lead, manager, settings):
    agency, _ = agency_lead
    settings.EMAIL_BACKEND = "tests.reviews.test_reminders.FailingAfterTwo"
    ids = _many(agency, manager, 5)
    with pytest.raises(OSError, match="went away"):
        reminders_send(ids=ids, today=TODAY)
    statuses = list(Reminder.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["sent", "sent", "pending", "pending", "pending"]
    assert Notification.objects.count() == 2
    result = reminders_send_task.apply(args=[ids], retries=reminders_send_task.max_retries)
    assert result.get() == 0
    statuses = list(Reminder.objects.order_by("pk").values_list("status", "error"))
    assert statuses[:2] == [("sent", ""), ("sent", "")]
    assert {status for status, _ in statuses[2:]} == {"failed"}
    assert "went away" in statuses[2][1]
    assert len(mail.outbox) == 2


def test_the_hourly_task_sends_the_days_reminders_in_batches_once(
    agency_lead, manager, monkeypatch
):
    agency, lead = agency_lead
    monkeypatch.setattr("reviews.tasks.REMINDER_BATCH", 2)
    review = ReviewFactory(decided=True, created_by=manager)
    _deadlines(review, agency, [timezone.localdate()] * 5)
    batches = []
    monkeypatch.setattr("reviews.tasks.reminders_send_task.delay", lambda ids: batches.append(ids))
    assert reminders_sweep_task() == 5
    assert [len(ids) for ids in batches] == [2, 2, 1]
    for ids in batches + batches:  # a redelivered batch sends nothing twice
        reminders_send_task.apply(args=[ids])
    assert sorted(len(m.to) for m in mail.outbox) == [1] * 5
    assert Reminder.objects.filter(recipient=lead, status=Reminder.Status.SENT).count() == 5
