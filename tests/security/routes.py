"""Every public URL of the site, found in the URL conf and reversed with sample objects.

`named_routes()` walks the URL conf; `public_urls(content)` reverses each named route
with the objects of `sample_content` (conftest.py). A route with parameters must have an
entry in SAMPLES: a new one makes test_routes fail until it is given one, so the bad-input
tests always cover the whole site.
"""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Namespaces that are not the public site: the admin has its own tests (and Django's).
PRIVATE_NAMESPACES = {"admin"}

# Route name → the keyword arguments of a sample URL, from the sample_content fixture.
SAMPLES = {
    "chantiers:chantier_detail": lambda c: {"slug": c["chantier"].slug},
    "chantiers:chantier_ics": lambda c: {"slug": c["chantier"].slug},
    "chantiers:action_detail": lambda c: {
        "slug": c["chantier"].slug,
        "action_slug": c["action"].slug,
    },
    "chantiers:meeting_detail": lambda c: {"slug": c["intersession"].slug},
    "chantiers:meeting_ics": lambda c: {"slug": c["session"].slug},
    # The reserved one: a visitor is sent to sign in, so a request changes nothing (a
    # public download counts itself; tests/security/test_downloads.py covers it).
    "diagnostic:document_download": lambda c: {"slug": c["reserved"].slug},
    # Not counted: the public one's accessible version, downloaded as it is.
    "diagnostic:document_accessible_download": lambda c: {"slug": c["document"].slug},
    "chantiers:meeting_register": lambda c: {"slug": c["intersession"].slug},
    "chantiers:registration_done": lambda c: {"slug": c["intersession"].slug},
    # An unknown token: the page must answer calmly (404) and cancel nothing.
    "chantiers:registration_cancel": lambda c: {
        "slug": c["intersession"].slug,
        "token": "jeton-inconnu",
    },
    # Unknown or forged tokens: a calm 404, nothing confirmed, changed or deleted.
    "chantiers:follow_confirm": lambda c: {"token": "jeton-inconnu"},
    "chantiers:follow_manage": lambda c: {"token": "jeton-inconnu"},
    "chantiers:follow_unsubscribe": lambda c: {"token": "jeton-inconnu"},
    "open_data_export": lambda c: {"name": "reunions", "fmt": "csv"},
    # A forged reset link: refused, nothing changes.
    "accounts:password_reset_confirm": lambda c: {"uidb64": "MQ", "token": "faux-jeton"},
}

# Query parameters the pages read; the bad-input tests send them all, plus what the
# pages' own GET forms name.
KNOWN_PARAMS = [
    "etat",
    "type",
    "chantier",
    "periode",
    "page",
    "passees",
    "annee",
    "q",
    "next",
    "statut",
]


def named_routes(patterns=None, namespace="", converters=()):
    """(full name, parameter names) of every named route outside PRIVATE_NAMESPACES."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        own = tuple(entry.pattern.converters) if hasattr(entry.pattern, "converters") else ()
        if isinstance(entry, URLResolver):
            if entry.namespace in PRIVATE_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_routes(entry.url_patterns, inner, converters + own)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", converters + own


def public_urls(content):
    """{route name: sample URL}. Raises KeyError naming the routes that need a sample."""
    urls, missing = {}, []
    for name, params in named_routes():
        if params and name not in SAMPLES:
            missing.append(name)
            continue
        kwargs = SAMPLES[name](content) if params else {}
        urls[name] = reverse(name, kwargs=kwargs)
    if missing:
        raise KeyError(
            "Routes sans exemple dans tests/security/routes.py SAMPLES : " + ", ".join(missing)
        )
    return urls
