"""Query pieces the ORM does not write the way PostgreSQL's planner needs."""

from django.db.models import BooleanField, Func


class InSubquery(Func):
    """`value IN (subquery)`, written `value = ANY(ARRAY(subquery))` on PostgreSQL.

    Or-ed with a condition on another indexed column (`chantier_id = 6 OR id IN (...)`),
    the IN form makes PostgreSQL read the whole table and test each row against the
    subquery's hashed rows; the array form is computed once, and both conditions then
    read their indexes and join their rows (a BitmapOr): 15 ms → 1 ms at 20,000 meetings.
    """

    output_field = BooleanField()

    def __init__(self, value, subquery):
        super().__init__(value, subquery)

    def _sides(self, compiler):
        value, subquery = self.get_source_expressions()
        value_sql, value_params = compiler.compile(value)
        subquery_sql, subquery_params = compiler.compile(subquery)
        return value_sql, subquery_sql, (*value_params, *subquery_params)

    def as_sql(self, compiler, connection, **extra_context):
        value_sql, subquery_sql, params = self._sides(compiler)
        return f"{value_sql} IN {subquery_sql}", params

    def as_postgresql(self, compiler, connection, **extra_context):
        value_sql, subquery_sql, params = self._sides(compiler)
        return f"{value_sql} = ANY(ARRAY{subquery_sql})", params
