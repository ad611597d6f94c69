"""One template serves a page and its htmx fragment (`{% partialdef name inline %}`)."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page(request, template, context, fragment=None, *, push_url=False, status=200, vary=()):
    """The whole page, or only `template#fragment` when htmx asks; `Vary: HX-Request`
    (plus the headers in `vary`) keeps the two apart in every cache and in the history.

    push_url: the URL htmx pushes to the history loses the empty fields of the form
    (« ?type=&chantier=x » becomes « ?chantier=x »), so that shared links stay short.
    """
    name = f"{template}#{fragment}" if fragment and request.htmx else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request", *vary])
    if push_url and request.htmx:
        query = urlencode([(key, value) for key, value in request.GET.items() if value])
        response["HX-Push-Url"] = request.path + (f"?{query}" if query else "")
    return response
