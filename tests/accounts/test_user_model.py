import pytest
from django.contrib.auth import authenticate, get_user_model

pytestmark = pytest.mark.django_db


def test_login_is_the_email_address():
    User = get_user_model()
    assert User.USERNAME_FIELD == "email"
    user = User.objects.create_user(email="Elue@Example.org", password="mot-de-passe-solide")
    assert user.email == "elue@example.org"
    assert not user.is_staff
    assert authenticate(email="ELUE@example.org", password="mot-de-passe-solide") == user
    assert authenticate(email="elue@example.org", password="faux") is None


def test_superuser():
    User = get_user_model()
    admin = User.objects.create_superuser(email="admin@example.org", password="mot-de-passe-solide")
    assert admin.is_staff and admin.is_superuser


def test_user_model_is_in_the_first_migration():
    from django.db.migrations.loader import MigrationLoader

    from accounts.migrations import __path__ as migrations_path  # noqa: F401

    loader = MigrationLoader(None, ignore_no_migrations=True)
    first = loader.get_migration("accounts", "0001_initial")
    created = [op.name for op in first.operations if op.__class__.__name__ == "CreateModel"]
    assert "User" in created
