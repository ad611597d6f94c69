"""Querysets built and compiled to SQL once per shape, then run again with new words.

Building a queryset with annotations and compiling it costs Django more than the database
takes to run it: each of the search's full-text queries (a vector, a rank, two
headlines, a window count) costs about 2 ms of Python to build and compile, and a tenth of
that in PostgreSQL. Yet between two searches only the words change. So, as a prepared
statement does, `run_prepared` builds a query once per process and per *shape* (the
caller's key: the kind searched, the audience, the number of words, the page), with
stand-ins for the words, keeps its SQL and its compiler, and later puts the words in its
parameters. Nothing read from the database is kept: every run reads it again; only the
text of the SQL is reused.

What may be put in: words of letters and digits only (`run_prepared` refuses anything
else). No lookup escapes or converts them (LIKE's `%` and `_`, tsquery's operators), so
putting them in the compiled parameters gives the very parameters Django would have
built for them. A stand-in that ends up in the SQL text itself, or in no parameter, is
an error when the shape is built, never a wrong query.

The key must name everything the builder's queryset depends on besides the words.
"""

import copy
import re
from collections import OrderedDict

from django.db import DEFAULT_DB_ALIAS, connections

# Private-use characters: nothing typed can contain them.
_STAND_IN = "\ue002{}\ue003"
_WORD = re.compile(r"[^\W_]+\Z")
MAX_SHAPES = 256

_shapes = OrderedDict()


class _Shape:
    """One compiled query: its SQL, its parameters with stand-ins, and its compiler."""

    def __init__(self, queryset, count):
        self.queryset = queryset  # never evaluated itself
        self.stand_ins = [_STAND_IN.format(index) for index in range(count)]
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        if any(stand_in in sql for stand_in in self.stand_ins):
            raise ValueError("A word would be written in the SQL text, not passed as a parameter.")
        self.slots = [
            index
            for index, param in enumerate(params)
            if isinstance(param, str) and any(s in param for s in self.stand_ins)
        ]
        found = "".join(params[index] for index in self.slots)
        if not all(stand_in in found for stand_in in self.stand_ins):
            raise ValueError("A word given to the builder is not in the query's parameters.")
        self.compiler, self.sql, self.params = compiler, sql, list(params)

    def rows(self, words):
        params = list(self.params)
        for index in self.slots:
            text = params[index]
            for stand_in, word in zip(self.stand_ins, words, strict=True):
                text = text.replace(stand_in, word)
            params[index] = text
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[self.queryset.db]
        sql = self.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        queryset = self.queryset._chain()
        # The queryset's own iterable (model instances, select_related, annotations) and
        # prefetches run as usual; only its compilation is skipped.
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)


def run_prepared(key, build, words, using=DEFAULT_DB_ALIAS):
    """The rows of `build(*stand_ins)`, as a list, with `words` in place of the stand-ins.

    `build` is called once per `key`, number of words and database, with as many
    stand-ins as there are words; it returns a queryset that uses each of them only as
    (part of) a value.
    """
    words = list(words)
    for word in words:
        if not _WORD.match(word):
            raise ValueError(f"Only letters and digits can be put in a prepared query: {word!r}")
    cache_key = (using, connections[using].vendor, key, len(words))
    shape = _shapes.get(cache_key)
    if shape is None:
        queryset = build(*[_STAND_IN.format(index) for index in range(len(words))])
        if queryset.db != using:
            raise ValueError(f"The builder's queryset reads {queryset.db!r}, not {using!r}.")
        shape = _shapes[cache_key] = _Shape(queryset, len(words))
        while len(_shapes) > MAX_SHAPES:
            _shapes.popitem(last=False)
    return shape.rows(words)
