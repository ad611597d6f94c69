from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, using, **kwargs):
    """Keep the three groups and their permissions after every migrate (and test flush)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from accounts.roles import sync_groups

    # Apps after this one in INSTALLED_APPS get their permissions later in the same
    # post_migrate: create them now so that `Administration` gets them too.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_groups(using=using)


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="accounts.sync_roles")
