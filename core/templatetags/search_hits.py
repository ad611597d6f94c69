"""The site search's hits: `{% for hit in group.hits %}{% search_hit hit %}{% endfor %}`."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def search_hit(hit):
    """One hit: its title linked, the line its kind writes (Kind.hit_line), its excerpt.

    Written here rather than as an include: a page of results shows up to 35 hits, and
    through the template engine each cost as much as the query that found it.
    """
    excerpt = (
        format_html('<p class="search-hit__excerpt">{}</p>', hit.excerpt_html)
        if hit.excerpt_html
        else ""
    )
    return format_html(
        '<li class="search-hit">\n'
        '  <h3 class="search-hit__title"><a href="{}">{}</a></h3>\n'
        '  <p class="search-hit__meta">\n  {}\n  </p>\n'
        "  {}\n"
        "</li>\n",
        hit.url,
        hit.title_html,
        hit.kind.hit_line(hit.object),
        excerpt,
    )
