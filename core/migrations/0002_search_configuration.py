"""The `french_unaccent` text search configuration of core.search, made here, on the
floor of the engine, so that the apps' full-text indexes may depend on it. The
petr_portal migration that made it first (applied on existing databases) stays; both
are no-ops when it exists, and on SQLite."""

from django.contrib.postgres.operations import CreateExtension
from django.db import migrations

CREATE = """
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION french_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END
$$;
"""


class Unaccent(CreateExtension):
    """The unaccent extension; left in place on the way back (petr_portal's migration
    removes it)."""

    def __init__(self):
        super().__init__("unaccent")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def create_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        Unaccent(),
        migrations.RunPython(create_configuration, migrations.RunPython.noop),
    ]
