"""Fixtures shared by the whole suite."""

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploads made by a test never land in the project's media folder.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_fragments():
    # Each test starts with no `{% cache %}` fragment kept by an earlier one.
    caches["template_fragments"].clear()


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(
        email="habitant@example.org", password="s3cret-pass!"
    )


# A real SMTP server (aiosmtpd) for the email tests: tests/smtp.py.
from tests.smtp import smtp_server  # noqa: E402, F401
