from functools import cache

from django.conf import settings

from accessibilite.declaration import current_statement
from chantiers import demo as chantiers_demo
from core.cache import CSRF_PLACEHOLDER
from diagnostic import demo as diagnostic_demo


def portal(request):
    """The body's facts and settings, for the base template and the legal pages."""
    return {"portal": settings.PORTAL}


def accessibility(request):
    """The footer's « Accessibilité : … »: the Statement of the latest published audit,
    asked lazily (fragments never ask) and at most once per response, in one query."""
    return {"accessibility_statement": cache(current_statement)}


def csrf_placeholder(request):
    """On a page rendered for the page cache, `{% csrf_token %}` writes a placeholder that
    each visitor's own token replaces when the page is served (core.cache). Listed
    after Django's built-in csrf processor, so this value wins."""
    if getattr(request, "public_page_cache", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def demo_notice(request):
    """Whether the demo notice shows: asked lazily, at most once per response.

    A callable, so templates that never mention it (htmx fragments, feeds) cost nothing,
    and cached per request, so a page that asks twice still makes a single query.
    """
    return {"demo_content_loaded": cache(_demo_loaded)}


def _demo_loaded():
    """One query, whatever the number of apps: is there a row in any of their places?"""
    first, *others = [
        queryset.values("pk")
        for queryset in chantiers_demo.demo_querysets() + diagnostic_demo.demo_querysets()
    ]
    return first.union(*others, all=True).exists()
