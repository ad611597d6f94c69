"""Security headers beside django-csp: the Permissions-Policy header (the browser features
the portal never uses are denied to its pages and to anything they might embed, so that
injected or third-party code could not ask for them either), and the one loosening of the
Content-Security-Policy the team's admin needs."""

from csp.constants import UNSAFE_INLINE
from django.conf import settings
from django.urls import reverse


def permissions_policy(features):
    """`{"camera": (), "fullscreen": ("self",)}` → `camera=(), fullscreen=(self)`."""
    return ", ".join(f"{name}=({' '.join(allowed)})" for name, allowed in features.items())


class PermissionsPolicyMiddleware:
    """Sets Permissions-Policy (settings.PERMISSIONS_POLICY) on every response that has
    none: pages, fragments, downloads, feeds, static files, redirects and errors."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class AdminStyleAttributesMiddleware:
    """Lets the admin's own pages use style attributes (`style-src 'unsafe-inline'`).

    Django's admin and its autocomplete widget (Select2) write `style="…"` on elements they
    build (widths of the chantier picker, hidden rows): under the site's strict policy the
    browser refuses them and the team's forms lose their layout. Scripts stay as strict as
    everywhere, and public pages keep the strict policy; the admin is only open to signed-in
    staff and escapes what it shows. Below CSPMiddleware in MIDDLEWARE, so that its answer
    is marked before the policy is written.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if self.prefix is None:
            self.prefix = reverse("admin:index")
        if request.path.startswith(self.prefix):
            response._csp_update = {"style-src": [UNSAFE_INLINE]}
        return response
