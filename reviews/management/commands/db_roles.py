"""Give the role the running app connects as its rights, after ``migrate``, run as the owner.

The app may read and write every table except the audit trail: the access log and every
django-simple-history table, which it may only read and add to, so that no bug or injection
in the app can rewrite or erase who did and saw what (SECURITY-CHECKS F3). Migrations run as
the owner, which keeps every right; run this again after each ``migrate`` so that new tables
get their grants (docker-compose.yml's ``migrate`` service does both).
"""

import os

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg2 import sql
from simple_history.models import HistoricalChanges

from reviews.models import AccessChange, AccessLog


def audit_tables() -> list[str]:
    """The access log, the log of access granted and withdrawn, and every history table, found
    from the models (many-to-many too)."""
    history = {m._meta.db_table for m in apps.get_models() if issubclass(m, HistoricalChanges)}
    return sorted(history | {AccessLog._meta.db_table, AccessChange._meta.db_table})


def _role_exists(cursor, role: str) -> tuple[bool, bool]:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
    row = cursor.fetchone()
    return row is not None, bool(row and row[0])


class Command(BaseCommand):
    help = (
        "Create or update the app's database role: full rights on ordinary tables, only SELECT "
        "and INSERT on the access log and history tables. Run as the owner after migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the running app connects as")
        parser.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="an environment variable holding the role's password: the role may then "
            "sign in (kept out of the command line, which other processes can read)",
        )

    def handle(self, *args, role, password_env=None, **options):
        if connection.vendor != "postgresql":
            raise CommandError("db_roles needs PostgreSQL (DATABASE_URL=postgres://...).")
        password = None
        if password_env:
            password = os.environ.get(password_env, "")
            if not password:
                raise CommandError(f"{password_env} is unset or empty.")
        with transaction.atomic(), connection.cursor() as cursor:
            self._role(cursor, role, password)
            ordinary, audit = self._grant(cursor, role)
            self._check(cursor, role, audit)
        self.stdout.write(
            f"{role}: read and write on {len(ordinary)} tables; read and insert only on "
            f"{len(audit)} audit tables."
        )

    def _role(self, cursor, role: str, password: str | None) -> None:
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == role:
            raise CommandError("Run this as the owner, for another role than the one you are.")
        exists, superuser = _role_exists(cursor, role)
        if superuser:
            raise CommandError(f"{role} is a superuser: no grant can limit it.")
        name = sql.Identifier(role)
        if not exists:
            cursor.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(name))
        if password is not None:
            # On the driver's own cursor: Django's would log the statement when DEBUG is on.
            cursor.cursor.execute(
                sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(name, sql.Literal(password))
            )

    def _grant(self, cursor, role: str) -> tuple[list[str], list[str]]:
        name = sql.Identifier(role)
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone()
        execute = cursor.execute
        execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), name)
        )
        execute(sql.SQL("REVOKE CREATE ON SCHEMA {} FROM {}").format(sql.Identifier(schema), name))
        execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), name))
        tables = {
            info.name
            for info in connection.introspection.get_table_list(cursor)
            if info.type == "t"
        }
        audit = [table for table in audit_tables() if table in tables]
        ordinary = sorted(tables - set(audit))
        for table in ordinary:
            execute(
                sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}").format(
                    sql.Identifier(table), name
                )
            )
        for table in audit:
            execute(sql.SQL("REVOKE ALL ON {} FROM {}").format(sql.Identifier(table), name))
            execute(sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(sql.Identifier(table), name))
        execute(
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
                sql.Identifier(schema), name
            )
        )
        return ordinary, audit

    def _check(self, cursor, role: str, audit: list[str]) -> None:
        """Refuse to finish if the role can still change the audit trail by another path:
        a grant to PUBLIC, or membership of a role that may."""
        for table in audit:
            cursor.execute(
                "SELECT has_table_privilege(%s, %s, 'UPDATE, DELETE, TRUNCATE')",
                [role, connection.ops.quote_name(table)],
            )
            if cursor.fetchone()[0]:
                raise CommandError(
                    f"{role} may still change {table} (through PUBLIC or a role it belongs "
                    "to): revoke that grant first."
                )
