"""The portal's roles are Django groups: their names, and whether a user has one.

Every floor may ask « is this user an élu? » here; accounts/roles.py creates the groups
and gives them their permissions.
"""

TEAM = "Équipe projet"
ELUS = "Élus"
ADMINISTRATION = "Administration"

# Reading the addresses of followers and registrants where the team's admin shows emails
# (the send log: its addresses, texts and the mail server's answers, which quote them).
# Administration holds it, the team does not: /confidentialite/ says so.
SEE_ADDRESSES = "core.view_recipient"


def group_names(user):
    """The names of the user's groups, read once per user object (views and templates
    ask more than once)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    names = getattr(user, "_portal_group_names", None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        user._portal_group_names = names
    return names


def is_elu(user):
    """An active account in the `Élus` group."""
    return user is not None and user.is_active and ELUS in group_names(user)
