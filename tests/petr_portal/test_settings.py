"""Settings read from the environment, checked in a fresh interpreter each time."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_settings(env_overrides, code="from django.conf import settings; settings.SECRET_KEY"):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "PORTAL_SITE_URL"))
    }
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "petr_portal.settings"
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_off_without_secret_key_refuses_to_start_and_says_why():
    result = run_settings({"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY est obligatoire" in result.stderr


def test_debug_off_with_development_key_refuses_to_start():
    result = run_settings(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "dev-insecure-petr-portal-key-do-not-use-in-production",
        }
    )
    assert result.returncode != 0
    assert "trop courte ou est la clé de développement" in result.stderr


def test_debug_off_without_the_site_address_refuses_to_start_and_says_why():
    # Every email links to it: without it, links would follow whatever address a request
    # came through.
    for value in ("", "portail.example"):
        result = run_settings(
            {
                "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": "x" * 50,
                "DJANGO_ALLOWED_HOSTS": "portail.example",
                "PORTAL_SITE_URL": value,
            }
        )
        assert result.returncode != 0
        assert "PORTAL_SITE_URL est obligatoire" in result.stderr


def test_debug_off_with_a_real_key_starts():
    result = run_settings(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "portail.example",
            "PORTAL_SITE_URL": "https://portail.example/",
        },
        code="from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['portail.example']"


def test_sqlite_file_by_default():
    result = run_settings(
        {},
        code=(
            "from django.conf import settings; d = settings.DATABASES['default']; "
            "print(d['ENGINE'], d['NAME'])"
        ),
    )
    assert result.returncode == 0, result.stderr
    engine, name = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name == str(ROOT / "db.sqlite3")


def test_database_url_selects_postgresql():
    result = run_settings(
        {"DATABASE_URL": "postgres://alice:pw@db.example:6543/portail"},
        code=(
            "from django.conf import settings; d = settings.DATABASES['default']; "
            "print(d['ENGINE'], d['NAME'], d['USER'], d['HOST'], d['PORT'])"
        ),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "portail",
        "alice",
        "db.example",
        "6543",
    ]


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.AUTH_USER_MODEL == "accounts.User"
