"""Addresses made of one slug (a chantier, a meeting, a document), without reverse() each time.

A list of twenty meetings asks for fifty such addresses; reverse() looks the pattern up and
checks the argument against it every time. Here each pattern is reversed once (per script
prefix and URLconf), around a placeholder, and the slug is put in its place. A slug with
anything but ASCII letters, digits, « - » and « _ » (which reverse() would quote or refuse)
still goes through reverse().
"""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
_PLACEHOLDER = "slug-placeholder-7f3a"


@lru_cache(maxsize=128)
def _around(name, script_prefix, urlconf):
    before, found, after = reverse(name, urlconf=urlconf, args=[_PLACEHOLDER]).partition(
        _PLACEHOLDER
    )
    assert found and _PLACEHOLDER not in after, name
    return before, after


def slug_url(name, slug):
    """reverse(name, args=[slug]), faster."""
    if not PLAIN_SLUG.match(slug):
        return reverse(name, args=[slug])
    before, after = _around(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{before}{slug}{after}"
