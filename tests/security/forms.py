"""Property-based tests for any POST form of the site, read from the page itself.

    from tests.security.forms import assert_form_survives_random_input
    assert_form_survives_random_input("/nous-rejoindre/", max_examples=40)

The helper fetches the page, finds its POST form(s) (fields, select options, the CSRF
token), and sends hypothesis-made data: valid choices, arbitrary and odd unicode text,
huge values, missing and unknown fields. Every answer must be sane (tests/security/
checks.py: no 500, clean headers, French pages), and an answer that is not a success
redirect must leave the database exactly as it was: bad input changes nothing.
`success_statuses` names what counts as a success (302 by default, after which the form
may have saved something).
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.checks import assert_sane
from tests.security.conftest import database_fingerprint

ODD = ["\u202e", "\u200f", "e\u0301\u0301", "\x00", "\ufeff", "１２", "\U0001f600", "<b>x</b>"]


@dataclass
class PostForm:
    action: str
    fields: dict = field(default_factory=dict)  # name → list of options (None: free text)
    hidden: dict = field(default_factory=dict)  # name → value (the CSRF token among them)


class _FormParser(HTMLParser):
    def __init__(self, page_url):
        super().__init__()
        self.page_url, self.forms, self._form, self._select = page_url, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = PostForm(urljoin(self.page_url, attrs.get("action") or self.page_url))
            self.forms.append(self._form)
        if self._form is None or not attrs.get("name") and tag != "option":
            return
        name = attrs.get("name")
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind == "hidden":
                self._form.hidden[name] = attrs.get("value") or ""
            elif kind in ("checkbox", "radio"):
                self._form.fields.setdefault(name, []).append(attrs.get("value") or "on")
            elif kind not in ("submit", "button", "reset", "image", "file"):
                self._form.fields[name] = None
        elif tag == "textarea":
            self._form.fields[name] = None
        elif tag == "select":
            self._select = name
            self._form.fields[name] = []
        elif tag == "option" and self._select:
            self._form.fields[self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def post_forms(html, page_url):
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms


_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80)
_value_for_free_text = st.one_of(
    _text,
    st.sampled_from(ODD),
    st.just(""),
    st.emails(),
    st.text(max_size=3).map(lambda s: s * 40_000),  # up to 120,000 characters
)


def form_data(form):
    """A strategy of POST data for this form: each field present or not, valid or not."""
    per_field = {}
    for name, options in form.fields.items():
        choices = st.sampled_from(options) if options else st.nothing()
        value = st.one_of(choices, _value_for_free_text) if options else _value_for_free_text
        per_field[name] = st.one_of(st.none(), value, st.lists(value, max_size=3))
    extra = st.dictionaries(_text.filter(bool), _text, max_size=3)
    return st.tuples(st.fixed_dictionaries(per_field), extra).map(_merge)


def _merge(parts):
    data, extra = parts
    merged = dict(extra)
    merged.update({k: v for k, v in data.items() if v is not None})
    return merged


def assert_form_survives_random_input(
    page_url, *, max_examples=30, success_statuses=(302,), client_factory=Client, index=0
):
    """Fuzz the index-th POST form of page_url (see the module docstring)."""
    client = client_factory(enforce_csrf_checks=True)
    response = client.get(page_url)
    assert response.status_code == 200, f"{page_url} : {response.status_code}"
    forms = post_forms(response.content.decode(), page_url)
    assert len(forms) > index, f"{page_url} : pas de formulaire POST n° {index}"
    form = forms[index]

    @settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=form_data(form))
    def check(data):
        # A fresh page each time: a success may have signed in or changed the token.
        fresh = client_factory(enforce_csrf_checks=True)
        page = fresh.get(page_url)
        token_form = post_forms(page.content.decode(), page_url)[index]
        before = database_fingerprint()
        answer = fresh.post(form.action, {**data, **token_form.hidden})
        assert_sane(answer, form.action)
        assert answer.status_code != 403, "jeton CSRF refusé alors qu'il était joint"
        if answer.status_code not in success_statuses:
            assert database_fingerprint() == before, f"{form.action} : données changées"

    check()
    return form
