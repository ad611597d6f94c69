"""What the race tests share: actions run at once, each from its own thread and database
connection (PostgreSQL), or a race run in a subprocess on a SQLite file."""

import json
import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.db import close_old_connections, connection

from chantiers.models import RegistrationQuerySet

# SQLite in memory (the test database by default) locks whole tables in shared-cache mode,
# unlike a server's SQLite file: there the race runs in a subprocess on a file.
needs_row_locks = pytest.mark.skipif(
    not connection.features.has_select_for_update,
    reason="threads on the in-memory SQLite test database; see the SQLite file test",
)


def at_once(actions, pause=0.3):
    """Each action's result, the actions run in their own threads (their own connections)
    and released together; counting registrations pauses, so that without the meeting's
    row lock every thread would count the same free seats."""
    barrier = threading.Barrier(len(actions))
    results, errors = [None] * len(actions), []

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            results[index] = action()
        except Exception as error:  # pragma: no cover - shown by the assertion below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    original_count = RegistrationQuerySet.count

    def slow_count(queryset):
        count = original_count(queryset)
        threading.Event().wait(pause)
        return count

    RegistrationQuerySet.count = slow_count
    try:
        threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        RegistrationQuerySet.count = original_count
    assert not errors, errors
    return results


def race_on_sqlite_file(tmp_path, *arguments):
    """What `tests.chantiers.race_sqlite` printed (JSON), run on a new SQLite file."""
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'course.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "petr_portal.settings",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.chantiers.race_sqlite", *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
