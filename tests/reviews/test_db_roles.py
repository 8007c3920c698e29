"""The app's database role may read and add to the audit trail, never change it (F3).

Against the real PostgreSQL (CI's second pass): a throwaway role gets its grants from
``manage.py db_roles``, then the test acts as that role with SET ROLE. The role is dropped
afterwards, so the test can run again on the same server.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from reviews.audit_tables import erasable_tables
from reviews.management.commands.db_roles import audit_tables
from reviews.models import AccessLog, Review
from tests.factories import AccessLogFactory, ReviewFactory
from tests.roles import ON_POSTGRES, acting_as, needs_postgres, refused


@needs_postgres
@pytest.mark.django_db
def test_the_app_role_may_add_to_the_audit_trail_but_not_change_it(app_role):
    review = ReviewFactory()
    logged = AccessLogFactory()
    historical = review.history.model
    assert historical._meta.db_table in audit_tables()
    # A right given by hand before is taken away: the command updates, not only creates.
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {connection.ops.quote_name(app_role)} NOLOGIN")
        cursor.execute(f'GRANT UPDATE, DELETE ON reviews_accesslog TO "{app_role}"')
    call_command("db_roles", app_role)
    call_command("db_roles", app_role)  # a second run, as after every migrate, changes nothing

    with acting_as(app_role):
        added = AccessLog.objects.create(
            user=logged.user, object_type="review", object_ref="x", allowed=True, path="/"
        )
        assert AccessLog.objects.filter(pk__in=[logged.pk, added.pk]).count() == 2
        refused(lambda: AccessLog.objects.filter(pk=logged.pk).update(allowed=False))
        refused(lambda: AccessLog.objects.filter(pk=logged.pk).delete())
        refused(lambda: historical.objects.filter(id=review.pk).update(subject_reference="Z"))
        refused(lambda: historical.objects.filter(id=review.pk).delete())
        refused(lambda: connection.cursor().execute("TRUNCATE reviews_accesslog"))
        # Saving an ordinary row works, and adds its history row.
        before = historical.objects.filter(id=review.pk).count()
        assert Review.objects.filter(pk=review.pk).update(subject_reference="Child B") == 1
        review.refresh_from_db()
        review.subject_reference = "Child C"
        review.save()
        assert historical.objects.filter(id=review.pk).count() == before + 1

    logged.refresh_from_db()
    assert logged.allowed is True
    assert AccessLog.objects.filter(pk=logged.pk).exists()


@needs_postgres
@pytest.mark.django_db
def test_db_roles_creates_the_role_with_a_password_from_the_environment(app_role, monkeypatch):
    monkeypatch.setenv("SCR_TEST_APP_PASSWORD", "not-a-real-secret")
    call_command("db_roles", app_role, password_env="SCR_TEST_APP_PASSWORD")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles "
            "WHERE rolname = %s",
            [app_role],
        )
        assert cursor.fetchone() == (True, False, False, False)


@needs_postgres
@pytest.mark.django_db
def test_db_roles_refuses_an_empty_password_and_a_superuser(monkeypatch):
    monkeypatch.setenv("SCR_TEST_APP_PASSWORD", "")
    with pytest.raises(CommandError, match="unset or empty"):
        call_command("db_roles", "anyone", password_env="SCR_TEST_APP_PASSWORD")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        me = cursor.fetchone()[0]
    with pytest.raises(CommandError):
        call_command("db_roles", me)


def test_the_audit_tables_are_the_access_log_and_every_history_table():
    tables = audit_tables()
    assert "reviews_accesslog" in tables
    assert "reviews_historicalreview" in tables
    assert "reviews_historicalreview_agencies_involved" in tables  # many-to-many history
    assert "agencies_historicalreportversion" in tables  # a history table named by hand
    assert "governance_tombstone" in tables  # registered by governance: insert-only
    assert "reviews_review" not in tables


def test_a_destroyed_review_may_erase_history_and_access_changes_only():
    erasable = erasable_tables()
    assert erasable["reviews_historicalreview"] == "id"
    assert erasable["reviews_accesschange"] == "review_id"
    assert "reviews_accesslog" not in erasable
    assert "governance_tombstone" not in erasable
    assert "governance_historicaltombstone" not in erasable


@pytest.mark.skipif(ON_POSTGRES, reason="what SQLite does")
def test_db_roles_needs_postgresql():
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("db_roles", "anyone")
