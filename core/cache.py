"""Whole-page cache for the anonymous public pages, invalidated by a content version.

    @require_safe
    @public_page_cache
    def chantier_list(request): ...

    @public_page_cache(query_params=("statut",))   # filters that may be cached

Every key carries the current content version. `bump_content_version()` replaces it, so
every cached page goes stale at once and old entries simply expire. `watch_content_models()`
connects it to post_save, post_delete and m2m_changed of every model whose content the
public pages show (PetrPortalConfig.ready does it for the content apps); writes that send
no signal call it themselves: the content commands (load_territoire, load_demo, restore)
at their end, bulk updates that change a public page (an admin action cancelling registrations, a
visitor cancelling theirs, a cover's renditions written after its save).

Where the version lives: in the database, with Redis and without it. Every gunicorn
worker, every server and every shell command sees the same database, so an edit made by
any of them reaches the next anonymous request of all the others; a per-process cache
(LocMemCache, the default without REDIS_URL) is never the truth. The version is one row
(ContentVersion, table portal_content_version) read with one primary-key SELECT per
cacheable request. Measured on a shared 2-core machine: 15 to 30 µs on SQLite, 80 to
140 µs to PostgreSQL on the same machine, against 115 to 200 µs for a GET in a local
Redis and 5 to 9 µs for the per-process cache it replaces. With Redis the version stays
in the database all the same: a Redis GET costs as much (a round trip either way), and a
second truth would need its own care (eviction, a restore of the database without the
cache, a write committed but not announced). Caching the version in each process, even
for a second, would bring back stale pages.

When it changes: after the commit of the write it announces (transaction.on_commit,
once per transaction, or at once outside a transaction), so that a page stored under a
new version was always rendered from committed content (the page cache reads the version
before the view reads the content). Replacing the row inside the writer's transaction
would lock it until the commit, and two transactions each holding a content row and
waiting for the other's version row would deadlock on PostgreSQL. Until its commit, the
writing connection itself sees a version of its own (the database's plus a pending
token), so that what it renders after its write is not taken from the cache either.
The version is a random token, not a counter: a database restored from a backup cannot
bring back a version under which a shared cache still holds pages. A process killed
between a commit and its bump leaves the pages stale until they expire
(PORTAL_PAGE_CACHE_SECONDS): the one case a change waits for.

Only what is the same for every anonymous visitor is kept: GET requests from visitors
who are not signed in and have no pending message, responses 200 that set no cookie.
Those responses also answer conditional GETs (ETag, Last-Modified, 304 Not Modified:
core.conditional), streamed ones (the open data) included, which are not kept. The row
records when the version changed, for Last-Modified.

Forms (the join form on a chantier page, « Je participe » on a meeting page) are cached
too, without their CSRF token, which belongs to one visitor: a page rendered for the
cache carries CSRF_PLACEHOLDER where `{% csrf_token %}` puts the token (the context
processor `petr_portal.context_processors.csrf_placeholder`), is stored so, and every
visitor it is served to gets their own token in its place (and the CSRF cookie with it).
A view that asks for a token itself (`get_token`) makes its page uncacheable. Pages
served through the cache leave the token out of `data-hx-headers` (base.html), so that a page
without a form sets no cookie: their htmx POSTs come from forms that carry their own.

Vary-aware: the headers a response varies on (its `Vary`, plus HX-Request always) are
part of the key, so a page and its htmx fragment are cached apart. `Cookie` is left out
(only anonymous visitors are served) and so is `Accept-Encoding` (compression happens
after the view). If the cache backend fails, or the version cannot be read, the page is
rendered as if uncached.
"""

import hashlib
import logging
import uuid
from datetime import UTC, datetime
from functools import wraps
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import cc_delim_re
from simple_history.models import HistoricalChanges

from core import conditional
from core.models import ContentVersion

logger = logging.getLogger(__name__)

# The content version's table (core.models.ContentVersion), reached with plain SQL:
# this is the one query of a page served from the cache, and the ORM costs 5 to 10 times
# as much (measured: 15 to 30 µs here, 135 to 410 µs through a queryset on SQLite).
VERSION_TABLE = "portal_content_version"
_READ_SQL = f"SELECT token, changed_at FROM {VERSION_TABLE} WHERE id = 1"
# The token a connection sees until its transaction commits (see the module docstring).
_PENDING_ATTRIBUTE = "portal_pending_content_version"
# Headers named in Vary that do not split the cache, and why: see the module docstring.
IGNORED_VARY = frozenset({"cookie", "accept-encoding"})
ALWAYS_VARY = ("hx-request",)
# The site's own filter links are short: a longer query string is served uncached, so
# that made-up values cannot fill the cache with big keys.
MAX_QUERY_STRING = 200
# Where the visitor's CSRF token goes in a cached page (see the module docstring).
CSRF_PLACEHOLDER = "portal-page-cache-csrf-token"


