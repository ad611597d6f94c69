import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Factories hash a password for every user; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
