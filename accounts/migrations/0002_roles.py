"""The groups `Équipe projet`, `Élus` and `Administration` with their permissions."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from accounts.roles import sync_groups

    using = schema_editor.connection.alias
    # Permissions are normally created after the last migration (post_migrate):
    # create them now, from the models as they are at this point of the history.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    sync_groups(apps=apps, using=using)


def remove_roles(apps, schema_editor):
    from accounts.roles import ADMINISTRATION, ELUS, TEAM

    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(
        name__in=[TEAM, ELUS, ADMINISTRATION]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("chantiers", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
