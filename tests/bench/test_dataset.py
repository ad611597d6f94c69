"""The benchmark's dataset loads, and the pages it measures stay within 11 queries (10, and
the footer's accessibility statement that every page reads)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import dataset
from bench.run import pages
from chantiers.models import Meeting, MeetingKind
from diagnostic.models import Document, Visibility

pytestmark = pytest.mark.django_db


def query_counts(client):
    counts = {}
    for name, path, headers in pages(all_pages=True):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, headers=headers)
        counts[name] = len(queries)
        assert response.status_code == 200, (path, response.status_code)
    return counts


def test_the_dataset_has_the_asked_shape():
    loaded = dataset.load(scale=0.005, with_files=False)
    assert loaded["chantiers"] == 1 and loaded["meetings"] == 100
    assert Meeting.objects.filter(kind=MeetingKind.SESSION).count() == 10
    assert Document.objects.filter(visibility=Visibility.RESERVED).count() == 2
    assert not Meeting.objects.filter(is_demo=False).exists()


def test_query_counts_stay_within_eleven_and_do_not_grow(client):
    dataset.load(scale=0.005, with_files=False)
    small = query_counts(client)
    # Five times the rows, under other slugs: the same pages cost the same queries.
    dataset.SLUG_PREFIX, prefix = "banc2-", dataset.SLUG_PREFIX
    try:
        dataset.load(scale=0.025, with_files=False)
    finally:
        dataset.SLUG_PREFIX = prefix
    large = query_counts(client)
    assert max(large.values()) <= 11, large
    assert large == small
