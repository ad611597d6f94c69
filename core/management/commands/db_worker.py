"""`manage.py db_worker`: django-tasks-db's worker, which on start, and then every third
of a lease, takes back what a dead worker held (core.worker). The one command to run:
started again after a crash, it carries on where the dead one stopped.

It overrides django-tasks-db's command of the same name (`core` comes before
`django_tasks_db` in INSTALLED_APPS) and keeps its options.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from core import worker


class Command(db_worker.Command):
    help = (
        "Lance le worker qui exécute les tâches de fond (l'envoi des courriels) ; au "
        "démarrage puis régulièrement, il reprend ce qu'un worker arrêté net avait laissé."
    )

    def handle(self, *args, **options):
        # With --reload, the process that watches the files runs no task: only the child
        # it starts (DJANGO_AUTORELOAD_ENV set) watches the outbox.
        if not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            worker.start_watch()
        super().handle(*args, **options)
