from tests.core.worker_processes import shared_database, smtp_sink  # noqa: F401
