"""Run by the tests in a subprocess: the race for the last seat (test_participation_services)
or two cancellations promoting the waiting list at once (test_waiting_list, argument
« promotion »), on a real SQLite file (the test database is SQLite in memory, whose
shared-cache locking is not what a server sees). Prints the outcome as JSON.

    DATABASE_URL=sqlite:////tmp/x.db python -m tests.chantiers.race_sqlite [promotion|positions]
"""

import json
import os
import sys
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
    if sys.argv[1:] == ["promotion"]:
        promotion()
        return
    if sys.argv[1:] == ["positions"]:
        positions()
        return
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
            result = services.register(meeting.pk, name=email, email=email)
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


def promotion():
    """Both seated people cancel at once; two wait: each of these gets one seat."""
    from django.db import connection

    from chantiers import services
    from chantiers.models import Registration, RegistrationQuerySet, RegistrationStatus
    from tests.chantiers.factories import OpenIntersessionFactory, RegistrationFactory

    meeting = OpenIntersessionFactory(capacity=2)
    seated = RegistrationFactory.create_batch(2, meeting=meeting)
    for number in (1, 2):
        RegistrationFactory(
            meeting=meeting, name=f"Attente {number}", status=RegistrationStatus.WAITING
        )
    connection.close()
    original_count = RegistrationQuerySet.count

    def slow_count(queryset):
        count = original_count(queryset)
        threading.Event().wait(0.3)
        return count

    RegistrationQuerySet.count = slow_count
    barrier = threading.Barrier(2)
    errors = []

    def cancel(registration):
        try:
            barrier.wait(timeout=10)
            services.cancel_registration(registration)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in seated]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    RegistrationQuerySet.count = original_count
    statuses = dict(
        Registration.objects.active().filter(meeting=meeting).values_list("name", "status")
    )
    print(
        json.dumps(
            {
                "errors": errors,
                "statuses": statuses,
                "transaction_mode": connection.settings_dict["OPTIONS"].get("transaction_mode"),
            }
        )
    )


def positions():
    """Two people join the waiting list at once (test_waiting_list._positions_race)."""
    from django.db import connection

    from chantiers.models import RegistrationQuerySet
    from tests.chantiers.factories import OpenIntersessionFactory, RegistrationFactory
    from tests.chantiers.test_waiting_list import _positions_race

    meeting = OpenIntersessionFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    connection.close()
    original_count = RegistrationQuerySet.count
    errors, found = [], []
    try:
        found = _positions_race(meeting)
    except Exception as error:
        errors.append(repr(error))
    finally:
        RegistrationQuerySet.count = original_count
    print(
        json.dumps(
            {
                "errors": errors,
                "positions": found,
                "transaction_mode": connection.settings_dict["OPTIONS"].get("transaction_mode"),
            }
        )
    )


if __name__ == "__main__":
    main()
