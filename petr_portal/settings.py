"""Settings of the portal, read from the environment.

One file for every setup: development defaults are safe to run locally, and
production is the same file with DJANGO_DEBUG=0 and real values in the environment.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=True)

# A development key is fine on a laptop; in production the portal must not start with it.
DEVELOPMENT_SECRET_KEY = "dev-insecure-petr-portal-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = DEVELOPMENT_SECRET_KEY
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY est obligatoire quand DJANGO_DEBUG est désactivé : "
            "définissez une clé secrète longue et aléatoire dans l'environnement "
            "(par exemple avec « python -c 'import secrets; print(secrets.token_urlsafe(50))' »)."
        )
elif not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY est trop courte ou est la clé de développement : "
        "en production, utilisez une clé aléatoire d'au moins 40 caractères."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "simple_history",
    "accounts",
    "chantiers",
    "diagnostic",
    "petr_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "petr_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "petr_portal.context_processors.portal",
                "petr_portal.context_processors.demo_notice",
            ],
        },
    },
]

WSGI_APPLICATION = "petr_portal.wsgi.application"

# SQLite by default (a file beside manage.py); DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/compte/connexion/"
LOGIN_REDIRECT_URL = "/compte/"
LOGOUT_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Compressed and hashed in production; plain storage in development and tests
        # so that a missing collectstatic never breaks a page.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("DJANGO_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "ne-pas-repondre@petr-fqvd.fr")

# Facts of the body (FACTS.md) and what is unknown, kept as settings so the team
# can fill them in without touching code. An empty value is shown as "à préciser".
PORTAL = {
    "SITE_NAME": "Projet de territoire du PETR Figeac Quercy Vallée de la Dordogne",
    "SHORT_NAME": "Projet de territoire",
    "BODY_NAME": "PETR Figeac Quercy Vallée de la Dordogne",
    "SIREN": "200 052 397",
    "CONTACT_NAME": "Pauline KRUPKA",
    "CONTACT_EMAIL": os.environ.get("PORTAL_CONTACT_EMAIL", "developpement@petr-fqvd.fr"),
    "PHONE": "05 65 14 08 69",
    "CITY": "Figeac",
    "STREET_ADDRESS": os.environ.get("PORTAL_STREET_ADDRESS", ""),
    "PUBLICATION_DIRECTOR": os.environ.get("PORTAL_PUBLICATION_DIRECTOR", ""),
    "HOST_NAME": os.environ.get("PORTAL_HOST_NAME", ""),
    "HOST_ADDRESS": os.environ.get("PORTAL_HOST_ADDRESS", ""),
    # RGAA: "non conforme" until an audit says otherwise.
    "ACCESSIBILITY_STATUS": os.environ.get("PORTAL_ACCESSIBILITY_STATUS", "non conforme"),
    "ACCESSIBILITY_DECLARATION_DATE": os.environ.get(
        "PORTAL_ACCESSIBILITY_DECLARATION_DATE", "2026-11-25"
    ),
}

# Join requests and registrations are deleted or anonymised after this many months
# without activity (purge_personal_data); /confidentialite/ says so.
PERSONAL_DATA_RETENTION_MONTHS = int(os.environ.get("PORTAL_RETENTION_MONTHS", "24"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
