"""Real worker processes (`manage.py db_worker`) on a database the test sees too, and a
real SMTP server that records each delivery with its Message-ID and can hold one on the
wire (so that the test knows the worker is in the middle of sending).

The database: on PostgreSQL, the test database itself (the test is transactional, so
what it writes is committed and the workers see it); on SQLite, whose test database
lives in memory, a copy of it in a file (sqlite3's backup), which the workers and the
test then share.
"""

import email
import email.policy
import os
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django_tasks_db.models import DBTaskResult

from core.models import OutboxEmail
from tests.smtp import free_port


class RecordingSink:
    """Each message received: (recipient, Message-ID). The hold_at-th one waits until
    the test lets it go: it has reached the server, the worker has no answer yet."""

    def __init__(self, hold_at=None):
        self.received = []
        self.hold_at = hold_at
        self.reached = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append((envelope.rcpt_tos[0], str(message["Message-ID"])))
            count = len(self.received)
        if count == self.hold_at:
            self.reached.set()
            # aiosmtpd runs handlers in its own thread's event loop: a blocking wait holds
            # this SMTP session only.
            self.release.wait(30)
        return "250 2.0.0 Reçu"

    def recipients(self):
        with self.lock:
            return {recipient for recipient, _ in self.received}


@pytest.fixture
def smtp_sink():
    """Start a RecordingSink on 127.0.0.1: (sink, port). Set sink.hold_at before use."""
    sink = RecordingSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    sink.release.set()
    controller.stop()


class SharedDatabase:
    """The database the test and its workers share (see the module docstring)."""

    def __init__(self, tmp_path):
        self.file = None
        if connection.vendor == "sqlite":
            self.file = tmp_path / "worker.sqlite3"
            self.url = f"sqlite:///{self.file}"
        else:
            params = connection.settings_dict
            auth = quote(params["USER"]) + (
                f":{quote(params['PASSWORD'])}" if params["PASSWORD"] else ""
            )
            host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
            self.url = f"postgres://{auth}@{host}/{params['NAME']}"

    def share(self):
        """Make what the test wrote visible to the workers (a copy, on SQLite)."""
        if self.file is not None:
            connection.ensure_connection()
            with closing(sqlite3.connect(self.file)) as target:
                connection.connection.backup(target)

    def counts(self, model):
        """{status: rows} of a model's table, as the workers left it."""
        return self.counts_of(model, "status")

    def counts_of(self, model, field):
        """{value of `field`: rows} of a model's table."""
        if self.file is None:
            return dict(model.objects.order_by().values_list(field).annotate(n=Count("pk")))
        sql = f"SELECT {field}, COUNT(*) FROM {model._meta.db_table} GROUP BY {field}"
        with closing(sqlite3.connect(self.file, timeout=10)) as database:
            return dict(database.execute(sql).fetchall())

    def outbox(self):
        return self.counts(OutboxEmail)

    def tasks(self):
        return self.counts(DBTaskResult)


@pytest.fixture
def shared_database(tmp_path):
    return SharedDatabase(tmp_path)


def worker_environment(database, smtp_port, **extra):
    """A production-like environment for manage.py, on the shared database and the sink."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "PORTAL_"))
    }
    environment.update(
        {
            "DATABASE_URL": database.url,
            "DJANGO_SETTINGS_MODULE": "petr_portal.settings",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DJANGO_EMAIL_HOST": "127.0.0.1",
            "DJANGO_EMAIL_PORT": str(smtp_port),
            **extra,
        }
    )
    return environment


def start_worker(environment, *arguments):
    """`manage.py db_worker` in a process of its own (no reloader, no startup delay)."""
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--interval",
            "0.2",
            "--no-reload",
            "--no-startup-delay",
            *arguments,
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until(condition, timeout, step=0.1):
    """True as soon as condition() is; False after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()
