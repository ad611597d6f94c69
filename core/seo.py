"""Absolute addresses for canonical links, Open Graph, the feed, the sitemap and robots.txt."""

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
