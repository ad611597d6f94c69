"""The worker's part in the report's tests: run what the task queue holds, as
`manage.py db_worker --batch` does (the same Worker), in the test's process and database."""

from unittest import mock

from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

BUILD_TASK = "diagnostic.report.builds.build_report_pdf"


def run_worker():
    """Run every task due, then return. No signal handler is installed (pytest keeps its
    own), and the connection is left open: it holds the test's transaction, which the
    worker's check for stale connections would close on PostgreSQL."""
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()


def queued_builds():
    return DBTaskResult.objects.filter(task_path=BUILD_TASK).count()
