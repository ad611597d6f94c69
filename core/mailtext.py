"""The HTML part of an email, made from its plain text: the same words, paragraphs and
clickable links, no image and no remote resource (readable as is, offline, and by any
screen reader). One template per email, so the two parts never say different things."""

from django.template.defaultfilters import linebreaks_filter, urlize
from django.utils.html import format_html
from django.utils.safestring import mark_safe

_PAGE = (
    '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    "<title>{}</title>\n</head>\n"
    '<body style="font-family: sans-serif; font-size: 16px; line-height: 1.5; '
    "color: #1a1a1a; background: #ffffff; max-width: 40em; margin: 0 auto; padding: 1em; "
    'overflow-wrap: anywhere;">\n'
    "{}\n</body>\n</html>\n"
)


def html_from_text(text, *, title):
    """Paragraphs from blank lines, line breaks kept, addresses turned into links."""
    # urlize escapes the text and returns it safe; linebreaks then leaves it as is.
    body = linebreaks_filter(urlize(text, autoescape=True), autoescape=True)
    return format_html(_PAGE, title, mark_safe(body))
