from django.apps import AppConfig


class PetrPortalConfig(AppConfig):
    name = "petr_portal"
    verbose_name = "Portail"
