"""The words of each document stored by PostgreSQL (core.search_index): a generated
column `search_document` and its GIN index, in place of the expression index of 0003.
Nothing on SQLite."""

from django.db import migrations

from core.search_index import drop_index_operation, stored_vector_operation


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostic", "0004_documents_and_indicators_of_actions"),
    ]

    operations = [
        drop_index_operation(
            "diagnostic.Document", "document_search_idx", ("title",), ("summary",)
        ),
        stored_vector_operation(
            "diagnostic.Document", "document_search_document_idx", ("title",), ("summary",)
        ),
    ]
