"""Login throttling on top of Django's password check (django-axes)."""

from axes.backends import AxesStandaloneBackend


class ThrottledLoginBackend(AxesStandaloneBackend):
    """Refuses sign-in to an account locked out from the requesting address.

    Axes can only throttle what comes with a request: every sign-in form passes one.
    Calls without a request (a management command, the test client's `login()`) are
    left to the next backend instead of failing with an error.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def login_identifier(request, credentials=None):
    """The address typed at sign-in, lower-cased: « Élu@x.fr » and « élu@x.fr » share a count.

    Django's sign-in forms send the address as `username`; authenticate() may get `email`.
    """
    value = None
    if credentials:
        value = credentials.get("username") or credentials.get("email")
    if value is None and request is not None:
        data = getattr(request, "data", None) or request.POST
        value = data.get("username") or data.get("email")
    return (value or "").strip().lower() or None
