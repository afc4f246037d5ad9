"""The inbox's own index on PostgreSQL (SQLite: the plain indexes): the unmerged items of a
startup newest first, carrying status and kind, so that the first page is read in order and
the counts per status (all items, or of one kind) come from the index alone."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS feedback_unmerged_by_date ON products_feedback "
    "(startup_id, date DESC, id DESC) INCLUDE (status, kind) WHERE merged_into_id IS NULL"
)
DROP = "DROP INDEX IF EXISTS feedback_unmerged_by_date"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("products", "0003_build_learn_loop")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
