from django.apps import AppConfig


class DiagnosticConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "diagnostic"
    verbose_name = "Documents, diagnostic et indicateurs"

    def ready(self):
        # What this app hands to the engines in core: its search kinds and its open-data
        # datasets register themselves when their module is imported.
        from diagnostic import datasets, search  # noqa: F401
