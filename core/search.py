"""Site search in French: the engine. It knows no model: each app registers its kinds
(what to search, how to find its rows for a user, where a hit links to) with `register`,
as pretix's exporters register themselves, and the search page lists `kinds()`.

Accents and case never matter (« epargne » finds « épargne »), and every word of the query
must be found, as the start of a word (« epar » finds « épargne » while the person types).

- PostgreSQL: full-text search with the `french_unaccent` configuration made by the
  petr_portal migration (accents removed, then French stemming: « épargnes » finds
  « épargne »), ranked by SearchRank, with excerpts highlighted by ts_headline.
- SQLite (development and tests): each text is folded by `portal_fold`, a function
  registered on every SQLite connection (petr_portal/apps.py connects
  `register_sqlite_functions`), and searched with LIKE; excerpts
  are highlighted in Python with the same folding.

On both, a hit in the title ranks before a hit elsewhere. Highlighted HTML is built by
escaping everything and then adding our own <mark> around the words found: nothing the
team or a visitor typed can reach the page as markup.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce

from core.search_index import CONFIG, stored_vector, weighted_vector
from core.search_text import (
    EXCERPT_WORDS,
    MARK_END,
    MARK_START,
    MAX_QUERY_LENGTH,
    excerpt,
    headline_excerpt,
    highlight,
    marked_html,
    query_words,
    search_text,
)

GROUP_SIZE = 5
PAGE_SIZE = 20


def register_sqlite_functions(sender, connection, **kwargs):
    """connection_created receiver: `portal_fold(text)` on every SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("portal_fold", 1, search_text, deterministic=True)


class Fold(Func):
    function = "portal_fold"
    output_field = TextField()


# ---------------------------------------------------------------------------
# What is searched: the kinds the apps register


@dataclass(frozen=True)
class Kind:
    key: str  # in the URL: ?type=reunions
    label: str  # « Réunions »
    one: str  # « réunion »
    many: str  # « réunions »
    # queryset(user): the rows this user may find, with what the hit template reads.
    queryset: Callable[[Any], QuerySet]
    # url(row): where a hit links to.
    url: Callable[[Any], str]
    # The template of the line under a hit's title (badges, date, place); it reads the
    # row as `obj`.
    hit_template: str
    title: tuple  # fields searched first (weight A)
    summary: tuple = ()  # weight B
    body: tuple = ()  # weight C
    order: tuple = ()  # between hits of equal rank
    excerpt: tuple | None = None  # the fields excerpts come from: summary + body by default
    # The title shown, when it is not the first title field (an expression).
    title_expression: Any = None
    # Where the kind comes among the others (groups and the page's list), smallest first.
    position: int = 100
    # True when the table keeps its words in a stored column (core.search_index,
    # `stored_vector_operation`) built from title, summary and body.
    stored_vector: bool = False

    @property
    def display_title(self):
        return self.title_expression if self.title_expression is not None else F(self.title[0])

    @property
    def excerpt_fields(self):
        return self.summary + self.body if self.excerpt is None else self.excerpt

    def count_label(self, count):
        return f"{count}\u00a0{self.one if count == 1 else self.many}"


_KINDS: dict[str, Kind] = {}


def register(kind):
    """Make `kind` searchable (called by each app when it is ready). A kind registered
    again under the same key replaces the first one."""
    _KINDS[kind.key] = kind
    return kind


def kinds():
    """The registered kinds, in their display order."""
    return sorted(_KINDS.values(), key=lambda kind: (kind.position, kind.key))


def get_kind(key):
    """The kind registered under `key`, or None."""
    return _KINDS.get(key)


class _Joined(Func):
    """Texts one after the other, NULL as empty: what Concat gives, written flat
    (a || b || c) where Concat nests a pair in a pair, much slower to compile."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = TextField()


def _joined(fields):
    """The fields as one text, a paragraph each."""
    if len(fields) == 1:
        return Coalesce(F(fields[0]), Value(""), output_field=TextField())
    parts = []
    for name in fields:
        parts += [Coalesce(F(name), Value(""), output_field=TextField()), Value("\n\n")]
    return _Joined(*parts[:-1])


def _excerpt_source(row, kind):
    """The text excerpts are cut from, as _joined writes it in SQL, from the row's fields
    (already selected): not selected a second time."""
    texts = []
    for path in kind.excerpt_fields:
        value = row
        for name in path.split("__"):
            value = getattr(value, name) if value is not None else None
        texts.append(value or "")
    return "\n\n".join(texts)


# ---------------------------------------------------------------------------
# Results


@dataclass
class Hit:
    kind: Kind
    object: Any
    title_html: str
    excerpt_html: str
    url: str


@dataclass
class Group:
    kind: Kind
    hits: list
    total: int

    @property
    def has_more(self):
        return self.total > len(self.hits)

    @property
    def count_label(self):
        return self.kind.count_label(self.total)


@dataclass
class Results:
    query: str
    words: list
    kind: Kind | None = None
    groups: list = field(default_factory=list)
    page_number: int = 1
    num_pages: int = 1

    @property
    def total(self):
        return sum(group.total for group in self.groups)

    @property
    def searched(self):
        return bool(self.words)

    @property
    def first_number(self):
        """The number of the page's first hit (ol start)."""
        return (self.page_number - 1) * PAGE_SIZE + 1

    @property
    def has_previous(self):
        return self.page_number > 1

    @property
    def has_next(self):
        return self.page_number < self.num_pages


