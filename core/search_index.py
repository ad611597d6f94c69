"""The full-text document of a searched row on PostgreSQL, and its GIN index.

core.search filters on `weighted_vector(title, summary, body)` (weights A, B, C). Without
an index PostgreSQL computes that vector for every row of the table at every search
(a third of a second for 20,000 meetings). An expression index makes it read only the
rows that match; the planner uses it only when the indexed expression is identical to the
searched one, which is why both are built here by the same function. Changing the fields
of an indexed kind therefore needs a new migration (`search_index_operation`);
tests/core/test_search_index.py reads the plans and fails when a kind's search no longer
uses its index. Nothing happens on SQLite, which searches otherwise.
"""

from django.db import migrations

CONFIG = "french_unaccent"


def weighted_vector(title, summary=(), body=()):
    """The row's words: its title fields weigh A, its summary B, its body C."""
    from django.contrib.postgres.search import SearchVector  # PostgreSQL's driver

    vector = SearchVector(*title, config=CONFIG, weight="A")
    if summary:
        vector = vector + SearchVector(*summary, config=CONFIG, weight="B")
    if body:
        vector = vector + SearchVector(*body, config=CONFIG, weight="C")
    return vector


def search_index(name, title, summary=(), body=()):
    from django.contrib.postgres.indexes import GinIndex

    return GinIndex(weighted_vector(title, summary, body), name=name)


def search_index_operation(model, name, title, summary=(), body=()):
    """A migration operation that adds the GIN index of `weighted_vector(...)` on `model`
    ("app_label.Model") on PostgreSQL (the way back removes it), and does nothing on
    another database."""
    index = search_index(name, title, summary, body)

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(apps.get_model(model), index)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(apps.get_model(model), index)

    return migrations.RunPython(forwards, backwards)
