from functools import cache

from django.conf import settings

from chantiers import demo


def portal(request):
    """The body's facts and settings, for the base template and the legal pages."""
    return {"portal": settings.PORTAL}


def demo_notice(request):
    """Whether the demo notice shows: asked lazily, at most once per response.

    A callable, so templates that never mention it (htmx fragments, feeds) cost nothing,
    and cached per request, so a page that asks twice still makes a single query.
    """
    return {"demo_content_loaded": cache(demo.is_loaded)}
