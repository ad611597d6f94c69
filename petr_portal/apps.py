from django.apps import AppConfig
from django.db.backends.signals import connection_created

# The apps whose rows the public pages show: any change to them makes the cached pages
# stale (core.cache). petr_portal is site-wide, so it may name every app.
CONTENT_APPS = ("chantiers", "diagnostic")
# Models of those apps that no public page shows ("app_label.ModelName"): saving one must
# not empty the page cache (for instance a form sent by visitors).
# Join requests are never shown; registrations are (remaining seats), so they stay watched.
NOT_PUBLIC_MODELS = ("chantiers.JoinRequest", "chantiers.JoinRequest_chantiers")


class PetrPortalConfig(AppConfig):
    name = "petr_portal"
    verbose_name = "Portail"

    def ready(self):
        from core.search import register_sqlite_functions

        # SQLite has no unaccent: the site search folds texts with a function of ours.
        connection_created.connect(register_sqlite_functions, dispatch_uid="portal_fold")

        from core.cache import watch_content_models

        watch_content_models(CONTENT_APPS, exclude=NOT_PUBLIC_MODELS)
