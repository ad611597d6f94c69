"""Protection of the public forms: a honeypot field and a per-address rate limit.

The rate limit counts the posts of one client address to one form in a fixed window,
in the cache (Redis in production, shared by every process; without Redis each process
counts on its own, so the limit is multiplied by the number of processes). The address
is kept only as a keyed hash, for the length of the window.
"""

import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache import cache

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
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}|{address}".encode(), hashlib.sha256
    ).hexdigest()
    return f"portal:rate:{scope}:{digest}"


def rate_limited(request, scope):
    """Count this post; True when the address has gone over the limit for that form.

    A cache that fails lets the post through: the forms must keep working.
    """
    limit = settings.PORTAL_FORM_RATE_LIMIT
    window = settings.PORTAL_FORM_RATE_WINDOW_SECONDS
    if not limit:
        return False
    key = _key(scope, client_address(request))
    try:
        # add() starts the window only if the key is new; incr() is atomic on Redis.
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add() and incr()
            cache.add(key, 1, timeout=window)
            count = 1
    except Exception:
        logger.warning("Limite d'envois : cache indisponible, envoi accepté", exc_info=True)
        return False
    return count > limit


def retry_after_minutes():
    return max(1, round(settings.PORTAL_FORM_RATE_WINDOW_SECONDS / 60))
