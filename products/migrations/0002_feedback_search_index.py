"""The GIN index of the feedback's full-text search, on PostgreSQL only (SQLite: plain search)."""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS feedback_search ON products_feedback USING gin (search)"
DROP = "DROP INDEX IF EXISTS feedback_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
