"""The outbox drill (SECURITY-CHECKS H1 and H2) with real processes: a Redis server of the test's
own as Celery's broker, stopped and started again; Celery workers in their own processes,
sharing the PostgreSQL test database, one of them killed (SIGKILL) mid-send; and a loopback mail
server (tests/smtp_sink.py) that counts what it accepted. The web requests go through Django's
test client, as a board manager's would.

Needs PostgreSQL (the workers share the test database) and redis-server: CI's second pass, with
DATABASE_URL and REDIS_URL set, runs it. The machine's own Redis is never touched.
"""

import os
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from outbox.models import Email
from outbox.tasks import outbox_sweep_task
from scr.celery import app
from tests.factories import AgencyFactory
from tests.outbox.test_outbox import _invite_data, _review_with_leads
from tests.processes import RedisServer, Workers, database_url, until
from tests.smtp_sink import Hold, SmtpSink

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not (
            os.environ.get("REDIS_URL")
            and os.environ.get("DATABASE_URL", "").startswith("postgres")
        ),
        reason="workers share the database with the test: CI's second pass (PostgreSQL, Redis)",
    ),
]

DEADLINE = 30  # seconds for any one thing a worker does, starting included


@pytest.fixture
def sink(settings):
    """A loopback mail server, and Django's smtp backend pointed at it here as well, so that
    whatever this process sends is counted with what the workers send."""
    server = SmtpSink()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield server
    server.stop()


@pytest.fixture
def broker(tmp_path, monkeypatch):
    """A Redis server of the test's own, running, and Celery in this process queuing tasks on
    it rather than running them in-process."""
    server = RedisServer(tmp_path)
    server.start()
    monkeypatch.setitem(app.conf, "broker_url", server.url)
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    # Celery keeps the connection pools it made for the broker it was configured with: start
    # afresh on this one, and leave the old ones as they were.
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    yield server
    app.pool.force_close_all()
    server.stop()


@pytest.fixture
def workers(broker, sink, tmp_path):
    """Start Celery workers on the drill's broker, database and mail server; each is killed
    at the end, whatever happened."""
    started = Workers(
        {
            "DJANGO_SETTINGS_MODULE": "tests.outbox.drill_settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        },
        tmp_path,
    )
    yield started
    started.close()


def _copies(sink: SmtpSink) -> Counter[tuple[tuple[str, ...], str]]:
    """How many times the mail server accepted each (recipients, subject)."""
    return Counter((message.recipients, message.subject) for message in sink.received())


def _all_sent() -> bool:
    return not Email.objects.exclude(status=Email.Status.SENT).exists()


def test_with_the_broker_stopped_requests_succeed_and_each_email_is_sent_once_it_returns(
    client, manager, agency, broker, workers, sink
):
    """H1. With Redis stopped, inviting a person and requesting the management reports both
    succeed: each email waits in the outbox, and nothing is sent. Redis returns, a worker starts
    and beat's sweep reaches it: each email is delivered exactly once (each row claimed once),
    and a later sweep sends nothing again. (The person invited is to lead an agency outside
    the review, so that the request for reports is not theirs too.)"""
    agencies = [AgencyFactory(name="Police"), AgencyFactory(name="Health")]
    review, leads = _review_with_leads(manager, agencies)
    client.force_login(manager)

    broker.stop()
    invited = client.post(reverse("agencies:invite"), _invite_data(agency))
    due = timezone.localdate() + timedelta(weeks=6)
    requested = client.post(
        reverse("reviews:reports_request", args=[review.reference]),
        {"due_on_0": due.day, "due_on_1": due.month, "due_on_2": due.year},
    )
    assert (invited.status_code, requested.status_code) == (302, 302)
    invitee = User.objects.get(email="new.lead@example.org")
    waiting = Email.objects.filter(status=Email.Status.PENDING, attempts=0)
    assert sorted(waiting.values_list("recipient", flat=True)) == sorted(
        person.pk for person in [invitee, *leads]
    )
    assert Email.objects.count() == 3
    assert sink.received() == []

    broker.start()
    workers.start()
    outbox_sweep_task.delay()  # what beat does every minute
    until(_all_sent, DEADLINE, "the worker's sweep to send the three emails")

    board = "Northshire Safeguarding Children Partnership"
    expected = {((invitee.email,), f"Your account for SCR manager, {board}"): 1}
    for lead, lead_agency in zip(leads, agencies, strict=True):
        subject = f"{review.reference}: management report requested from {lead_agency}"
        expected[((lead.email,), subject)] = 1
    assert _copies(sink) == expected
    assert set(Email.objects.values_list("attempts", flat=True)) == {1}

    call_command("send_outbox")  # another sweep, here: nothing is due
    assert _copies(sink) == expected


@pytest.mark.parametrize("hold", list(Hold), ids=[hold.name.lower() for hold in Hold])
def test_a_worker_killed_mid_send_is_replaced_and_the_email_sent_after_its_lease(
    client, manager, agency, workers, sink, hold
):
    """H2. A worker's pool process claims an invitation (PENDING -> SENDING, leased for
    OUTBOX_LEASE_SECONDS: 12 in the drill's settings), is talking to the mail server, and is
    killed with SIGKILL. The worker starts a new pool process and, the task being acknowledged
    only once done (acks_late) and given back when its process is lost
    (task_reject_on_worker_lost), runs it again within seconds: it sends nothing, the lease
    still running; nor does a sweep then. Once the lease has run out, the next sweep claims the
    email again and sends it, and it is marked SENT. The email is never lost.

    What the outbox guarantees is at-least-once delivery, which is exactly once in every case
    but one:

    - killed before the mail server accepted the message (before its 250 reply to the data):
      the server has not taken the message, so the one sent after the lease is the only copy.
      Exactly once.
    - killed after the server accepted it but before the row was marked SENT (here: while
      waiting for the reply to QUIT): the outbox cannot know the message went, since the
      server's acceptance and the row's update are two systems that no transaction joins. It
      sends the message again after the lease, and the person receives it twice. At least
      once.

    The outbox chooses a possible duplicate over a possible loss: marking the row SENT before
    sending would make a kill at the same point lose the email instead. The window is the
    time between the server's 250 and the row's update, a few milliseconds of a send.
    """
    client.force_login(manager)
    worker = workers.start()
    sink.hold_next(hold)
    response = client.post(reverse("agencies:invite"), _invite_data(agency))
    assert response.status_code == 302
    until(sink.holding.is_set, DEADLINE, f"the worker to be stalled {hold.value}")
    workers.kill(workers.pool_process(worker))

    email = Email.objects.get()
    log = workers.log(1)
    until(
        lambda: f"outbox email {email.pk} not sent" in log.read_text(),
        DEADLINE,
        "the worker to run the lost task again",
    )
    call_command("send_outbox")  # a sweep while the lease runs
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Email.Status.SENDING, 1)
    assert email.next_attempt_at > timezone.now(), "the drill's lease ran out too soon"
    accepted_before = 1 if hold is Hold.AFTER_ACCEPT else 0
    assert len(sink.received()) == accepted_before

    until(lambda: timezone.now() >= email.next_attempt_at, DEADLINE, "the lease to run out")
    outbox_sweep_task.delay()
    until(_all_sent, DEADLINE, "the worker's sweep to send the invitation")

    email.refresh_from_db()
    assert email.attempts == 2
    copies = sink.received()
    assert {message.recipients for message in copies} == {("new.lead@example.org",)}
    assert len(copies) == accepted_before + 1
    assert all("/set-password/" in message.body for message in copies)
