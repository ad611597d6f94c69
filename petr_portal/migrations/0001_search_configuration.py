"""Full-text search on PostgreSQL: the unaccent extension and a `french_unaccent` text
search configuration (French stemming after removing accents), used by
core.search. Nothing happens on SQLite, which has its own fallback."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

CONFIGURATION = "french_unaccent"

CREATE = f"""
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIGURATION}') THEN
    CREATE TEXT SEARCH CONFIGURATION {CONFIGURATION} (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION {CONFIGURATION}
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END
$$;
"""
DROP = f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIGURATION};"


class Unaccent(UnaccentExtension):
    """UnaccentExtension, with the way back a no-op on SQLite too."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        # A no-op on other databases. unaccent is a trusted extension (PostgreSQL 13+):
        # the database owner may create it without being superuser.
        Unaccent(),
        migrations.RunPython(create_configuration, drop_configuration),
    ]
