"""The embedded default (SQLite) under two writers at once: the second waits, never fails."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the embedded default only: PostgreSQL locks rows"
)


def _wrapper(path) -> DatabaseWrapper:
    """A connection with the project's SQLite options, on a file of its own."""
    return DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(path)}, alias="other")


def _begin(wrapper: DatabaseWrapper) -> None:
    """Open a transaction the way Django's atomic() does on SQLite."""
    wrapper.ensure_connection()
    wrapper._start_transaction_under_autocommit()


def test_two_read_then_write_transactions_queue_instead_of_failing(tmp_path, django_db_blocker):
    """Two people each read a record and save: without IMMEDIATE transactions the second
    save fails at once with "database is locked" (its read snapshot is stale); with them, it
    waits for the first and succeeds."""
    path = tmp_path / "two-writers.sqlite3"
    with django_db_blocker.unblock():
        first = _wrapper(path)
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE note (text TEXT)")
        has_read, first_wrote, errors = threading.Event(), threading.Event(), []

        def save_second():
            second = _wrapper(path)
            try:
                _begin(second)  # with IMMEDIATE, this waits until the first has committed
                with second.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM note")
                    has_read.set()
                    first_wrote.wait(timeout=5)
                    cursor.execute("INSERT INTO note VALUES ('second')")
                    cursor.execute("COMMIT")
            except Exception as error:
                errors.append(error)
            finally:
                second.close()

        _begin(first)
        with first.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM note")
            thread = threading.Thread(target=save_second)
            thread.start()
            # Both have read (or, with IMMEDIATE, the second is queued at its BEGIN).
            has_read.wait(timeout=1)
            cursor.execute("INSERT INTO note VALUES ('first')")
            first_wrote.set()
            thread.join(timeout=0.5)  # the second tries to write while the first holds the lock
            cursor.execute("COMMIT")
        thread.join(timeout=30)
        with first.cursor() as cursor:
            cursor.execute("SELECT text FROM note ORDER BY rowid")
            saved = [row[0] for row in cursor.fetchall()]
        first.close()
    assert errors == []
    assert sorted(saved) == ["first", "second"]


def test_the_embedded_default_uses_immediate_transactions_and_waits():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
