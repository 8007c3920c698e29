"""The lessons library's full-text index, on PostgreSQL only: a GIN index of the same
expression the library searches (learning/selectors.py ``LESSON_SEARCH_VECTOR``), so that the
planner uses it. SQLite has no full-text search here: the library falls back to icontains."""

from django.db import migrations

INDEX = "learning_lesson_search"
EXPRESSION = (
    "to_tsvector('english'::regconfig, "
    "COALESCE(\"title\", '') || ' ' || COALESCE(\"text\", ''))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {INDEX} ON "learning_lesson" USING GIN ({EXPRESSION})'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("learning", "0002_briefs_and_dissemination")]

    operations = [migrations.RunPython(create, drop)]
