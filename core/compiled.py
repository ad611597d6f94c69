"""Querysets of a fixed shape compiled to SQL once per process, then run with new values.

Compiling a queryset to SQL costs Django more than the database takes to run it: a
meeting read with its chantier, or a page of the agenda, is one to two milliseconds of
Python (each column's quoting, the ordering's expressions hashed, the joins set up) for
a tenth of that in PostgreSQL. A page's queries keep their shape from one request to the
next; only a few values change (a slug, an id, the current time). So `compiled_rows`
compiles a query once per *shape* (the caller's key, which must name everything the
builder's queryset depends on besides the values), keeps its SQL and its compiler, and
at each call puts the new values in its parameters. Nothing read from the database is
kept: every call runs the query; only the text of the SQL is reused.

The values are found in the compiled parameters by building the queryset twice, with
two sets of stand-ins of the values' types (str, int, date, datetime) that nothing real
equals: the SQL text must be the same for both, and the parameters must differ exactly
where the stand-ins went; otherwise the shape is refused (an error when it is built,
never a wrong query). A value is put in as Django's lookups would put it (the
connection's adaptation of dates and times).

A text may also go *inside* a longer parameter, as the search's words do (LIKE's
`'% word%'`, a tsquery `'word:* & other:*'`): only words of letters and digits, which no
lookup escapes or converts, so that the parameter is the very one Django would build;
anything else is refused when the query runs.

On PostgreSQL each shape is also a prepared statement of each connection (PREPARE once,
then EXECUTE with the values): the database then skips parsing and, once it has seen the
values vary, planning too, which was most of its work on a page (2.6 ms of its processor
time for a search, 1.0 ms prepared). Values are typed as they are bound (text is left for
PostgreSQL to infer from where it goes); a shape PostgreSQL refuses to prepare runs as
plain SQL. Statements outlive transactions and rollbacks, and go with the connection;
connections that do not outlive a request (CONN_MAX_AGE 0) run plain SQL.

A builder's prefetch of a reverse foreign key (`prefetch_related("values")`, or a
Prefetch with its queryset) is compiled too, as compiled_prefetch does it; Django runs
the others (many-to-many, nested paths).
"""

import copy
import itertools
import re
import threading
from collections import OrderedDict
from datetime import UTC, date, datetime
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.fields.related_descriptors import (
    ManyToManyDescriptor,
    ReverseManyToOneDescriptor,
)
from django.http import Http404

MAX_SHAPES = 256
# What may be put inside a longer text parameter: no lookup escapes or converts it
# (letters and digits). The search's words are cut with it (core.search_text).
WORD = re.compile(r"[^\W_]+")
_shapes = OrderedDict()
_lock = threading.Lock()
_names = itertools.count(1)
# The PostgreSQL type each parameter is prepared with; text is "unknown": inferred from
# where it goes (a LIKE pattern, a regconfig, setweight's "char"). Any other value (None,
# a list...) leaves the shape unprepared.
_PREPARED_TYPES = (
    (bool, "boolean"),
    (int, "bigint"),
    (float, "double precision"),
    (Decimal, "numeric"),
    (str, "unknown"),
    (datetime, "timestamptz"),
    (date, "date"),
)
_PLACEHOLDER = re.compile(r"%%|%s")


def _stand_in(value, index, variant):
    """A value of value's type that no real one equals, distinct per index and variant."""
    number = 7 + 2 * index + variant
    if isinstance(value, bool):
        raise TypeError("A boolean cannot be told apart from another in the parameters.")
    if isinstance(value, int):
        return -2_000_000_000 - number
    if isinstance(value, str):
        return f"\ue002stand-in {number}\ue003"
    if isinstance(value, datetime):
        return datetime(1901, 1, 1, 0, 0, number, 1000 + number, tzinfo=UTC)
    if isinstance(value, date):
        return date(1901, 1, number)
    raise TypeError(f"Cannot put a {type(value).__name__} in a compiled query.")


def _prepared_type(value):
    for kind, name in _PREPARED_TYPES:
        if isinstance(value, kind) and not (kind is datetime and value.tzinfo is None):
            return name
    return None


def _numbered(sql):
    """psycopg's placeholders (%s, and %% for a percent sign) as PREPARE's $1, $2..."""
    numbers = itertools.count(1)
    return _PLACEHOLDER.sub(lambda m: "%" if m[0] == "%%" else f"${next(numbers)}", sql)


def _adapt(value, ops):
    if isinstance(value, datetime):
        return ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return ops.adapt_datefield_value(value)
    return value


