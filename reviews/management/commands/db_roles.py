"""Give the role the running app connects as its rights, after ``migrate``, run as the owner.

The app may read and write every table except the audit trail: the access log, the access
changes, every django-simple-history table and the tombstones (``reviews.audit_tables``), which
it may only read and add to, so that no bug or injection in the app can rewrite or erase who did
and saw what (SECURITY-CHECKS F3). Migrations run as the owner, which keeps every right; run
this again after each ``migrate`` so that new tables get their grants (docker-compose.yml's
``migrate`` service does both).

One act may erase rows of the audit trail: destroying a review past its retention period. The
owner's function ``scr_erase_history`` (SECURITY DEFINER, its search_path pinned) does it for
the role, and only in a transaction that has just written the review's tombstone, which the
role may never change or remove: the erasure always leaves that mark.
"""

import json
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg2 import sql

from reviews.audit_tables import ERASE_FUNCTION, audit_tables, erasable_tables, tombstone_table

__all__ = ["Command", "audit_tables", "erase_function_create"]

# Erases rows of one audit table, for a tombstone written in the calling transaction. A row
# that the caller can see and whose writer is still in progress was written by the caller's own
# transaction (PostgreSQL never shows another's uncommitted rows), in a savepoint or not: the
# tombstone's xmin, widened to a full transaction id beside the caller's, must be in progress.
# Comparing xmin with the top transaction's id alone would refuse a tombstone written inside a
# savepoint (Django's nested atomic blocks), whose xmin is the savepoint's own id.
_ERASE_BODY = """
DECLARE
  erasable constant jsonb := {erasable};
  key text := erasable ->> history_table;
  top bigint := pg_current_xact_id_if_assigned()::text::bigint;
  written bigint;
  erased integer;
BEGIN
  IF key IS NULL THEN
    RAISE EXCEPTION 'scr_erase_history: % is not an audit table it may erase from',
      history_table USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT t.xmin::text::bigint INTO written FROM {tombstones} AS t WHERE t.id = tombstone;
  IF written IS NULL OR top IS NULL OR pg_xact_status((top + (((written - top % 4294967296)
      % 4294967296 + 6442450944) % 4294967296 - 2147483648))::text::xid8)
      IS DISTINCT FROM 'in progress' THEN
    RAISE EXCEPTION 'scr_erase_history: tombstone % was not written in this transaction',
      tombstone USING ERRCODE = 'insufficient_privilege';
  END IF;
  EXECUTE format('DELETE FROM %I WHERE %I = ANY($1)', history_table, key) USING object_ids;
  GET DIAGNOSTICS erased = ROW_COUNT;
  RETURN erased;
END
"""


def erase_function_create(cursor, *, grant_to: str | None, audit: list[str]) -> None:
    """Create or replace the function that erases a destroyed review's rows of the audit
    trail, owned by the role running this (the owner); only ``grant_to`` may run it. Nothing
    is made when no app registered a tombstone, or its table is not among ``audit``."""
    tombstones = tombstone_table()
    if tombstones is None or tombstones not in audit:
        return
    cursor.execute("SELECT current_schema()")
    schema = sql.Identifier(cursor.fetchone()[0])
    erasable = {table: key for table, key in erasable_tables().items() if table in audit}
    body = sql.SQL(_ERASE_BODY).format(
        erasable=sql.Literal(json.dumps(erasable, sort_keys=True)),
        tombstones=sql.SQL("{}.{}").format(schema, sql.Identifier(tombstones)),
    )
    name = sql.SQL("{}.{}").format(schema, sql.Identifier(ERASE_FUNCTION))
    cursor.execute(
        sql.SQL(
            "CREATE OR REPLACE FUNCTION {}(tombstone bigint, history_table text, "
            "object_ids bigint[]) RETURNS integer LANGUAGE plpgsql SECURITY DEFINER "
            "SET search_path = pg_catalog, {}, pg_temp AS {}"
        ).format(name, schema, sql.Literal(body.as_string(cursor.cursor)))
    )
    function = sql.SQL("{}(bigint, text, bigint[])").format(name)
    cursor.execute(sql.SQL("REVOKE ALL ON FUNCTION {} FROM PUBLIC").format(function))
    if grant_to is not None:
        cursor.execute(
            sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(function, sql.Identifier(grant_to))
        )


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
            erase_function_create(cursor, grant_to=role, audit=audit)
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
