"""`Équipe projet` keeps the chantiers' actions and their points d'étape up to date
(add, change, view; no deletion of actions), `Administration` gets every permission."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations


def sync_roles(apps, schema_editor):
    from accounts.roles import sync_groups

    using = schema_editor.connection.alias
    # The new models' permissions exist only after the last migration (post_migrate):
    # create them now, as 0002_roles does.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    sync_groups(apps=apps, using=using)


def remove_progress_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    team = Group.objects.using(schema_editor.connection.alias).filter(name="Équipe projet").first()
    if team is None:
        return
    team.permissions.remove(
        *Permission.objects.filter(
            content_type__app_label="chantiers",
            codename__in=[
                "add_action",
                "change_action",
                "view_action",
                "add_pointetape",
                "change_pointetape",
                "view_pointetape",
            ],
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("chantiers", "0006_actions_and_points_etape"),
        ("diagnostic", "0004_documents_and_indicators_of_actions"),
    ]

    operations = [migrations.RunPython(sync_roles, remove_progress_permissions)]
