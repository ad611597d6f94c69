"""The three roles of the portal, as Django groups (DESIGN.md, « Roles »).

The groups are created by the data migration 0002_roles, and kept in step after every
`migrate` (post_migrate, see apps.py) so that models added later by the portal's apps
give their permissions to `Administration` without a new migration.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

from core.roles import ADMINISTRATION, ELUS, TEAM

# Role chosen on the command line (create_account --role) → group and staff flag.
ROLES = {
    "equipe": (TEAM, True),
    "elu": (ELUS, False),
    "admin": (ADMINISTRATION, True),
}

# The apps whose every permission goes to `Administration`; `auth` for the groups,
# `axes` to lift a lockout; `core` for the send log and
# its addresses.
PORTAL_APPS = (
    "core",
    "accounts",
    "chantiers",
    "diagnostic",
    "accessibilite",
    "petr_portal",
    "auth",
    "axes",
)

TEAM_PERMISSIONS = (
    "chantiers.view_chantier",
    "chantiers.view_actor",
    "chantiers.add_session",
    "chantiers.change_session",
    "chantiers.view_session",
    "chantiers.add_intersession",
    "chantiers.change_intersession",
    "chantiers.view_intersession",
    "chantiers.add_meetingattachment",
    "chantiers.change_meetingattachment",
    "chantiers.view_meetingattachment",
    "chantiers.add_ecosystemmembership",
    "chantiers.change_ecosystemmembership",
    "chantiers.view_ecosystemmembership",
    # Participation: the team follows join requests and sees who registered (issue 6).
    "chantiers.view_joinrequest",
    "chantiers.change_joinrequest",
    "chantiers.view_registration",
    "chantiers.change_registration",
    # Where each chantier stands: actions and their journal, kept by the team; deleting an
    # action stays with Administration (its journal goes with it).
    "chantiers.add_action",
    "chantiers.change_action",
    "chantiers.view_action",
    "chantiers.add_pointetape",
    "chantiers.change_pointetape",
    "chantiers.view_pointetape",
    # The send log without addresses: core.roles.SEE_ADDRESSES stays Administration's.
    "core.view_outboxemail",
    # The team audits the site against the RGAA: audits, their sample and grid, the
    # schéma and plans; it answers the accessibility reports. Deleting an audit stays with
    # Administration.
    "accessibilite.add_audit",
    "accessibilite.change_audit",
    "accessibilite.view_audit",
    "accessibilite.add_samplepage",
    "accessibilite.change_samplepage",
    "accessibilite.delete_samplepage",
    "accessibilite.view_samplepage",
    "accessibilite.add_auditenvironment",
    "accessibilite.change_auditenvironment",
    "accessibilite.delete_auditenvironment",
    "accessibilite.view_auditenvironment",
    "accessibilite.view_rgaaversion",
    "accessibilite.add_accessibilityplan",
    "accessibilite.change_accessibilityplan",
    "accessibilite.view_accessibilityplan",
    "accessibilite.view_accessibilityreport",
    "accessibilite.change_accessibilityreport",
)

# Élus have no permission: being in their group opens the reserved documents
# (core.roles.is_elu).


def _permissions(permissions, labels):
    """Primary keys of the permissions named "app_label.codename" that exist."""
    wanted = {tuple(label.split(".", 1)) for label in labels}
    app_labels = {app for app, _ in wanted}
    candidates = permissions.filter(content_type__app_label__in=app_labels).values_list(
        "pk", "content_type__app_label", "codename"
    )
    return [pk for pk, app, codename in candidates if (app, codename) in wanted]


def sync_groups(apps=global_apps, using=DEFAULT_DB_ALIAS):
    """Create the three groups and give them at least their permissions (never removes any)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    groups = {
        name: Group.objects.using(using).get_or_create(name=name)[0]
        for name in (TEAM, ELUS, ADMINISTRATION)
    }
    permissions = Permission.objects.using(using)
    groups[TEAM].permissions.add(*_permissions(permissions, TEAM_PERMISSIONS))
    groups[ADMINISTRATION].permissions.add(
        *permissions.filter(content_type__app_label__in=PORTAL_APPS).values_list("pk", flat=True)
    )
    return groups
