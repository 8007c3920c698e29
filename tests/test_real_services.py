"""Against the real things CI's second pass provides: Redis as Celery's broker, a real Celery
worker in its own process, PostgreSQL, and Redis going away and coming back."""

import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
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

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs the real Redis named by REDIS_URL"
)


@pytest.mark.redis
def test_celery_reaches_the_real_redis_broker(settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=2)
        assert conn.transport.driver_type == "redis"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _until(condition, seconds: float, what: str) -> None:
    """Poll a condition a subprocess will make true; fail with ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


class _Redis:
    """A Redis server of the test's own, so that stopping it harms nothing else."""

    def __init__(self, port: int):
        self.port, self.process = port, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        _until(lambda: self._answers(client), 10, "redis to start")

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


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
    broker = _Redis(_free_port())
    broker.start()
    url = f"redis://127.0.0.1:{broker.port}/0"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        "REDIS_URL": url,
        "EMAIL_URL": f"filemail:///{tmp_path}",  # four slashes: an absolute path
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
        assert not any(tmp_path.iterdir())

        broker.start()
        with app.connection_for_write(url) as conn:
            reminders_sweep_task.apply_async(connection=conn)
        sent = Reminder.objects.filter(status=Reminder.Status.SENT)
        _until(lambda: sent.count() == 2, 60, "the worker to send both reminders")
        assert len(list(tmp_path.iterdir())) == 2
        assert Reminder.objects.count() == 2
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        broker.stop()