class Version(NamedTuple):
    token: str
    # When the content last changed; None for a change of this connection's own that its
    # transaction has not committed yet.
    changed_at: datetime | None


def content_version():
    """The current content version, shared by every process (None if the database cannot
    say: the page is then served uncached)."""
    version = current_version()
    return version and version.token


def current_version():
    """The current content version and the time it changed (a Version), or None."""
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(_READ_SQL)
        row = cursor.fetchone()
    if row is None:
        # The first request after `migrate` (or a `flush`): create the row.
        ContentVersion.objects.bulk_create(
            [ContentVersion(pk=1, token=uuid.uuid4().hex)], ignore_conflicts=True
        )
        with connection.cursor() as cursor:
            cursor.execute(_READ_SQL)
            row = cursor.fetchone()
    if row is None:
        return None
    token, changed_at = row
    pending = getattr(connection, _PENDING_ATTRIBUTE, None)
    if pending and _bump_pending(connection):
        return Version(f"{token}.{pending}", None)
    # SQLite gives the naive UTC time Django stores there.
    if timezone.is_naive(changed_at):
        changed_at = changed_at.replace(tzinfo=UTC)
    return Version(token, changed_at)


def bump_content_version(*args, **kwargs):
    """Make every cached public page stale, in every process, once the current transaction
    is committed (at once outside a transaction). Accepts signal arguments, so it can be
    connected to post_save/post_delete directly."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _store_new_version()
        return
    # A new pending token at each write: what this connection renders next is fresh.
    setattr(connection, _PENDING_ATTRIBUTE, uuid.uuid4().hex)
    if not _bump_pending(connection):
        transaction.on_commit(_store_new_version, robust=True)


def watch_content_models(app_labels, exclude=()):
    """Bump the content version whenever a model of these apps is saved or deleted, or one
    of its many-to-many relations changes (the admin's saves included).

    Every model of the apps is watched, proxies (Session, Intersession) and the automatic
    many-to-many tables included: a model added later is covered without a new line here.
    Left out: the edit history (simple_history rows follow every save anyway) and the
    models named in `exclude` ("app_label.ModelName"), whose rows no public page shows.
    Returns the models watched.
    """
    excluded = {label.lower() for label in exclude}
    watched = []
    for label in app_labels:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if issubclass(model, HistoricalChanges) or model._meta.label_lower in excluded:
                continue
            uid = f"portal-cache:{model._meta.label_lower}"
            post_save.connect(bump_content_version, sender=model, dispatch_uid=uid)
            post_delete.connect(bump_content_version, sender=model, dispatch_uid=uid)
            if model._meta.auto_created:
                m2m_changed.connect(bump_content_version, sender=model, dispatch_uid=uid)
            watched.append(model)
    return watched


def _bump_pending(connection):
    """Whether this connection's transaction will replace the version when it commits (the
    callback is gone if the transaction, or the savepoint that registered it, rolled back)."""
    return connection.in_atomic_block and any(
        entry[1] is _store_new_version for entry in connection.run_on_commit
    )


def _store_new_version():
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        # One statement that creates the row or replaces it (INSERT ... ON CONFLICT).
        ContentVersion.objects.bulk_create(
            [ContentVersion(pk=1, token=uuid.uuid4().hex, changed_at=timezone.now())],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["token", "changed_at"],
        )
    except DatabaseError:
        logger.warning("Cache : impossible de changer la version du contenu", exc_info=True)
    if hasattr(connection, _PENDING_ATTRIBUTE):
        delattr(connection, _PENDING_ATTRIBUTE)


def public_page_cache(view=None, *, query_params=()):
    """Cache the view's page for anonymous visitors (see the module docstring).

    A request whose query string names a parameter outside `query_params`, or is longer
    than MAX_QUERY_STRING, is served uncached, so that arbitrary query strings cannot
    fill the cache.
    """
    if view is None:
        return lambda view: public_page_cache(view, query_params=query_params)
    allowed = frozenset(query_params)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = settings.PORTAL_PAGE_CACHE_SECONDS
        if not timeout or not _request_is_cacheable(request, allowed):
            return view(request, *args, **kwargs)
        version = base_key = None
        try:
            # The cached path: the version read, a 304 if the visitor's copy is current
            # (core.conditional), else one trip to the cache for the page's Vary and the
            # page itself, guessed under the usual Vary (a second trip if the page varies
            # on more).
            version = current_version()
            if version is not None:
                unchanged = conditional.not_modified(
                    request, _validators(request, version), vary=ALWAYS_VARY
                )
                if unchanged is not None:
                    return unchanged
                base_key = _base_key(request, version.token)
                usual_key = _page_key(base_key, request, ALWAYS_VARY)
                found = cache.get_many([base_key, usual_key])
                vary = found.get(base_key)
                if vary is not None:
                    if tuple(vary) == ALWAYS_VARY:
                        cached = found.get(usual_key)
                    else:
                        cached = cache.get(_page_key(base_key, request, vary))
                    if cached is not None:
                        return _serve(request, cached, version)
        except Exception:
            logger.warning("Cache : lecture impossible, page servie sans cache", exc_info=True)
            base_key = None
        if base_key is None:
            return view(request, *args, **kwargs)

        request.public_page_cache = True
        response = view(request, *args, **kwargs)
        if getattr(response, "is_rendered", True):
            return _store_and_serve(request, response, base_key, version, timeout)
        # A TemplateResponse: stored and served once rendered.
        response.add_post_render_callback(
            lambda rendered: _store_and_serve(request, rendered, base_key, version, timeout)
        )
        return response

    return wrapper


def _store_and_serve(request, response, base_key, version, timeout):
    """The view's response, kept if every anonymous visitor would get the same, then
    served to this visitor."""
    if not _is_shared(request, response):
        return _with_visitor_token(request, response)
    # A HEAD has no body to keep; a streamed response (open data) is validated, not kept.
    if request.method == "GET" and not response.streaming:
        _store(request, response, base_key, timeout)
    return _serve(request, response, version)


def _serve(request, response, version):
    """A shared page with this visitor's CSRF token, then its validators: the ETag is made
    from the visitor's CSRF cookie, which giving the token may have just created."""
    response = _with_visitor_token(request, response)
    if set(_vary_headers(response)) - IGNORED_VARY <= set(ALWAYS_VARY):
        conditional.with_validators(response, _validators(request, version))
    # Else the page varies on a header the 304 cannot know of before the view: no ETag.
    return response


