"""GIN index of the full-text search on the documents (PostgreSQL only): the expression
core.search filters on, built by the same function."""

from django.db import migrations

from core.search_index import search_index_operation


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostic", "0002_updated_at_of_indicators"),
        ("core", "0002_search_configuration"),
    ]

    operations = [
        search_index_operation(
            "diagnostic.Document", "document_search_idx", ("title",), ("summary",)
        ),
    ]
