"""Absolute addresses for canonical links, Open Graph, the feed, the sitemap and robots.txt,
and the one site address every link read away from the site (emails) is built on."""

from urllib.parse import urlencode, urlsplit

from django.conf import settings

# Query parameters that make another page rather than a variant of the same page: a
# canonical link keeps them and drops the rest (filters, htmx state...).
CANONICAL_PARAMS = ("page", "annee")


def site_url(request=None):
    """« https://projet.petr-fqvd.fr »: PORTAL["SITE_URL"] when set, else the request's."""
    configured = settings.PORTAL.get("SITE_URL", "")
    if configured:
        return configured
    if request is None:
        return ""
    return f"{request.scheme}://{request.get_host()}"


# Where links written outside a request point in development when PORTAL_SITE_URL is not
# set (`make run` sets it to the address it serves; with debug off the settings refuse to
# start without it).
DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"


def site_address(path=""):
    """`path` on the portal's public address, PORTAL_SITE_URL: what every email links to,
    whether it was queued by a visitor's request, the admin or a command. Never the
    request's own address, which may be an internal name or plain http."""
    return (settings.PORTAL.get("SITE_URL") or DEVELOPMENT_SITE_URL) + path


def site_domain():
    """The host name of the site address (the right-hand side of our Message-IDs)."""
    return urlsplit(site_address()).hostname or "localhost"


def absolute_url(request, url):
    """`url` made absolute; already absolute URLs (object storage, CDN) are left alone.

    Without a request and without PORTAL["SITE_URL"], the path stays relative.
    """
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme:
        return url
    if url.startswith("//"):
        return f"{urlsplit(site_url(request)).scheme or 'https'}:{url}"
    if not url.startswith("/"):
        url = "/" + url
    return site_url(request) + url


def canonical_url(request):
    kept = [
        (name, value)
        for name in CANONICAL_PARAMS
        for value in request.GET.getlist(name)[:1]
        if value and not (name == "page" and value == "1")
    ]
    query = f"?{urlencode(kept)}" if kept else ""
    return absolute_url(request, request.path) + query
