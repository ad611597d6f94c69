from django.apps import AppConfig


class ChantiersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "chantiers"
    verbose_name = "Démarche et chantiers"

    def ready(self):
        from chantiers.history import relay_proxy_history

        relay_proxy_history()

        # What this app hands to the engines in core: its search kinds and its open-data
        # datasets register themselves when their module is imported.
        from chantiers import datasets, search  # noqa: F401
