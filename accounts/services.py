"""Writes on accounts that touch several models: the account, its group, its link."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import roles
from core.seo import site_address


class AccountExists(Exception):
    pass


@transaction.atomic
def create_account(email, role, full_name=""):
    """Create an account without a password, in the group of its role."""
    group_name, is_staff = roles.ROLES[role]
    User = get_user_model()
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountExists(email)
    user = User.objects.create_user(email=email, full_name=full_name, is_staff=is_staff)
    roles.sync_groups()
    user.groups.add(Group.objects.get(name=group_name))
    return user


def set_password_link(user, base_url=None):
    """A link that lets the owner of the account choose a password, once."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{base_url.rstrip('/')}{path}" if base_url else site_address(path)


def forget_expired_sign_in_failures(now=None, dry_run=False):
    """Delete the failed sign-ins (address typed, IP address, browser) older than the
    cool-off: they only serve to lock out repeated guesses (django-axes). Axes cleans them
    itself at the next sign-in attempt; the daily purge does it when none comes.
    Returns how many there were."""
    from axes.models import AccessAttempt

    threshold = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    expired = AccessAttempt.objects.filter(attempt_time__lte=threshold)
    return expired.count() if dry_run else expired.delete()[1].get(AccessAttempt._meta.label, 0)