def _validators(request, version):
    return conditional.validators(
        request, version, vary=ALWAYS_VARY, lifetime=settings.PORTAL_PAGE_CACHE_SECONDS
    )


def _request_is_cacheable(request, allowed_params):
    if request.method not in ("GET", "HEAD"):
        return False
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return False
    if not set(request.GET).issubset(allowed_params):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # Counting does not mark the messages as read: the page still shows them.
    return not len(get_messages(request))


def _is_shared(request, response):
    """Whether every anonymous visitor gets this response (their CSRF token aside)."""
    if response.status_code != 200 or response.cookies:
        return False
    # The view asked for a CSRF token itself, not through the placeholder: it belongs to
    # one visitor.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    if len(get_messages(request)):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    return "*" not in _vary_headers(response)


def _with_visitor_token(request, response):
    """The page with this visitor's CSRF token in place of the placeholder, if it has any
    (getting the token makes CsrfViewMiddleware set the visitor's cookie)."""
    if response.streaming:
        return response
    placeholder = CSRF_PLACEHOLDER.encode()
    if placeholder in response.content:
        token = get_token(request).encode()
        response.content = response.content.replace(placeholder, token)
    return response


def _vary_headers(response):
    if not response.has_header("Vary"):
        return []
    return [header.strip().lower() for header in cc_delim_re.split(response["Vary"])]


def _digest(text):
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _base_key(request, version):
    location = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"portal:page:{version}:{_digest(location)}"


def _page_key(base_key, request, vary):
    values = "\n".join(f"{header}={request.headers.get(header, '')}" for header in vary)
    return f"{base_key}:{_digest(values)}"


def _store(request, response, base_key, timeout):
    vary = sorted(
        (set(_vary_headers(response)) - IGNORED_VARY) | set(ALWAYS_VARY),
    )
    try:
        cache.set_many(
            {base_key: vary, _page_key(base_key, request, vary): response}, timeout=timeout
        )
    except Exception:
        logger.warning("Cache : écriture impossible", exc_info=True)
