"""The public forms' rate limit holds across processes without Redis: two processes (as
two gunicorn workers are) posting from one address share one count, in the database."""

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings

from core.models import FormPostCount
from tests.core.worker_processes import worker_environment

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_processes_share_one_count(shared_database):
    shared_database.share()
    environment = worker_environment(shared_database, 25, PORTAL_FORM_RATE_LIMIT="10")

    def post_six_times(_):
        done = subprocess.run(
            [sys.executable, "-m", "tests.core.post_forms", "6"],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(post_six_times, range(2))
    statuses = first + second
    # Ten posts counted and refused by the honeypot (400), then « too many » (429):
    # per process, each would have let its six through.
    assert sorted(statuses) == [400] * 10 + [429] * 2
    assert shared_database.counts_of(FormPostCount, "posts") == {12: 1}


def test_the_count_is_one_row_per_form_and_address_and_window(client, settings):
    settings.PORTAL_FORM_RATE_LIMIT = 2
    for address in ("203.0.113.1", "203.0.113.1", "203.0.113.1", "198.51.100.2"):
        client.post("/suivre/", {"site_internet": "x"}, REMOTE_ADDR=address)
    assert sorted(FormPostCount.objects.values_list("posts", flat=True)) == [1, 3]
    # Only a keyed hash of the address is kept.
    assert all("203.0.113" not in row.client for row in FormPostCount.objects.all())
    # A new window deletes the rows of the windows over.
    FormPostCount.objects.update(period=0)
    client.post("/suivre/", {"site_internet": "x"}, REMOTE_ADDR="192.0.2.3")
    assert list(FormPostCount.objects.values_list("posts", flat=True)) == [1]
