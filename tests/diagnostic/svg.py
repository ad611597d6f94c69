"""Read the inline SVG charts and the tables beside them out of a page."""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

SVG = "{http://www.w3.org/2000/svg}"


def svgs(html):
    """Every inline <svg> of the page's content, parsed as XML (it must be well formed).

    Only <main> is read: the header has icons of its own (the search button).
    """
    main = re.search(r"<main\b.*?</main>", html, flags=re.S)
    found = re.findall(r"<svg\b.*?</svg>", main.group() if main else html, flags=re.S)
    return [ET.fromstring(chunk.replace("&nbsp;", "\u00a0")) for chunk in found]


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self._row, self._cell, self._id = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._id = attrs.get("id") or f"table-{len(self.tables)}"
            self.tables[self._id] = []
        elif tag == "tr" and self._id:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            # Only ASCII white space collapses: no-break spaces are part of the format.
            self._row.append(re.sub(r"[ \t\r\n]+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._id].append(self._row)
            self._row = None
        elif tag == "table":
            self._id = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(html):
    """{table id: [[cell text, ...], ...]}, ASCII white space collapsed."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def percent(text):
    """« 20,8 % » -> 20.8"""
    return float(text.replace("\u00a0", " ").replace("%", "").replace(",", ".").strip())
