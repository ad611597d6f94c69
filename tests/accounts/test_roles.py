"""The three groups of DESIGN.md and their permissions, created by the data migration."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts import roles

pytestmark = pytest.mark.django_db


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_the_three_groups_exist_with_their_exact_names():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Équipe projet", "Élus", "Administration"} <= names


def test_team_may_keep_meetings_and_ecosystems_up_to_date():
    team = codenames(roles.TEAM)
    for model in ("session", "intersession", "meetingattachment", "ecosystemmembership"):
        for action in ("add", "change", "view"):
            assert f"chantiers.{action}_{model}" in team
    assert {"chantiers.view_chantier", "chantiers.view_actor"} <= team


def test_team_may_not_delete_chantiers_nor_manage_users():
    team = codenames(roles.TEAM)
    assert not {perm for perm in team if perm.startswith("chantiers.delete_")}
    assert "chantiers.change_chantier" not in team
    assert "chantiers.add_chantier" not in team
    assert not {perm for perm in team if perm.startswith(("accounts.", "auth."))}


def test_elus_have_no_admin_permission():
    assert not {perm for perm in codenames(roles.ELUS) if perm.startswith("chantiers.")}


def test_administration_has_every_permission_of_the_portal_and_user_management():
    administration = codenames(roles.ADMINISTRATION)
    portal = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(
            content_type__app_label__in=["accounts", "chantiers", "diagnostic"]
        ).values_list("content_type__app_label", "codename")
    }
    assert portal <= administration
    assert {"accounts.add_user", "accounts.change_user", "auth.change_group"} <= administration
    assert "chantiers.delete_chantier" in administration


def test_sync_groups_is_idempotent_and_keeps_added_permissions():
    extra = Permission.objects.get(codename="delete_meetingattachment")
    Group.objects.get(name=roles.TEAM).permissions.add(extra)
    roles.sync_groups()
    roles.sync_groups()
    assert Group.objects.filter(name=roles.TEAM).count() == 1
    assert "chantiers.delete_meetingattachment" in codenames(roles.TEAM)


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_creates_the_groups_on_its_own():
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0001_initial")])
    assert not Group.objects.filter(name__in=[roles.TEAM, roles.ELUS]).exists()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert "chantiers.add_intersession" in codenames(roles.TEAM)
    assert "accounts.change_user" in codenames(roles.ADMINISTRATION)
