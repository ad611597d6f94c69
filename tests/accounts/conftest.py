import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Sign-in tests hash passwords dozens of times: a fast hasher keeps them quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
