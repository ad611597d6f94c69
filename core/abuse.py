"""Protection of the public forms: a honeypot field and a per-address rate limit.

The rate limit counts the posts of one client address to one form in a fixed window, in
the database (core.models.FormPostCount), as the content version is (core.cache): every
gunicorn worker and every server counts in the same row, with Redis or without it, so
that 10 posts an hour are 10 whatever the number of processes. It costs a post one
statement (two on the first post of a window); pages read nothing. The address is kept
only as a keyed hash, and the rows of a window are deleted once it is over (at the next
window's first post, and by `purge_personal_data`).
"""

import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.db import DatabaseError, connection

from core.models import FormPostCount

logger = logging.getLogger(__name__)

# The field bots fill in and people never see (hidden by CSS, out of the tab order).
HONEYPOT_FIELD = "site_internet"


def honeypot_filled(request):
    return bool(request.POST.get(HONEYPOT_FIELD, "").strip())


def client_address(request):
    """The client's IP address. Behind PORTAL_TRUSTED_PROXIES proxies (nginx, a load
    balancer), it is the entry the nearest of them appended to X-Forwarded-For: what a
    client writes in that header itself comes earlier and is never trusted."""
    proxies = settings.PORTAL_TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _key(scope, address):
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}|{address}".encode(), hashlib.sha256
    ).hexdigest()


def _window(now=None):
    return int((time.time() if now is None else now) // settings.PORTAL_FORM_RATE_WINDOW_SECONDS)


def rate_limited(request, scope):
    """Count this post; True when the address has gone over the limit for that form.

    A database that fails here lets the post through: the forms must keep working.
    """
    limit = settings.PORTAL_FORM_RATE_LIMIT
    if not limit:
        return False
    key, window = _key(scope, client_address(request)), _window()
    try:
        count = count_post(key, window)
    except DatabaseError:
        logger.warning("Limite d'envois : base indisponible, envoi accepté", exc_info=True)
        return False
    return count > limit


# One statement, atomic in PostgreSQL and SQLite alike (3.35 and later for RETURNING):
# two workers counting the same post at once both count. The ORM has no increment that
# creates the row when it is missing and says the count.
_TABLE = FormPostCount._meta.db_table
_COUNT_SQL = (
    f"INSERT INTO {_TABLE} (client, period, posts) VALUES (%s, %s, 1) "
    f"ON CONFLICT (client, period) DO UPDATE SET posts = {_TABLE}.posts + 1 RETURNING posts"
)


def count_post(key, window):
    """One more post of `key` (a form and an address, hashed) in `window`; the count
    after it."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL, [key, window])
        (count,) = cursor.fetchone()
    if count == 1:
        # A new window for this address: the rows of windows over go now, the addresses
        # (their hashes) with them.
        purge_post_counts(window=window)
    return count


def purge_post_counts(*, window=None):
    """Delete the counts of the windows over. Returns how many."""
    current = _window() if window is None else window
    return FormPostCount.objects.filter(period__lt=current).delete()[0]


def retry_after_minutes():
    return max(1, round(settings.PORTAL_FORM_RATE_WINDOW_SECONDS / 60))
