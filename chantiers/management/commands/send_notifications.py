"""Queue what is sent on a schedule, then wake the worker: reminders before meetings, and
on Monday morning (Europe/Paris) the followers' weekly digests. It also takes back what a
dead worker held, as every worker does on its own (core.worker): with a task queue other
than the database's, this timer is what does it.

Run it every quarter of an hour (systemd timer or cron, docs/deploiement.md). Running it
more often, or twice, sends nothing twice: each reminder and each week's digest has its
own key in the outbox.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from chantiers import following, services
from core import worker

# Digests leave from this hour on Monday (Europe/Paris), not in the night.
DIGEST_HOUR = 7


class Command(BaseCommand):
    help = (
        "Met dans la boîte d'envoi les rappels avant les réunions et, le lundi matin, les "
        "lettres hebdomadaires des abonnés ; puis réveille le worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--lettre",
            action="store_true",
            help="Préparer la lettre de la semaine maintenant, même si l'on n'est pas lundi.",
        )

    def handle(self, *args, lettre=False, **options):
        now = timezone.now()
        local = timezone.localtime(now)
        reminders = services.queue_reminders(now=now)
        self.stdout.write(f"Rappels avant les réunions : {reminders}")
        if lettre or (local.weekday() == 0 and local.hour >= DIGEST_HOUR):
            digests = following.queue_weekly_digests(now=now)
            self.stdout.write(f"Lettres hebdomadaires : {digests}")
        # Also what waits for a retry, was queued while the task queue was down, or was
        # held by a worker that died.
        emails, tasks = worker.take_back()
        self.stdout.write(f"Repris à un worker arrêté : {emails} courriel(s), {tasks} tâche(s)")
        self.stdout.write(self.style.SUCCESS("Worker réveillé."))
