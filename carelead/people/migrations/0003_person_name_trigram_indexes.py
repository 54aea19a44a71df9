"""Trigram indexes for the people search on PostgreSQL.

The search matches any part of a name (`icontains`, which Django writes as
UPPER(col) LIKE UPPER('%smi%')); a B-tree cannot serve that, so without these a search scans every
person in the user's scope. The indexes need the pg_trgm extension: where the database user may
not create it, the migration leaves the search as it was (correct, only slower) rather than fail.
SQLite has no equivalent and needs none at an embedded deployment's size.
"""

from django.db import DatabaseError, migrations, transaction

COLUMNS = ("given_name", "family_name", "preferred_name")


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError:
            return
        for column in COLUMNS:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS person_{column}_trgm_idx ON people_person "
                f"USING gin (UPPER({column}::text) gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(f"DROP INDEX IF EXISTS person_{column}_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_person_list_indexes")]
    operations = [migrations.RunPython(create, drop)]
