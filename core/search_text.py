"""The words of the site search: folding them (accents and case never matter), the words of
a query, and highlighting what was found in titles and excerpts (core.search).

Highlighted HTML is built by escaping everything and then adding our own <mark> around
the words found: nothing the team or a visitor typed can reach the page as markup.
"""

import html
import re
import unicodedata

from django.utils.safestring import mark_safe

from core.text import markdown_to_line

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
MIN_WORD_LENGTH = 2
EXCERPT_WORDS = 30
# Private-use characters mark the words found until the text is escaped: they cannot
# be confused with anything a person types.
MARK_START, MARK_END = "\ue000", "\ue001"

_FOLD = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
# A word is letters and digits: nothing a LIKE pattern or a tsquery reads as syntax.
WORD = re.compile(r"[^\W_]+")


def fold(text):
    """Lower case without accents: « Épargne » → « epargne », « Cœur » → « coeur »."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_text(value):
    """What SQLite searches: the folded words, each preceded by a space, so that
    LIKE '% epar%' finds the words that start with « epar »."""
    if value is None:
        return None
    return "".join(" " + word for word in WORD.findall(fold(value)))


def query_words(query):
    """The words of a query, folded, without duplicates; one-letter words are dropped
    (« l'épargne » searches « epargne ») and punctuation is ignored (`%`, `_`, quotes)."""
    words = []
    for word in WORD.findall(fold(query[:MAX_QUERY_LENGTH])):
        if len(word) >= MIN_WORD_LENGTH and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


# ---------------------------------------------------------------------------
# Highlighting: escape everything, then add our own <mark>


_MARKED = re.compile(f"{MARK_START}(.*?){MARK_END}", re.DOTALL)


def marked_html(text):
    """Text with MARK_START/MARK_END around the words found, as safe HTML."""
    escaped = html.escape(text or "", quote=False)
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(MARK_START, "").replace(MARK_END, ""))  # noqa: S308


def headline_excerpt(headline, source):
    """ts_headline's excerpt as safe HTML, with « … » where the text goes on."""
    text = markdown_to_line(headline)
    plain = text.replace(MARK_START, "").replace(MARK_END, "")
    lines = (source or "").splitlines()
    prefix = "" if not plain or _line_of(lines, plain, first=True).startswith(plain) else "… "
    suffix = "" if not plain or _line_of(lines, plain, first=False).endswith(plain) else " …"
    return mark_safe(f"{prefix}{marked_html(text)}{suffix}")  # noqa: S308


def _line_of(lines, plain, first):
    """The start (or end) of markdown_to_line of the whole text, at least as long as
    `plain`, from only as many of its lines as that takes: each line is converted alone,
    so the first lines' line is the start of the whole's, the last lines' its end (the
    minutes of a meeting are long; an excerpt is a few lines of them)."""
    count = 8
    while True:
        part = markdown_to_line("\n".join(lines[:count] if first else lines[-count:]))
        if len(part) >= len(plain) or count >= len(lines):
            return part
        count *= 4


def _matches(word, words):
    folded = fold(word)
    return any(folded.startswith(query_word) for query_word in words)


def mark_words(text, words):
    """`text` as safe HTML, each word that starts with a query word in <mark>."""
    parts, last = [], 0
    for match in WORD.finditer(text):
        if _matches(match.group(), words):
            parts.append(html.escape(text[last : match.start()], quote=False))
            parts.append(f"<mark>{html.escape(match.group(), quote=False)}</mark>")
            last = match.end()
    parts.append(html.escape(text[last:], quote=False))
    return mark_safe("".join(parts))  # noqa: S308


def highlight(row, words):
    return mark_words(row.search_title_text or "", words)


def excerpt(source, words, size=EXCERPT_WORDS):
    """Around the first word found (or from the start): about `size` words, highlighted."""
    text = markdown_to_line(source)
    spans = list(WORD.finditer(text))
    if not spans:
        return mark_safe("")
    first = next((i for i, match in enumerate(spans) if _matches(match.group(), words)), 0)
    start = max(first - size // 3, 0)
    end = min(start + size, len(spans))
    begin = spans[start].start() if start else 0
    finish = len(text) if end == len(spans) else spans[end - 1].end()
    body = mark_words(text[begin:finish], words)
    prefix = "… " if begin else ""
    suffix = " …" if finish < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308
