"""Against the real things CI's second pass provides: Redis as Celery's broker, a real Celery
worker in its own process, PostgreSQL, and Redis going away and coming back."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.models import Deadline, Reminder
from reviews.services.clock import deadline_open, reminders_sweep
from reviews.tasks import reminders_sweep_task
from scr.celery import app
from tests.factories import AgencyFactory, ReviewFactory, UserFactory
from tests.processes import ROOT, RedisServer, database_url, until

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs the real Redis named by REDIS_URL"
)


@pytest.mark.redis
def test_celery_reaches_the_real_redis_broker(settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=2)
        assert conn.transport.driver_type == "redis"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker needs a shared database")
def test_a_real_worker_sends_reminders_and_catches_up_after_redis_returns(client, tmp_path):
    app.conf.task_always_eager = False  # this test is about the real worker (restored after)
    manager = UserFactory(role=Role.BOARD_MANAGER)
    agency = AgencyFactory()
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    review = ReviewFactory(decided=True, created_by=manager)
    deadline_open(
        review=review,
        kind=Deadline.Kind.AGENCY_REPORT,
        due_on=timezone.localdate() - timedelta(days=1),
        actor=manager,
        owner_agency=agency,
    )
    mail = tmp_path / "mail"
    mail.mkdir()
    broker = RedisServer(tmp_path)
    broker.start()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": broker.url,
        "EMAIL_URL": f"filemail:///{mail}",  # four slashes: an absolute path
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "scr", "worker", "--pool=solo", "-l", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        # Redis goes away: the web app still answers, and the sweep's rows wait in the database.
        broker.stop()
        client.force_login(manager)
        assert client.get(reverse("reviews:tasks")).status_code == 200
        assert len(reminders_sweep()) == 2  # the lead, and the board manager (overdue)
        assert not any(mail.iterdir())

        broker.start()
        with app.connection_for_write(broker.url) as conn:
            reminders_sweep_task.apply_async(connection=conn)
        sent = Reminder.objects.filter(status=Reminder.Status.SENT)
        until(lambda: sent.count() == 2, 60, "the worker to send both reminders")
        # Sent in one batch over one connection: the file backend writes one file for it.
        written = "".join(path.read_text() for path in mail.iterdir())
        assert written.count("\nSubject: ") == 2
        assert Reminder.objects.count() == 2
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        broker.stop()
