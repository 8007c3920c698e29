"""No message is ever lost: every email is an outbox row written with the change it follows,
sent once by a task or the sweep, retried with back-off, and shown to board managers if every
try fails."""

from datetime import timedelta
from smtplib import SMTPException

import pytest
from celery.app.task import Task
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from agencies.models import Role, User
from agencies.services import person_roles_set
from outbox.models import Email
from outbox.tasks import email_send_task
from reviews.models import Review
from reviews.services.panel import terms_save
from reviews.services.reports import reports_request
from tests.factories import AgencyFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    """Every attempt to queue a Celery task fails as it does when Redis is unreachable; the
    fixture's value counts the attempts."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(Task, "apply_async", refuse)
    return attempts


def _invite_data(agency):
    return {
        "email": "new.lead@example.org",
        "first_name": "New",
        "last_name": "Lead",
        "job_title": "Designated lead",
        "agency": agency.pk,
        "roles": [Role.AGENCY_LEAD],
    }


def _terms(review, manager, agencies):
    today = timezone.localdate()
    terms_save(
        review=review,
        actor=manager,
        period_start=today - timedelta(days=300),
        period_end=today - timedelta(days=10),
        lines_of_enquiry=["What did each agency know?"],
        agencies_in_scope=agencies,
        family_involvement_plan="Write to the family.",
        scoping_meeting_on=None,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_invitation_survives_the_broker_being_down(client, manager, agency, broker_down):
    client.force_login(manager)
    response = client.post(reverse("agencies:invite"), _invite_data(agency))
    assert response.status_code == 302
    person = User.objects.get(email="new.lead@example.org")
    (email,) = Email.objects.filter(recipient=person)
    assert email.status == Email.Status.PENDING
    assert mail.outbox == []
    call_command("send_outbox")
    call_command("send_outbox")
    assert [m.to for m in mail.outbox] == [["new.lead@example.org"]]
    assert "/set-password/" in mail.outbox[0].body
    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert email.sent_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_request_survives_the_broker_being_down(client, manager, broker_down):
    police, health = AgencyFactory(name="Police"), AgencyFactory(name="Health")
    leads = []
    for agency in (police, health):
        lead = UserFactory(agency=agency)
        person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
        leads.append(lead)
    review = ReviewFactory(decided=True, created_by=manager)
    review.agencies_involved.set([police, health])
    _terms(review, manager, [police, health])
    client.force_login(manager)
    due = timezone.localdate() + timedelta(weeks=6)
    response = client.post(
        reverse("reviews:reports_request", args=[review.reference]),
        {"due_on_0": due.day, "due_on_1": due.month, "due_on_2": due.year},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.stage == Review.Stage.AGENCY_REPORTS
    assert Email.objects.filter(status=Email.Status.PENDING).count() == 2
    # after the first refusal the request stops trying: each try costs it half a second
    assert len(broker_down) == 1
    call_command("send_outbox")
    call_command("send_outbox")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(lead.email for lead in leads)
    assert all(review.reference in m.subject for m in mail.outbox)


def _queued(manager, agency, django_capture_on_commit_callbacks) -> Email:
    """An invitation whose on-commit enqueue was never run: as if the broker lost it."""
    from agencies.services import person_invite

    with django_capture_on_commit_callbacks(execute=False):
        person = person_invite(
            actor=manager,
            email="new.lead@example.org",
            first_name="New",
            last_name="Lead",
            job_title="",
            agency=agency,
            roles=[Role.AGENCY_LEAD],
        )
    return Email.objects.get(recipient=person)


def test_a_task_delivered_twice_sends_once(manager, agency, django_capture_on_commit_callbacks):
    email = _queued(manager, agency, django_capture_on_commit_callbacks)
    assert email_send_task(email.pk) is True
    assert email_send_task(email.pk) is False
    assert len(mail.outbox) == 1


def test_a_claimed_email_is_not_sent_again_until_its_lease_ends(
    manager, agency, django_capture_on_commit_callbacks
):
    """A worker that died mid-send leaves the row SENDING; nobody else takes it until its
    lease has run out, then it is sent (once)."""
    email = _queued(manager, agency, django_capture_on_commit_callbacks)
    email.status, email.next_attempt_at = (
        Email.Status.SENDING,
        timezone.now() + timedelta(minutes=5),
    )
    email.save()
    call_command("send_outbox")
    assert mail.outbox == []
    Email.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    call_command("send_outbox")
    assert len(mail.outbox) == 1


def test_an_email_whose_every_try_died_mid_send_is_shown_as_failed_not_tried_forever(
    client, manager, agency, django_capture_on_commit_callbacks, settings
):
    """A try that kills the worker (run out of memory, killed by a time limit) leaves the row
    SENDING; its lease runs out and it is tried again. After the last try it is not tried
    again, every lease for ever, perhaps reaching the person each time: it fails and shows
    to board managers, who may send it again."""
    email = _queued(manager, agency, django_capture_on_commit_callbacks)
    Email.objects.filter(pk=email.pk).update(
        status=Email.Status.SENDING,
        attempts=settings.OUTBOX_MAX_ATTEMPTS,
        next_attempt_at=timezone.now(),
    )
    call_command("send_outbox")
    assert mail.outbox == []
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Email.Status.FAILED, settings.OUTBOX_MAX_ATTEMPTS)
    assert "may or may not have arrived" in email.last_error

    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outbox:resend", args=[email.pk]))
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_is_retried_with_back_off_then_shown_as_failed(
    client, manager, agency, django_capture_on_commit_callbacks, monkeypatch, settings, time_machine
):
    email = _queued(manager, agency, django_capture_on_commit_callbacks)
    original_send = EmailBackend.send_messages

    def fail(self, messages):
        raise SMTPException("451 try again later")

    monkeypatch.setattr(EmailBackend, "send_messages", fail)
    time_machine.move_to(timezone.now(), tick=False)
    waits = []
    for _ in range(settings.OUTBOX_MAX_ATTEMPTS):
        call_command("send_outbox")
        email.refresh_from_db()
        waits.append(email.next_attempt_at - timezone.now())
        call_command("send_outbox")  # not due yet: no second try at once
        time_machine.shift(email.next_attempt_at - timezone.now())
    email.refresh_from_db()
    assert email.attempts == settings.OUTBOX_MAX_ATTEMPTS
    assert email.status == Email.Status.FAILED
    assert "451" in email.last_error
    base = timedelta(seconds=settings.OUTBOX_RETRY_SECONDS)
    assert waits[:3] == [base, 2 * base, 4 * base]
    assert mail.outbox == []

    client.force_login(manager)
    page = client.get(reverse("outbox:list"))
    assert page.status_code == 200
    assert "new.lead@example.org" in page.content.decode()
    assert "451 try again later" in page.content.decode()

    monkeypatch.setattr(EmailBackend, "send_messages", original_send)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:resend", args=[email.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert email.history.filter(history_user=manager).exists()


def test_only_failed_emails_can_be_sent_again(
    client, manager, agency, django_capture_on_commit_callbacks
):
    email = _queued(manager, agency, django_capture_on_commit_callbacks)
    email_send_task(email.pk)
    client.force_login(manager)
    response = client.post(reverse("outbox:resend", args=[email.pk]), follow=True)
    assert "can be sent again" in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("role", ["outsider", Role.CHAIR.value, Role.AGENCY_LEAD.value])
def test_only_board_managers_see_the_outbox(client, users_by_role, role):
    client.force_login(users_by_role[role])
    assert client.get(reverse("outbox:list")).status_code == 403


def _review_with_leads(manager, agencies):
    leads = []
    for agency in agencies:
        lead = UserFactory(agency=agency)
        person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
        leads.append(lead)
    review = ReviewFactory(decided=True, created_by=manager)
    review.agencies_involved.set(agencies)
    _terms(review, manager, agencies)
    return review, leads


def test_an_agency_named_before_names_were_checked_still_gets_a_one_line_subject(
    manager, django_capture_on_commit_callbacks
):
    evil = AgencyFactory(name="Evil\r\nBcc: everyone@example.org")
    review, _ = _review_with_leads(manager, [evil])
    with django_capture_on_commit_callbacks(execute=True):
        reports_request(review=review, actor=manager, due_on=timezone.localdate() + timedelta(9))
    (message,) = mail.outbox
    assert "\n" not in message.subject
    assert "\r" not in message.subject
    assert message.bcc == []
    assert Email.objects.get().status == Email.Status.SENT
