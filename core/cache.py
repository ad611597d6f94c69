"""Whole-page cache for the anonymous public pages, invalidated by a content version.

    @require_safe
    @public_page_cache
    def chantier_list(request): ...

    @public_page_cache(query_params=("statut",))   # filters that may be cached

Every key carries the current content version. `bump_content_version()` replaces it, so
every cached page goes stale at once and old entries simply expire. `watch_content_models()`
connects it to post_save, post_delete and m2m_changed of every model whose content the
public pages show (PetrPortalConfig.ready does it for the content apps), and the content
commands (load_territoire, load_demo) call it at the end, since bulk writes send no signal.

Only what is the same for every anonymous visitor is kept: GET requests from visitors
who are not signed in and have no pending message, responses 200 that set no cookie.

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
after the view). If the cache backend fails, the page is rendered as if uncached.
"""

import hashlib
import logging
import uuid
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.utils.cache import cc_delim_re
from simple_history.models import HistoricalChanges

logger = logging.getLogger(__name__)

CONTENT_VERSION_KEY = "portal:content-version"
# Headers named in Vary that do not split the cache, and why: see the module docstring.
IGNORED_VARY = frozenset({"cookie", "accept-encoding"})
ALWAYS_VARY = ("hx-request",)
# The site's own filter links are short: a longer query string is served uncached, so
# that made-up values cannot fill the cache with big keys.
MAX_QUERY_STRING = 200
# Where the visitor's CSRF token goes in a cached page (see the module docstring).
CSRF_PLACEHOLDER = "portal-page-cache-csrf-token"


def content_version():
    """The current content version (created on first use, kept until the next bump)."""
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        # A random value rather than a counter: if the key is ever evicted, the new
        # version cannot coincide with an old one and revive stale pages.
        cache.add(CONTENT_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(CONTENT_VERSION_KEY)
    return version


def bump_content_version(*args, **kwargs):
    """Make every cached public page stale. Accepts signal arguments, so it can be
    connected to post_save/post_delete directly."""
    _new_version()
    # A page rendered between the bump and the commit would show the old content and be
    # cached under the new version: bump again once the transaction is committed.
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_new_version)


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


def _new_version():
    try:
        cache.set(CONTENT_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("Cache : impossible de changer la version du contenu", exc_info=True)


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
        try:
            base_key = _base_key(request)
            vary = cache.get(base_key)
            if vary is not None:
                cached = cache.get(_page_key(base_key, request, vary))
                if cached is not None:
                    return _with_visitor_token(request, cached)
        except Exception:
            logger.warning("Cache : lecture impossible, page servie sans cache", exc_info=True)
            return view(request, *args, **kwargs)

        request.public_page_cache = True
        response = view(request, *args, **kwargs)
        if getattr(response, "is_rendered", True):
            if request.method == "GET":
                _store(request, response, base_key, timeout)
            return _with_visitor_token(request, response)
        # A TemplateResponse: stored once rendered, then given the visitor's token.
        if request.method == "GET":
            response.add_post_render_callback(
                lambda rendered: _store(request, rendered, base_key, timeout)
            )
        response.add_post_render_callback(lambda rendered: _with_visitor_token(request, rendered))
        return response

    return wrapper


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


def _response_is_cacheable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
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


def _base_key(request):
    location = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"portal:page:{content_version()}:{_digest(location)}"


def _page_key(base_key, request, vary):
    values = "\n".join(f"{header}={request.headers.get(header, '')}" for header in vary)
    return f"{base_key}:{_digest(values)}"


def _store(request, response, base_key, timeout):
    if not _response_is_cacheable(request, response):
        return
    vary = sorted(
        (set(_vary_headers(response)) - IGNORED_VARY) | set(ALWAYS_VARY),
    )
    try:
        cache.set_many(
            {base_key: vary, _page_key(base_key, request, vary): response}, timeout=timeout
        )
    except Exception:
        logger.warning("Cache : écriture impossible", exc_info=True)
