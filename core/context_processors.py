"""What every template may use to keep a fragment in Django's cache:

    {% load cache %}
    {% cache fragment_seconds "chantier-actions" content_version chantier.pk today %}
      ...
    {% endcache %}

`content_version` changes with every content change (core.cache), in every process, so a
fragment keyed by it is never stale; add to the key whatever else the fragment depends on
(the row, the page, the day – `today` –, the visitor's rights). `fragment_seconds` is
PORTAL_FRAGMENT_CACHE_SECONDS: 0 keeps nothing (development). An include that may be
rendered without a request (render_to_string) writes `fragment_seconds|default:0`.

An htmx swap keeps nothing: it writes a few rows of a page (« voir plus », a filter), and
reading the version for them would cost a query that so few rows do not repay."""

from django.conf import settings
from django.utils import timezone

from core.cache import request_content_version

# Written in the key instead of the version while fragments are off: no query for it.
OFF = "off"


class _RequestVersion:
    """The request's content version, read only if a fragment asks for it (str())."""

    def __init__(self, request, seconds):
        self.request, self.seconds = request, seconds

    def __str__(self):
        return request_content_version(self.request) if self.seconds else OFF


def fragment_cache(request):
    seconds = 0 if getattr(request, "htmx", False) else settings.PORTAL_FRAGMENT_CACHE_SECONDS
    return {
        "fragment_seconds": seconds,
        "content_version": _RequestVersion(request, seconds),
        # For fragments that change with the day (what is late, an audit that expires).
        "today": timezone.localdate(),
    }
