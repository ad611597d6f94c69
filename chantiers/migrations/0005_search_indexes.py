"""GIN indexes of the full-text search on the tables that grow (PostgreSQL only): the
expressions core.search filters on, built by the same function."""

from django.db import migrations

from core.search_index import search_index_operation


class Migration(migrations.Migration):
    dependencies = [
        ("chantiers", "0004_meeting_chantier_starts_index"),
        ("core", "0002_search_configuration"),
    ]

    operations = [
        search_index_operation(
            "chantiers.Chantier",
            "chantier_search_idx",
            ("title", "demo_title"),
            ("summary", "demo_summary"),
            ("description",),
        ),
        search_index_operation(
            "chantiers.Meeting",
            "meeting_search_idx",
            ("title",),
            ("place_name", "place_commune"),
            ("agenda", "minutes"),
        ),
        search_index_operation(
            "chantiers.Actor", "actor_search_idx", ("name",), ("organisation",), ("commune",)
        ),
    ]
