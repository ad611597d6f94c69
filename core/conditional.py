"""Conditional GET (RFC 9110, 13.1) for the pages the page cache shares (core.cache).

A browser, a feed reader or a calendar that already holds a page sends its `ETag` back in
`If-None-Match` (or its `Last-Modified` in `If-Modified-Since`); if the content has not
changed, it gets `304 Not Modified` and no body. public_page_cache answers with
Django's own `get_conditional_response`, right after reading the content version and
before the cache or the view: a 304 costs one query, whichever worker answers.

The validators are what the page cache would serve, named:
- the ETag is a digest of the content version, the representation (the absolute URL with
  its query string, and the headers every cached page varies on: HX-Request, so that a
  page and its htmx fragment differ) and the visitor's CSRF cookie. A page with a form
  carries a token made from that cookie (core.cache puts it in place of
  CSRF_PLACEHOLDER): if the cookie changed (expired, removed, replaced at sign-in), the
  ETag no longer matches and the browser gets the page with a token that does. It is
  weak (W/): two answers differ in their masked CSRF token, not in meaning.
- Last-Modified is the time the content version changed; pages also change with the
  clock (a meeting passes, an action falls late), so it moves on by the page cache's
  lifetime (PORTAL_PAGE_CACHE_SECONDS) while the content stays the same, and the ETag
  with it: a page is never validated for longer than the page cache would keep it (a
  deploy that changes a template but no content is seen within that time too).
  An HTTP date names a whole second, in which the content may have changed twice: a
  copy dated in the second of the change is sent again (only the next lifetime's date,
  later than the change, validates it). Browsers send the ETag too, which Django then
  compares instead (RFC 9110, 13.2.2).

Only responses that are the same for every anonymous visitor get validators (core.cache
decides; signed-in visitors, pending messages, POSTs and unknown query strings never reach
here), and only while the page cache is on: in development a template changes without a
new content version. They also say `Cache-Control: no-cache` unless the view chose a
policy itself, so that a browser asks before reusing a page rather than guess from
Last-Modified how long it stays fresh. The 304 carries the ETag, Last-Modified and Vary;
like the one of Django's `condition` decorator, it leaves the copy's Cache-Control as is.
"""

import hashlib
import time
from typing import NamedTuple

from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date


class Validators(NamedTuple):
    etag: str
    # Seconds since the epoch; None for content that no commit has announced yet.
    last_modified: int | None
    changed_at: float | None


def validators(request, version, *, vary, lifetime):
    """The page's validators for this request: `version` is core.cache's Version, `vary`
    the request headers every cached page varies on, `lifetime` the page cache's."""
    changed_at = last_modified = None
    if version.changed_at is not None:
        changed_at = version.changed_at.timestamp()
        lifetimes = max(0, int(time.time() - changed_at) // lifetime)
        last_modified = int(changed_at) + lifetimes * lifetime
    representation = [
        version.token,
        str(last_modified),
        request.build_absolute_uri(),
        *(f"{header}={request.headers.get(header, '')}" for header in vary),
        # Set by CsrfViewMiddleware from the visitor's cookie, or by get_token() for the
        # cookie this response sets.
        request.META.get("CSRF_COOKIE", ""),
    ]
    digest = hashlib.sha256("\n".join(representation).encode("utf-8", "surrogateescape"))
    return Validators(f'W/"{digest.hexdigest()}"', last_modified, changed_at)


def not_modified(request, page, *, vary):
    """304 Not Modified (or 412 Precondition Failed) if the request's conditions say the
    visitor's copy is current, else None."""
    last_modified = page.last_modified
    if last_modified is not None:
        # Later than any If-Modified-Since dated in the second of the change (see above).
        last_modified = max(last_modified, page.changed_at)
    response = get_conditional_response(request, etag=page.etag, last_modified=last_modified)
    if response is not None and response.status_code == 304:
        _add_validators(response, page)
        patch_vary_headers(response, vary)
    return response


def with_validators(response, page):
    """The shared response with its ETag, its Last-Modified and `no-cache` (see above)."""
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, no_cache=True)
    return _add_validators(response, page)


def _add_validators(response, page):
    response["ETag"] = page.etag
    # Ours replaces a view's own (the feeds', the sitemap's): the 304 is decided on ours.
    if page.last_modified is None:
        del response["Last-Modified"]
    else:
        response["Last-Modified"] = http_date(page.last_modified)
    return response
