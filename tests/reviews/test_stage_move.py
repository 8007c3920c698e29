"""Stage 4 moved from agencies/ to reviews/ without touching a row (reviews migration 0012).

The demo data is loaded, the database is taken back to the schema before the move, and the move
is applied again: every table, every history row and every object permission reads the same
afterwards, and the content types keep their ids under their new app. Run on SQLite and, in
CI's second pass, on PostgreSQL.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reviews.models import ReportRequest, ReviewGroupObjectPermission

BEFORE_MOVE = [("reviews", "0011_history_reason_text")]
AFTER_MOVE = [("reviews", "0012_management_reports_move_here")]
MOVED = ["chronologyentry", "chronologyimport", "interview", "reportversion", "reportrequest"]
# Content types are compared by id below; migration records change by design.
SKIPPED_TABLES = {"django_migrations", "django_content_type"}


def _migrate(targets=None) -> None:
    """Migrate to ``targets``, or to the latest migrations when None."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def _snapshot() -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        tables = sorted(set(connection.introspection.table_names(cursor)) - SKIPPED_TABLES)
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def _moved_content_types() -> dict[str, tuple[int, str]]:
    names = MOVED + [f"historical{name}" for name in MOVED]
    return {ct.model: (ct.pk, ct.app_label) for ct in ContentType.objects.filter(model__in=names)}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_move_keeps_every_row_history_row_and_permission(settings):
    settings.DEBUG = True
    call_command("demo_data")
    try:
        _migrate(BEFORE_MOVE)
        ContentType.objects.clear_cache()
        before, types_before = _snapshot(), _moved_content_types()
        assert len(before["agencies_reportrequest"]) >= 2
        assert before["agencies_historicalchronologyentry"]
        assert before["reviews_reviewgroupobjectpermission"]
        assert {app for _, app in types_before.values()} == {"agencies"}
        _migrate(AFTER_MOVE)
        ContentType.objects.clear_cache()
        after, types_after = _snapshot(), _moved_content_types()
    finally:
        _migrate()

    assert after == before
    assert {model: pk for model, (pk, _) in types_after.items()} == {
        model: pk for model, (pk, _) in types_before.items()
    }
    assert {app for _, app in types_after.values()} == {"reviews"}
    # The ORM reads the moved rows and their history where they always were.
    report = ReportRequest.objects.get(pk=ReportRequest.history.earliest("history_date").id)
    assert report.history.count() >= 1
    assert ReviewGroupObjectPermission.objects.filter(content_object=report.review).exists()
