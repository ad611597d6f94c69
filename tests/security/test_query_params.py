"""Malformed, huge and odd query strings against every public URL: never a 500, never a
change in the database, and French pages."""

from html.parser import HTMLParser
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.checks import assert_sane
from tests.security.conftest import database_fingerprint
from tests.security.routes import KNOWN_PARAMS, public_urls

pytestmark = pytest.mark.django_db

HUGE = "a" * 100_000
ODD_TEXT = [
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u200e",  # RTL and LTR marks
    "e" + "\u0301" * 500,  # a letter under 500 combining accents
    "\u200b\ufeff",  # zero-width space, byte-order mark
    "１２",  # fullwidth digits (int() reads them)
    "٣",  # Arabic-Indic digit
    "\U0001f600",  # emoji, outside the BMP
    "Ω≈ç√∫",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
]
# Raw query strings, as a client may send them (percent-encodings kept as they are).
BAD_QUERIES = {
    "huge-value": lambda p: f"{p}={HUGE}",
    "huge-name": lambda p: f"{HUGE}=1",
    "repeated-keys": lambda p: "&".join(f"{p}=en_action" for _ in range(500)),
    "too-many-fields": lambda p: "&".join(f"{p}{n}=1" for n in range(1_500)),
    "nul-byte": lambda p: f"{p}=a%00b",
    "raw-nul": lambda p: f"{p}=a\x00b",
    "invalid-utf8": lambda p: f"{p}=%ff%fe%fd",
    "truncated-utf8": lambda p: f"{p}=%c3",
    "encoded-surrogate": lambda p: f"{p}=%ed%a0%80",
    "beyond-unicode": lambda p: f"{p}=%f4%90%80%80",
    "broken-percent": lambda p: f"{p}=%&%%=%zz&%G1",
    "no-value": lambda p: p,
    "only-separators": lambda p: "&&&==&;;",
    "crlf": lambda p: f"{p}=a%0d%0aSet-Cookie:%20x=1",
    "negative": lambda p: f"{p}=-1",
    "enormous-number": lambda p: f"{p}=" + "9" * 400,
    "float": lambda p: f"{p}=1e309",
    "nan": lambda p: f"{p}=nan",
    **{f"odd-{n}": lambda p, text=text: f"{p}={quote(text)}" for n, text in enumerate(ODD_TEXT)},
}


class GetForms(HTMLParser):
    """Names of the fields of the page's GET forms (its filters)."""

    def __init__(self):
        super().__init__()
        self.names, self._in_get_form = set(), False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif self._in_get_form and tag in ("input", "select", "textarea") and attrs.get("name"):
            self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def params_of(client, url):
    response = client.get(url)
    found = GetForms()
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        found.feed(response.content.decode("utf-8", "replace"))
    return sorted(set(KNOWN_PARAMS) | found.names)


@pytest.fixture
def targets(client, sample_content):
    return [(url, params_of(client, url)) for url in public_urls(sample_content).values()]


@pytest.mark.parametrize("kind", sorted(BAD_QUERIES))
def test_bad_query_strings_on_every_public_url(client, targets, kind, unchanged_database):
    """Every parameter a page reads gets the bad value at once, as a page and for htmx."""
    make = BAD_QUERIES[kind]
    with unchanged_database():
        for url, params in targets:
            if kind in ("too-many-fields", "huge-name", "only-separators"):
                query = make("x")  # the same query whatever the parameter
            else:
                query = "&".join(make(param) for param in params)
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(f"{url}?{query}", headers=headers)
                assert_sane(response, f"{url}?{kind}")


def test_too_many_fields_gets_the_french_400_page(client, sample_content):
    response = client.get("/chantiers/?" + BAD_QUERIES["too-many-fields"]("x"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'lang="fr"' in html and "Demande incorrecte" in html


def test_injected_markup_in_a_filter_is_escaped(client, sample_content):
    for url in ("/chantiers/", "/agenda/", "/documents/"):
        for param in ("etat", "type", "chantier", "periode", "page"):
            response = client.get(f"{url}?{param}={quote('<script>alert(1)</script>')}")
            assert b"<script>alert(1)" not in response.content


def test_crlf_never_reaches_a_header(client, sample_content):
    response = client.get(
        "/chantiers/?etat=a%0d%0aSet-Cookie:%20x=1", headers={"HX-Request": "true"}
    )
    assert "x" not in response.cookies
    assert_sane(response)


def test_huge_filter_values_are_not_kept_in_the_page_cache(client, sample_content, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    cache.clear()
    try:
        before = len(cache._cache)  # LocMemCache: the number of entries
        for n in range(5):
            client.get(f"/chantiers/?etat={n}{'a' * 1000}")
        assert len(cache._cache) <= before + 1  # the content version, at most
    finally:
        cache.clear()


# --- property-based: any query string on the list pages -------------------------------------

VALID_VALUES = [
    "en_action",
    "termine",
    "session",
    "intersession",
    "a-venir",
    "passees",
    "agriculture",
    "etude",
    "2024",
    "1",
    "2",
    "",
]
texts = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
values = st.one_of(
    st.sampled_from(VALID_VALUES),
    st.sampled_from(ODD_TEXT),
    texts,
    st.integers().map(str),
    st.text(max_size=4).map(lambda s: s * 3000),
)
pairs = st.lists(st.tuples(st.one_of(st.sampled_from(KNOWN_PARAMS), texts), values), max_size=6)
raw_bytes = st.lists(
    st.tuples(st.sampled_from(KNOWN_PARAMS), st.binary(max_size=40)), min_size=1, max_size=4
).map(lambda items: "&".join(f"{k}={quote_from_bytes(v)}" for k, v in items))
query_strings = st.one_of(pairs.map(urlencode), raw_bytes)

LIST_PAGES = [
    "/",
    "/chantiers/",
    "/chantiers/agriculture/",
    "/agenda/",
    "/documents/",
    "/diagnostic/",
]


@pytest.mark.parametrize("path", LIST_PAGES)
def test_any_query_string_on_a_list_page(client, sample_content, path):
    before = database_fingerprint()

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(query=query_strings, htmx=st.booleans())
    def check(query, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.get(f"{path}?{query}", headers=headers)
        assert_sane(response, f"{path}?{query[:200]}")
        assert response.status_code in (200, 400), query[:200]

    check()
    assert database_fingerprint() == before