def search(query, user, kind=None, page=1):
    """Every kind, GROUP_SIZE hits each (one query per kind); or one kind, paginated."""
    query = " ".join((query or "")[:MAX_QUERY_LENGTH].split())
    words = query_words(query)
    chosen = get_kind(kind) if kind else None
    results = Results(query=query, words=words, kind=chosen)
    if not words:
        return results
    if chosen is None:
        for each in kinds():
            hits, total = _run(each, user, words, 0, GROUP_SIZE)
            if total:
                results.groups.append(Group(each, hits, total))
        return results
    page = max(int(page or 1), 1)
    hits, total = _run(chosen, user, words, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    if not hits and page > 1:
        # Past the last page (an old link): show the last one.
        total = _matching(chosen, user, words).count()
        last = max(math.ceil(total / PAGE_SIZE), 1)
        if last < page:
            page = last
            hits, total = _run(chosen, user, words, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    results.page_number = page
    results.num_pages = max(math.ceil(total / PAGE_SIZE), 1)
    results.groups.append(Group(chosen, hits, total))
    return results


def _is_postgres():
    return connection.vendor == "postgresql"


def _matching(kind, user, words):
    """The kind's queryset, filtered to what matches, annotated with title_hit (and rank)."""
    queryset = kind.queryset(user)
    if _is_postgres():
        return _postgres_matching(queryset, kind, words)
    return _sqlite_matching(queryset, kind, words)


def _run(kind, user, words, offset, limit):
    """(hits, total): one query (plus the actors' prefetch), the total counted by a window."""
    matching = _matching(kind, user, words).annotate(search_total=Window(Count("pk")))
    rows = list(matching[offset : offset + limit])
    total = rows[0].search_total if rows else 0
    postgres = _is_postgres()
    hits = [
        Hit(
            kind=kind,
            object=row,
            title_html=marked_html(row.search_title_html) if postgres else highlight(row, words),
            excerpt_html=(
                headline_excerpt(row.search_excerpt, _excerpt_source(row, kind))
                if postgres
                else excerpt(_excerpt_source(row, kind), words)
            ),
            url=kind.url(row),
        )
        for row in rows
    ]
    return hits, total


def _postgres_matching(queryset, kind, words):
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
    )

    # Words are letters and digits only (query_words): nothing can break the tsquery.
    # Each one may be the start of a word: « epar:* ».
    query = SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config=CONFIG)
    # The words of each row, stored by the table or computed (core.search_index).
    if kind.stored_vector:
        vector = stored_vector(queryset.model)
    else:
        vector = weighted_vector(kind.title, kind.summary, kind.body)
    text_fields = kind.excerpt_fields
    headline_options = {"config": CONFIG, "start_sel": MARK_START, "stop_sel": MARK_END}
    return (
        # alias(), not annotate(): the vectors are only searched and ranked, never read, and
        # each place a selected annotation appears is compiled again (a third of the cost).
        queryset.alias(
            search_vector=vector, search_title_vector=SearchVector(*kind.title, config=CONFIG)
        )
        .filter(search_vector=query)
        .annotate(
            search_title_hit=Case(
                When(search_title_vector=query, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            search_rank=SearchRank(F("search_vector"), query),
            search_title_html=SearchHeadline(
                kind.display_title, query, highlight_all=True, **headline_options
            ),
            search_excerpt=(
                SearchHeadline(
                    _joined(text_fields),
                    query,
                    max_words=EXCERPT_WORDS,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **headline_options,
                )
                if text_fields
                else Value("", output_field=TextField())
            ),
        )
        .order_by("-search_title_hit", "-search_rank", *kind.order)
    )


def _sqlite_matching(queryset, kind, words):
    queryset = queryset.alias(
        search_title=Fold(_joined(kind.title)),
        search_all=Fold(_joined(kind.title + kind.summary + kind.body)),
    ).annotate(search_title_text=kind.display_title)
    in_title = Q()
    for word in words:
        queryset = queryset.filter(search_all__contains=" " + word)
        in_title &= Q(search_title__contains=" " + word)
    return queryset.annotate(
        search_title_hit=Case(
            When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by("-search_title_hit", *kind.order)
