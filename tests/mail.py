"""The worker's part in tests: send what the outbox holds, as `manage.py db_worker` would,
in the test's process (with the test's email backend: locmem, or a real SMTP server)."""

from core.outbox import deliver_pending


def deliver(now=None):
    """Send every due email; returns the DeliveryReport."""
    return deliver_pending(limit=100_000, now=now)
