from django.apps import AppConfig
from django.db.backends.signals import connection_created


class PetrPortalConfig(AppConfig):
    name = "petr_portal"
    verbose_name = "Portail"

    def ready(self):
        from petr_portal.search import register_sqlite_functions

        # SQLite has no unaccent: the site search folds texts with a function of ours.
        connection_created.connect(register_sqlite_functions, dispatch_uid="portal_fold")
