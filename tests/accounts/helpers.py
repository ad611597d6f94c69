"""Accounts for tests, in the groups the data migration creates."""

from django.contrib.auth.models import Group

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
