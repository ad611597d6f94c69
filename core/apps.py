from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    """The floor under every app: its one model is the content version (core.cache)."""

    name = "core"
    verbose_name = "Socle du portail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.search import register_sqlite_functions

        # SQLite has no unaccent: the site search folds texts with a function of ours.
        connection_created.connect(register_sqlite_functions, dispatch_uid="portal_fold")
