"""The worker killed outright (SIGKILL: the OOM killer, systemd after TimeoutStopSec, a
second Ctrl+C) in the middle of 300 emails to a real SMTP server, then started again:
every recipient gets the email, none gets two different messages, and nothing but the
new worker's start is needed (no timer, no command, no one in the admin)."""

import signal
import time
from collections import defaultdict

import pytest

from core import outbox
from tests.core.worker_processes import start_worker, wait_until, worker_environment

pytestmark = pytest.mark.django_db(transaction=True)

RECIPIENTS = [f"p{index:03}@example.org" for index in range(300)]
SITE = "https://projet.example.fr"


def test_a_worker_killed_mid_send_is_carried_on_by_the_next_and_none_is_sent_twice(
    shared_database, smtp_sink, settings
):
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": SITE}
    sink, port = smtp_sink
    # The 120th email reaches the server; the worker is killed before it hears back.
    sink.hold_at = 120
    outbox.queue(
        outbox.Email(
            recipient=address, key="nouvelle:1", kind="essai", subject="Du nouveau", text="Bonjour"
        )
        for address in RECIPIENTS
    )
    outbox.deliver_outbox.enqueue()
    shared_database.share()
    # EMAIL_TIMEOUT sizes the lease (3 s here): a dead worker's email waits that long.
    environment = worker_environment(
        shared_database, port, DJANGO_EMAIL_TIMEOUT="1", PORTAL_SITE_URL=SITE
    )
    started = time.monotonic()
    first = start_worker(environment)
    try:
        assert sink.reached.wait(60), first.communicate(timeout=5)[0] if first.poll() else ""
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        sink.release.set()
        killed_at = time.monotonic()
        assert shared_database.outbox().get("envoi") == 1  # the email on the wire
        assert shared_database.tasks().get("RUNNING") == 1  # what django-tasks-db leaves

        second = start_worker(environment)
        try:
            done = wait_until(
                lambda: (
                    len(sink.recipients()) == len(RECIPIENTS)
                    and shared_database.outbox() == {"envoye": len(RECIPIENTS)}
                    and "RUNNING" not in shared_database.tasks()
                ),
                timeout=40,
                step=0.25,
            )
            finished_at = time.monotonic()
        finally:
            second.send_signal(signal.SIGTERM)
            output = second.communicate(timeout=30)[0]
        assert done, (shared_database.outbox(), shared_database.tasks(), output[-2000:])
    finally:
        sink.release.set()
        if first.poll() is None:
            first.kill()

    messages = defaultdict(list)
    for recipient, message_id in sink.received:
        messages[recipient].append(message_id)
    assert sorted(messages) == RECIPIENTS
    # One message per recipient: the email the dead worker had on the wire went again,
    # under the same Message-ID, which mail clients show once.
    assert all(len(set(ids)) == 1 for ids in messages.values())
    held = sink.received[119][0]
    assert len(messages[held]) == 2
    assert sum(len(ids) for ids in messages.values()) == len(RECIPIENTS) + 1
    assert all(ids[0].endswith("@projet.example.fr>") for ids in messages.values())
    print(
        f"\n300 courriels, worker tué au 120e : tout est parti "
        f"{finished_at - killed_at:.1f} s après (test : {finished_at - started:.1f} s)"
    )
