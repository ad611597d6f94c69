"""Text the team types (Markdown) turned into safe HTML or plain text; dates in French."""

import html
import re
import threading
from functools import lru_cache

import markdown as markdown_lib
import nh3
from django.utils import timezone

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote",
    "h3", "h4", "h5", "h6", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Headings typed in a description start at h3: the page keeps its single h1 and its h2s.
_MARKDOWN_OPTIONS = {
    "extensions": ["sane_lists", "tables", "toc"],
    "extension_configs": {"toc": {"baselevel": 3, "anchorlink": False, "permalink": False}},
    "output_format": "html",
}
_TEXT_OPTIONS = {"extensions": ["sane_lists"]}
# Building a Markdown parser costs more than converting a short text with it: each thread
# keeps one per set of options (a parser is not thread-safe) and resets it between texts.
_parsers = threading.local()
# The same texts are converted again at each request (a chantier's description, the
# meetings of a calendar feed: a hundred conversions, two thirds of a feed's time): each
# process keeps the last conversions, by text. A text edited is a new key.
CONVERTED_TEXTS = 512


def _convert(text, options):
    key = id(options)
    parsers = _parsers.__dict__
    if key not in parsers:
        parsers[key] = markdown_lib.Markdown(**options)
    return parsers[key].reset().convert(text)


@lru_cache(maxsize=CONVERTED_TEXTS)
def render_markdown(text):
    """Markdown to HTML that is safe to show: sanitised by nh3 whatever the input."""
    if not text:
        return ""
    raw = _convert(text, _MARKDOWN_OPTIONS)
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


@lru_cache(maxsize=CONVERTED_TEXTS)
def markdown_to_text(text):
    """Markdown to readable plain text (calendar descriptions): no tags, no entities."""
    if not text:
        return ""
    raw = _convert(text, _TEXT_OPTIONS)
    raw = raw.replace("<li>", "<li>- ")
    cleaned = nh3.clean(raw, tags=set(), attributes={})
    lines = [html.unescape(line).strip() for line in cleaned.splitlines()]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


_MARKDOWN_BLOCK = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)")
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_EMPHASIS = re.compile(r"\*\*|__|`|\||(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")


def markdown_to_line(text):
    """Markdown as one line of plain text (search excerpts): list items and headings
    separated by « · », links reduced to their text, emphasis marks removed.

    Not through the parser as markdown_to_text: an excerpt is a piece cut out of a text,
    often in the middle of a link or of « **bold** », which a parser would leave with
    stray marks; these rules strip each mark alone."""
    pieces, new_block = [], False
    for line in (text or "").splitlines():
        block = _MARKDOWN_BLOCK.match(line)
        line = _MARKDOWN_LINK.sub(r"\1", line[block.end() :] if block else line)
        line = " ".join(_MARKDOWN_EMPHASIS.sub("", line).split())
        if not line:
            new_block = True  # a blank line ends a paragraph
            continue
        if pieces:
            ends_sentence = pieces[-1][-1] in ".!?:;…"
            pieces.append(" · " if block or (new_block and not ends_sentence) else " ")
        pieces.append(line)
        new_block = bool(block and block.group().strip().startswith("#"))
    return "".join(pieces)


WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
NBSP = "\u00a0"


def french_date(day, weekday=True):
    """« mardi 12 mars 2019 », « 1er mars » written as French typography wants it."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number}{NBSP}{MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def french_time(moment):
    """« 18 h 30 », « 21 h »."""
    if moment.minute:
        return f"{moment.hour}{NBSP}h{NBSP}{moment.minute:02d}"
    return f"{moment.hour}{NBSP}h"


def meeting_when(starts_at, ends_at, zone=None):
    """« mardi 12 mars 2019, 18 h 30 – 21 h », in Europe/Paris time (the current time
    zone, or `zone` when the caller has it: looking it up costs more than the rest)."""
    start = timezone.localtime(starts_at, zone)
    end = timezone.localtime(ends_at, zone)
    if start.date() == end.date():
        return f"{french_date(start)}, {french_time(start)}{NBSP}– {french_time(end)}"
    return (
        f"du {french_date(start)}, {french_time(start)}, au {french_date(end)}, {french_time(end)}"
    )
