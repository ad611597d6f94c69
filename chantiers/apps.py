from django.apps import AppConfig


class ChantiersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "chantiers"
    verbose_name = "Démarche et chantiers"
