"""Acting as the app's restricted PostgreSQL role in a test (CI's second pass, on PostgreSQL):
the ``app_role`` fixture (tests/conftest.py) names a throwaway role, ``manage.py db_roles``
gives it its grants, and ``acting_as`` runs a block as it with SET ROLE."""

import os
from contextlib import contextmanager

import pytest
from django.db import ProgrammingError, connection, transaction

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="roles and grants need PostgreSQL (CI's 2nd pass)"
)


@contextmanager
def acting_as(role: str):
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {connection.ops.quote_name(role)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def refused(action, match: str = "permission denied") -> None:
    """``action`` fails for want of privilege, and the transaction around the test goes on."""
    with pytest.raises(ProgrammingError, match=match), transaction.atomic():
        action()


def role_drop(role: str) -> None:
    """Drop a role made for a test, and everything it owns or was granted."""
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            name = connection.ops.quote_name(role)
            cursor.execute(f"REASSIGN OWNED BY {name} TO CURRENT_USER")
            cursor.execute(f"DROP OWNED BY {name}")
            cursor.execute(f"DROP ROLE {name}")