class _Shape:
    """One compiled query: its SQL, its parameters, where each value goes, its compiler."""

    def __init__(self, build, values, using, key):
        connection = connections[using]
        variants = []
        for variant in (0, 1):
            stand_ins = [_stand_in(value, index, variant) for index, value in enumerate(values)]
            queryset = build(*stand_ins)
            if queryset.db != using:
                raise ValueError(f"The builder's queryset reads {queryset.db!r}, not {using!r}.")
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            adapted = [_adapt(stand_in, connection.ops) for stand_in in stand_ins]
            variants.append((queryset, compiler, sql, list(params), adapted))
        (queryset, compiler, sql, params, adapted), (_, _, other_sql, other_params, _) = variants
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError("A value would be written in the SQL text, not passed as a parameter.")
        self.slots, self.inside = [], []
        for position, (param, other) in enumerate(zip(params, other_params, strict=True)):
            if param == other:
                continue
            if param in adapted:
                self.slots.append((position, adapted.index(param)))
                continue
            # A word inside a longer text: LIKE's '%word%', a tsquery 'word:* & other:*'.
            inside = [
                index
                for index, stand_in in enumerate(adapted)
                if isinstance(stand_in, str) and isinstance(param, str) and stand_in in param
            ]
            if not inside:
                raise ValueError("A parameter changed with the values but is none of them.")
            self.inside.append((position, inside))
        used = {index for _, index in self.slots}
        used.update(index for _, indexes in self.inside for index in indexes)
        if used != set(range(len(values))):
            raise ValueError("A value given to the builder is not in the query's parameters.")
        self.stand_ins = adapted
        self.words = {index for _, indexes in self.inside for index in indexes}
        self.queryset, self.compiler, self.sql, self.params = queryset, compiler, sql, params
        self.key = key
        self.prefetches, self.left_to_django = _split_prefetches(variants[0][0], variants[1][0])
        # How each column read is converted (dates, decimals...) depends on the columns
        # and the database's backend only (a shape is one alias's): worked out once, as
        # the SQL. Not per connection: runserver opens one per request, each kept here.
        self.converters = None
        types = [_prepared_type(param) for param in params]
        self.prepare = None
        if connection.vendor == "postgresql" and None not in types:
            self.name = f"compiled_{next(_names)}"
            typed = f"({', '.join(types)})" if params else ""
            self.prepare = f"PREPARE {self.name}{typed} AS {_numbered(sql)}"
            self.execute = f"EXECUTE {self.name}" + (
                f"({', '.join(['%s'] * len(params))})" if params else ""
            )

    def _prepared(self, connection):
        """True when this connection has the shape prepared (PREPARE it the first time).
        Not on connections closed after each request (CONN_MAX_AGE 0): the statement would
        go with them, and behind PgBouncer in transaction mode (which asks for that
        setting) the next query may reach another server connection, without it."""
        if self.prepare is None or connection.settings_dict.get("CONN_MAX_AGE") == 0:
            return False
        connection.ensure_connection()
        raw = connection.connection
        known = connection.__dict__.get("_compiled_statements")
        if known is None or known[0] is not raw:
            known = connection._compiled_statements = (raw, {})
        ready = known[1].get(self.name)
        if ready is None:
            ready = known[1][self.name] = _prepare(connection, raw, self.prepare)
        return ready

    def rows(self, values, using):
        connection = connections[using]
        params = list(self.params)
        for position, index in self.slots:
            params[position] = _adapt(values[index], connection.ops)
        for index in self.words:
            if not WORD.fullmatch(values[index]):
                raise ValueError(f"Only letters and digits go inside a text: {values[index]!r}")
        for position, indexes in self.inside:
            text = params[position]
            for index in indexes:
                text = text.replace(self.stand_ins[index], values[index])
            params[position] = text
        compiler = copy.copy(self.compiler)
        compiler.connection = connection
        sql, params = (self.execute if self._prepared(connection) else self.sql), tuple(params)
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        if self.converters is None:
            self.converters = compiler.get_converters(
                [column[0] for column in compiler.select[: compiler.col_count]]
            )
        converters = self.converters
        compiler.get_converters = lambda expressions: converters
        queryset = self.queryset._chain()
        # The queryset's own iterable (model instances, select_related, annotations) runs
        # as usual, and the prefetches this module does not compile; only its compilation
        # is skipped.
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        queryset._prefetch_related_lookups = self.left_to_django
        rows = list(queryset)
        for name, build in self.prefetches:
            compiled_prefetch((self.key, "prefetch", name), rows, name, build, using=using)
        return rows


