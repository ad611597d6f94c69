from django.apps import AppConfig


class AccessibiliteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accessibilite"
    verbose_name = "Accessibilité (RGAA)"
