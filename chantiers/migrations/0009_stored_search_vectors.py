"""The words of each searched row stored by PostgreSQL (core.search_index): a generated
column `search_document` and its GIN index on chantiers, meetings, actors, actions and
points d'étape, in place of the expression indexes of 0005. Nothing on SQLite."""

from django.db import migrations

from core.search_index import drop_index_operation, stored_vector_operation

CHANTIER = (("title", "demo_title"), ("summary", "demo_summary"), ("description",))
MEETING = (("title",), ("place_name", "place_commune"), ("agenda", "minutes"))
ACTOR = (("name",), ("organisation",), ("commune",))


class Migration(migrations.Migration):
    dependencies = [
        ("chantiers", "0008_meeting_status_access_waiting_list"),
    ]

    operations = [
        drop_index_operation("chantiers.Chantier", "chantier_search_idx", *CHANTIER),
        drop_index_operation("chantiers.Meeting", "meeting_search_idx", *MEETING),
        drop_index_operation("chantiers.Actor", "actor_search_idx", *ACTOR),
        stored_vector_operation("chantiers.Chantier", "chantier_search_document_idx", *CHANTIER),
        stored_vector_operation("chantiers.Meeting", "meeting_search_document_idx", *MEETING),
        stored_vector_operation("chantiers.Actor", "actor_search_document_idx", *ACTOR),
        stored_vector_operation(
            "chantiers.Action",
            "action_search_document_idx",
            ("title",),
            ("description",),
            ("abandon_reason",),
        ),
        stored_vector_operation(
            "chantiers.PointEtape", "pointetape_search_document_idx", ("title",), ("text",)
        ),
    ]
