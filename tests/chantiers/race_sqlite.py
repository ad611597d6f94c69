"""Run by test_participation_services in a subprocess: the race for the last seat on a
real SQLite file (the test database is SQLite in memory, whose shared-cache locking is
not what a server sees). Prints the outcome as JSON.

    DATABASE_URL=sqlite:////tmp/x.db python -m tests.chantiers.race_sqlite
"""

import json
import os
import threading

import django


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "petr_portal.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from chantiers import services
    from chantiers.models import Registration, RegistrationQuerySet
    from tests.chantiers.factories import OpenIntersessionFactory, RegistrationFactory

    call_command("migrate", verbosity=0)
    meeting = OpenIntersessionFactory(capacity=3)
    RegistrationFactory.create_batch(2, meeting=meeting)
    connection.close()

    original_count = RegistrationQuerySet.count

    def slow_count(queryset):
        count = original_count(queryset)
        threading.Event().wait(0.3)  # both would count the same free seat without the lock
        return count

    RegistrationQuerySet.count = slow_count
    people = ["anne@example.org", "bruno@example.org"]
    barrier = threading.Barrier(len(people))
    outcome = {}

    def attempt(email):
        try:
            barrier.wait(timeout=10)
            result = services.register(
                meeting.pk, name=email, email=email, absolute_url=lambda p: "http://x" + p
            )
            outcome[email] = "attente" if result.waiting else "inscrit"
        except services.RegistrationRefused as refused:
            outcome[email] = str(refused.state)
        except Exception as error:
            outcome[email] = f"erreur: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(email,)) for email in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    RegistrationQuerySet.count = original_count
    outcome["seated"] = Registration.objects.seated().filter(meeting=meeting).count()
    outcome["transaction_mode"] = connection.settings_dict["OPTIONS"].get("transaction_mode")
    print(json.dumps(outcome))


if __name__ == "__main__":
    main()