def _split_prefetches(queryset, other):
    """(compiled, left to Django): the queryset's prefetches of a reverse foreign key,
    one level deep, into a list without to_attr, as (name, builder), compiled_prefetch
    runs them; Django's prefetch_related runs the others (a many-to-many, a nested path).
    A prefetch's queryset that holds a value given to the builder is refused: it would
    be run with the stand-ins."""
    compiled, left = [], []
    for lookup, twin in zip(
        queryset._prefetch_related_lookups, other._prefetch_related_lookups, strict=True
    ):
        related = getattr(lookup, "queryset", None)
        if not _same_sql(related, getattr(twin, "queryset", None)):
            raise ValueError("A prefetch's queryset holds a value given to the builder.")
        name = getattr(lookup, "prefetch_through", lookup)
        if (
            "__" not in name
            and getattr(lookup, "to_attr", None) is None
            and _reverse_foreign_key(queryset.model, name) is not None
            and not (related is not None and related._prefetch_related_lookups)
        ):
            compiled.append((name, _related_in(related, name, queryset.model)))
        else:
            left.append(lookup)
    return compiled, tuple(left)


def _reverse_foreign_key(model, name):
    """The foreign key whose reverse is model.<name>, or None (a many-to-many's
    descriptor is a kind of the reverse one: not that)."""
    descriptor = getattr(model, name, None)
    if isinstance(descriptor, ReverseManyToOneDescriptor) and not isinstance(
        descriptor, ManyToManyDescriptor
    ):
        return descriptor.field
    return None


def _same_sql(queryset, other):
    """Both none, or the same SQL with the same parameters (no value of the builder's)."""
    if queryset is None or other is None:
        return queryset is other
    try:
        return queryset.query.sql_with_params() == other.query.sql_with_params()
    except EmptyResultSet:
        return False


def _related_in(related, name, model):
    """The builder of compiled_prefetch: the related rows (`related`, or all of them in
    their model's order) of the instances whose primary keys it is given."""
    field = _reverse_foreign_key(model, name)
    if related is None:
        related = field.model._default_manager.all()
    return lambda *pks: related.filter(**{f"{field.name}__in": pks})


def _prepare(connection, raw, statement):
    """PREPARE on the driver's own cursor (not a query of the page's: no query count sees
    it); within a transaction, behind a savepoint, so that a refusal does not end it."""
    savepoint = connection.in_atomic_block
    with raw.cursor() as cursor:
        try:
            if savepoint:
                cursor.execute("SAVEPOINT compiled_prepare")
            cursor.execute(statement)
        except connection.Database.Error:
            if savepoint:
                cursor.execute("ROLLBACK TO SAVEPOINT compiled_prepare")
            return False
        if savepoint:
            cursor.execute("RELEASE SAVEPOINT compiled_prepare")
    return True


def compiled_rows(key, build, *values, using=DEFAULT_DB_ALIAS):
    """The rows of `build(*values)`, as a list, from SQL compiled once per `key`.

    `build` takes as many arguments as there are values and uses each only as a value
    compared or written to (a filter, an annotation's operand): never in a slice, nor
    to choose what the query does. The key names everything else the queryset depends on.
    """
    connection = connections[using]
    types = tuple(type(value) for value in values)
    cache_key = (using, connection.vendor, key, types)
    shape = _shapes.get(cache_key)
    if shape is None:
        shape = _Shape(build, values, using, cache_key)
        with _lock:
            _shapes[cache_key] = shape
            while len(_shapes) > MAX_SHAPES:
                _shapes.popitem(last=False)
    return shape.rows(values, using)


def compiled_object_or_404(key, build, *values, message="", using=DEFAULT_DB_ALIAS):
    """get_object_or_404 through compiled_rows: the first row of `build(*values)`, or
    Http404(message) when there is none."""
    rows = compiled_rows(key, build, *values, using=using)
    if not rows:
        raise Http404(message)
    return rows[0]


def compiled_prefetch(key, instances, name, build, using=DEFAULT_DB_ALIAS):
    """What `prefetch_related(name)` does for a reverse foreign key, its query compiled
    once per shape and number of instances: afterwards `instance.<name>.all()` reads the
    rows found, without a query. `build(*pks)` gives the related rows of the instances
    whose primary keys it is given (`<foreign key>__in=pks`), in the order wanted."""
    if not instances:
        return
    field = _reverse_foreign_key(type(instances[0]), name)
    if field is None:
        raise TypeError(f"{name} is not the reverse of a foreign key.")
    rows = compiled_rows((key, len(instances)), build, *[i.pk for i in instances], using=using)
    groups = {}
    for row in rows:
        groups.setdefault(field.get_local_related_value(row), []).append(row)
    cache_name = field.remote_field.cache_name
    for instance in instances:
        found = groups.get(field.get_foreign_related_value(instance), [])
        for row in found:
            field.set_cached_value(row, instance)
        # As Django's prefetch leaves it: a queryset already read.
        queryset = QuerySet(field.model, using=using)
        queryset._result_cache, queryset._prefetch_done = found, True
        instance.__dict__.setdefault("_prefetched_objects_cache", {})[cache_name] = queryset
