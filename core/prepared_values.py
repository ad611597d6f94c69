"""Querysets compiled to SQL once per shape, then run with new ids, moments and slugs.

core/prepared.py does it for the words of a search; this is its sibling for the pages of
one object (a chantier, an action): their queries differ from one request to the next by
an id, a slug or the current time only, yet Django built and compiled each of them again,
about a millisecond apiece, most of a chantier page's cost with the demo content. As a
prepared statement does, `run_prepared_values` builds a query once per process and per
*shape* (the caller's key), with stand-ins for the values, keeps its SQL and its compiler,
and later puts the values in its parameters. Nothing read from the database is kept: every
run reads it again; only the text of the SQL is reused.

What may be put in, each as the whole value of a parameter: ints (ids), aware datetimes,
dates and strings compared as they are (`slug=...`). A value a lookup transforms (`icontains`,
`year`) is not found among the compiled parameters: an error when the shape is built,
never a wrong query. The key must name everything the builder's queryset depends on
besides the values (a visibility, a number of rows).
"""

import copy
import datetime
from collections import OrderedDict

from django.db import DEFAULT_DB_ALIAS, connections

# Stand-ins no row holds: negative ids within a 32-bit integer (Django turns an id out of
# a column's range into an always-false condition), a moment of 1901, private-use text.
_ID = -2_000_000_000
_MOMENT = datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
_DAY = datetime.date(1901, 2, 3)
_TEXT = "\ue004{}\ue005"
MAX_SHAPES = 256

_shapes = OrderedDict()


def _stand_in(value, index):
    if isinstance(value, bool):
        raise TypeError("A boolean is no value to prepare.")
    if isinstance(value, int):
        return _ID - index
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise TypeError("Only aware datetimes can be prepared.")
        return _MOMENT + datetime.timedelta(seconds=index)
    if isinstance(value, datetime.date):
        return _DAY + datetime.timedelta(days=index)
    if isinstance(value, str):
        return _TEXT.format(index)
    raise TypeError(f"No stand-in for {type(value).__name__}.")


def _written(stand_in):
    """How a stand-in would show if it were written in the SQL text."""
    if isinstance(stand_in, datetime.date):
        return stand_in.strftime("%Y-%m-%d")
    return str(stand_in)


def _as_param(connection, value):
    """The value as the compiled parameters hold it."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


class _Shape:
    """One compiled query: its SQL, its parameters, and where each value goes."""

    def __init__(self, queryset, stand_ins):
        self.queryset = queryset  # never evaluated itself
        connection = connections[queryset.db]
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        params = list(params)
        wanted = {_as_param(connection, s): index for index, s in enumerate(stand_ins)}
        self.slots = []
        for position, param in enumerate(params):
            try:
                index = wanted.get(param)
            except TypeError:  # an unhashable parameter (a list): not one of ours
                continue
            if index is not None and type(param) is type(_as_param(connection, stand_ins[index])):
                self.slots.append((position, index))
        if {index for _, index in self.slots} != set(range(len(stand_ins))):
            raise ValueError("A value given to the builder is not a parameter of the query.")
        if any(_written(s) in sql for s in stand_ins):
            raise ValueError("A value would be written in the SQL text, not passed apart.")
        self.compiler, self.sql, self.params = compiler, sql, params

    def rows(self, values):
        connection = connections[self.queryset.db]
        params = list(self.params)
        for position, index in self.slots:
            params[position] = _as_param(connection, values[index])
        compiler = copy.copy(self.compiler)
        compiler.connection = connection
        sql = self.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        queryset = self.queryset._chain()
        # The queryset's own iterable (model instances, select_related, annotations) and
        # prefetches run as usual; only its compilation is skipped.
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)


def run_prepared_values(key, build, values=(), using=DEFAULT_DB_ALIAS):
    """The rows of `build(*values)`, as a list, the query compiled once per `key`.

    `build` is called once per key, types of the values and database, with a stand-in of
    the same type for each value; it returns a queryset using each of them as the whole
    value of a parameter (`chantier_id=...`, `ends_at__gte=...`, `slug=...`).
    """
    values = tuple(values)
    vendor = connections[using].vendor
    full_key = (key, tuple(type(value) for value in values), using, vendor)
    shape = _shapes.get(full_key)
    if shape is None:
        stand_ins = [_stand_in(value, index) for index, value in enumerate(values)]
        shape = _Shape(build(*stand_ins).using(using), stand_ins)
        _shapes[full_key] = shape
        while len(_shapes) > MAX_SHAPES:
            _shapes.popitem(last=False)
    else:
        _shapes.move_to_end(full_key)
    for value in values:
        _stand_in(value, 0)  # the same checks as the stand-ins had
    return shape.rows(values)
