"""What the worker (`manage.py db_worker`) does besides running tasks: on start, and then
every little while, it takes back what a dead worker held.

django-tasks-db leaves a task « running » when its worker is killed outright (SIGKILL, the
OOM killer, systemd's SIGKILL after TimeoutStopSec, a second Ctrl+C), and nothing would
run it again; the emails that worker held would stay « envoi ». So each worker, and
`send_notifications` on its timer:
- puts back in the queue the emails held past their lease (core.outbox.take_back);
- runs again the tasks left running for longer than a task can run (twice the lease:
  a delivery task stops taking emails after one lease, and one email takes at most one);
- makes sure a delivery task is waiting whenever an email is due, so that nothing waits
  for a timer or a person.

A task of the portal may run twice: deliver_outbox only sends what the outbox says is
due, and each email is taken by one worker at a time.
"""

import logging
import threading
from datetime import timedelta

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import outbox
from core.models import OutboxEmail

logger = logging.getLogger(__name__)

# How long finished task results stay in the table (their return values: counts).
TASK_RESULTS_KEPT = timedelta(days=1)


def task_lease():
    return 2 * outbox.sending_lease()


def take_back(*, now=None):
    """Take back what dead workers held; wake a delivery task if emails are due and none
    waits. Returns (emails, tasks) taken back."""
    now = now or timezone.now()
    emails = outbox.take_back(now=now)
    tasks = (
        DBTaskResult.objects.running()
        .filter(started_at__lt=now - task_lease())
        .update(status=TaskResultStatus.READY)
    )
    waiting_task = DBTaskResult.objects.ready().filter(task_path=outbox.deliver_outbox.module_path)
    if OutboxEmail.objects.due(now).exists() and not waiting_task.exists():
        outbox.deliver_outbox.enqueue()
    if emails or tasks:
        logger.warning("Repris à un worker arrêté : %d courriel(s), %d tâche(s)", emails, tasks)
    return emails, tasks


def watch_period():
    """How often a running worker looks: a third of the lease, so that an email held by
    a dead worker waits little more than the lease."""
    return max(1.0, outbox.sending_lease().total_seconds() / 3)


def keep_taking_back(stop=None):
    """The worker's watch, in a thread of its own (its own database connection), until
    `stop` is set: the worker's main loop only wakes for tasks."""
    stop = stop or threading.Event()
    while not stop.wait(watch_period()):
        try:
            take_back()
        except DatabaseError:
            logger.warning("Reprise des envois : base de données indisponible", exc_info=True)
        finally:
            close_old_connections()
    connection.close()


def start_watch():
    """take_back() now, then keep_taking_back() in a daemon thread (it ends with the
    worker). Returns the event that stops it."""
    take_back()
    stop = threading.Event()
    threading.Thread(
        target=keep_taking_back, args=(stop,), name="outbox-watch", daemon=True
    ).start()
    return stop


def prune_task_results(*, now=None):
    """Delete finished task results older than TASK_RESULTS_KEPT. Returns how many."""
    before = (now or timezone.now()) - TASK_RESULTS_KEPT
    return DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()[0]
