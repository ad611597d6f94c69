"""Production settings, read in a fresh interpreter with a production environment."""

import json
import subprocess
import sys

import pytest

from tests.petr_portal.test_settings import ROOT, run_settings

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "p" * 20 + "-production-key-for-tests-" + "q" * 20,
    "DJANGO_ALLOWED_HOSTS": "portail.example",
    "PORTAL_SITE_URL": "https://portail.example",
}


def manage(args, env_overrides):
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PORTAL_"))
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_json(env_overrides, expression):
    """Evaluate an expression on the settings in a fresh interpreter, as JSON."""
    result = run_settings(
        env_overrides,
        code=(
            f"import json; from django.conf import settings as s; print(json.dumps({expression}))"
        ),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_is_clean_with_production_settings():
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr


def test_check_deploy_does_warn_when_a_protection_is_turned_off():
    # Proves the clean run above checked something: turning HTTPS redirect off is reported.
    result = manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {**PRODUCTION_ENV, "DJANGO_SECURE_SSL_REDIRECT": "0"},
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr


def test_production_security_settings():
    values = settings_json(
        PRODUCTION_ENV,
        "[s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_REFERRER_POLICY, s.SECURE_CROSS_ORIGIN_OPENER_POLICY, s.X_FRAME_OPTIONS,"
        " s.SECURE_PROXY_SSL_HEADER]",
    )
    assert values == [
        True,
        31536000,
        True,
        True,
        True,
        True,
        "same-origin",
        "same-origin",
        "DENY",
        None,
    ]


def test_hsts_is_configurable_and_proxy_header_is_opt_in():
    values = settings_json(
        {
            **PRODUCTION_ENV,
            "DJANGO_HSTS_SECONDS": "3600",
            "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "0",
            "DJANGO_HSTS_PRELOAD": "0",
            "DJANGO_BEHIND_PROXY": "1",
        },
        "[s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
        " s.SECURE_PROXY_SSL_HEADER]",
    )
    assert values == [3600, False, False, ["HTTP_X_FORWARDED_PROTO", "https"]]


def test_development_does_not_force_https():
    values = settings_json(
        {}, "[s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE]"
    )
    assert values == [True, False, 0, False]


@pytest.mark.parametrize(
    ("env", "backend", "location"),
    [
        ({}, "django.core.cache.backends.locmem.LocMemCache", "petr-portal"),
        (
            {"REDIS_URL": "redis://cache.example:6379/2"},
            "django.core.cache.backends.redis.RedisCache",
            "redis://cache.example:6379/2",
        ),
    ],
)
def test_cache_backend_follows_redis_url(env, backend, location):
    result = run_settings(
        env,
        code=(
            "from django.core.cache import caches; c = caches['default']; "
            "from django.conf import settings as s; d = s.CACHES['default']; "
            "print(d['BACKEND'], d['LOCATION'], type(c).__module__ + '.' + type(c).__name__)"
        ),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [backend, location, backend]


def test_page_cache_is_off_in_development_and_on_in_production():
    assert settings_json({}, "s.PORTAL_PAGE_CACHE_SECONDS") == 0
    assert settings_json(PRODUCTION_ENV, "s.PORTAL_PAGE_CACHE_SECONDS") == 600
    assert settings_json({"PORTAL_PAGE_CACHE_SECONDS": "30"}, "s.PORTAL_PAGE_CACHE_SECONDS") == 30


def test_media_on_local_disk_by_default():
    default = settings_json({}, "s.STORAGES['default']")
    assert default == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_media_on_s3_compatible_storage_when_a_bucket_is_set():
    env = {
        "DJANGO_S3_BUCKET": "petr-medias",
        "DJANGO_S3_ENDPOINT_URL": "https://s3.fr-par.example",
        "DJANGO_S3_REGION": "fr-par",
        "DJANGO_S3_ACCESS_KEY_ID": "cle",
        "DJANGO_S3_SECRET_ACCESS_KEY": "secret",
    }
    # The storage is built and asked for a URL: signing is local, no network involved.
    result = run_settings(
        env,
        code=(
            "from django.core.files.storage import storages; d = storages['default']; "
            "print(type(d).__module__ + '.' + type(d).__name__); "
            "print(d.bucket_name, d.endpoint_url, d.region_name, d.location); "
            "print(d.url('documents/rapport.pdf'))"
        ),
    )
    assert result.returncode == 0, result.stderr
    kind, options, url = result.stdout.splitlines()
    assert kind == "storages.backends.s3.S3Storage"
    assert options.split() == ["petr-medias", "https://s3.fr-par.example", "fr-par", "media"]
    assert "/media/documents/rapport.pdf?" in url
    assert "X-Amz-Signature=" in url
    csp = settings_json(env, "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']")
    assert "https://petr-medias.s3.fr-par.example" in csp
    assert "https://s3.fr-par.example/petr-medias/" in csp
