"""The Permissions-Policy header: the browser features the portal never uses are denied
to its pages and to anything they might embed, so that injected or third-party code
could not ask for them either."""

from django.conf import settings


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
