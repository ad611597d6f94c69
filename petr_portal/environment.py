"""Reading the environment for settings.py: yes/no values, lists, and the two values the
portal refuses to start without when debug is off (a secret key, its public address)."""

import os

from django.core.exceptions import ImproperlyConfigured

# A development key is fine on a laptop; in production the portal must not start with it.
DEVELOPMENT_SECRET_KEY = "dev-insecure-petr-portal-key-do-not-use-in-production"


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key(debug):
    """DJANGO_SECRET_KEY: required, long and not the development key when debug is off."""
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if not key:
        if debug:
            return DEVELOPMENT_SECRET_KEY
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY est obligatoire quand DJANGO_DEBUG est désactivé : "
            "définissez une clé secrète longue et aléatoire dans l'environnement "
            "(par exemple avec « python -c 'import secrets; print(secrets.token_urlsafe(50))' »)."
        )
    if not debug and (key == DEVELOPMENT_SECRET_KEY or len(key) < 40):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY est trop courte ou est la clé de développement : "
            "en production, utilisez une clé aléatoire d'au moins 40 caractères."
        )
    return key


def site_url(debug):
    """PORTAL_SITE_URL, the public address every email's links are built on: required when
    debug is off; empty in development (each request's address on pages)."""
    url = os.environ.get("PORTAL_SITE_URL", "").strip().rstrip("/")
    if not debug and not url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            "PORTAL_SITE_URL est obligatoire quand DJANGO_DEBUG est désactivé : l'adresse "
            "publique du portail (par exemple « https://projet.petr-fqvd.fr »), sur laquelle "
            "sont construits les liens des courriels."
        )
    return url
