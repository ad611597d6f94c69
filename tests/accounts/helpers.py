"""Accounts for tests, in the groups the data migration creates."""

import pytest
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from accounts import roles
from tests.factories import UserFactory

PASSWORD = "mot-de-passe-solide"


def make_account(role=None, **kwargs):
    """An account with PASSWORD, in the group of `role` ("equipe", "elu", "admin") if given."""
    if role:
        group_name, is_staff = roles.ROLES[role]
        kwargs.setdefault("is_staff", is_staff)
    user = UserFactory(password=PASSWORD, **kwargs)
    if role:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def public_pages_exist():
    """Whether the public chantiers pages (issue 3) are routed in this checkout."""
    try:
        reverse("chantiers:meeting_detail", args=["x"])
        reverse("chantiers:chantier_detail", args=["x"])
        reverse("chantiers:agenda")
    except NoReverseMatch:
        return False
    return True


# Tests that need the public chantiers pages of issue 3 (/agenda/, /chantiers/<slug>/):
# skipped, saying so, until those pages are merged.
requires_public_pages = pytest.mark.skipif(
    not public_pages_exist(),
    reason="needs the public chantiers pages of issue 3 (chantiers:agenda, chantier_detail, "
    "meeting_detail), not merged yet",
)
