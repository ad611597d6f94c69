"""Fixtures of the site-wide tests."""

import pytest
from django.core.cache import cache


@pytest.fixture
def page_cache(settings):
    """The page cache on (as in production), empty before and after the test."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield settings
    cache.clear()
