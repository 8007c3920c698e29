"""Two sweeps, or a sweep and a task, at once: each email is sent once. Needs PostgreSQL's row
locks; CI's second pass runs it."""

import os
import threading
import time

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_invite
from outbox.emails import emails_deliver_due
from outbox.models import Email

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="row locks need PostgreSQL; CI's second pass runs this against it",
    ),
]


def test_two_sweeps_at_once_send_each_email_once(manager, agency, monkeypatch):
    for n in range(3):
        person_invite(
            actor=manager,
            email=f"lead{n}@example.org",
            first_name="Lead",
            last_name=str(n),
            job_title="",
            agency=agency,
            roles=[Role.AGENCY_LEAD],
        )
    # The invitations were sent on commit: queue them again, as if the broker had lost them.
    Email.objects.update(
        status=Email.Status.PENDING, attempts=0, sent_at=None, next_attempt_at=timezone.now()
    )
    mail.outbox.clear()
    original = EmailBackend.send_messages

    def slow(self, messages):
        time.sleep(0.3)  # hold each email long enough for the other sweep to reach it
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow)
    barrier, errors = threading.Barrier(2), []

    def sweep():
        try:
            barrier.wait()
            emails_deliver_due()
        except Exception as error:  # reported through the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == [f"lead{n}@example.org" for n in range(3)]
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.SENT}
