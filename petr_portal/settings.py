"""Settings of the portal, read from the environment.

One file for every setup: development defaults are safe to run locally, and
production is the same file with DJANGO_DEBUG=0 and real values in the environment.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from petr_portal import header_policies
from petr_portal.environment import env_bool, env_list, secret_key, site_url

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DJANGO_DEBUG", default=True)
# Required, long and random when debug is off: the portal refuses to start otherwise.
SECRET_KEY = secret_key(DEBUG)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")


# --- Applications, requests and templates --------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # Django's widget templates, for FORM_RENDERER (TemplatesSetting)
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    # Before django_tasks_db: its `db_worker` command is core's, which takes back what a
    # dead worker held (core.worker).
    "core",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "chantiers",
    "diagnostic",
    "accessibilite",
    "petr_portal",
    "csp",  # django-csp sends the Content-Security-Policy header (policy below)
    "django.contrib.sitemaps",  # the sitemap's template
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above whatever may refuse a request (unknown host, unreadable body, CSRF, a crash):
    # every answer, error pages included, carries the CSP (django-csp) and X-Frame-Options.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Below CSPMiddleware: it marks the admin's answers before the policy is written.
    "petr_portal.security.AdminStyleAttributesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the French lockout page.
    "axes.middleware.AxesMiddleware",
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
                "petr_portal.context_processors.accessibility",
                "petr_portal.context_processors.csrf_placeholder",
                "core.context_processors.fragment_cache",
            ],
            # {% absolute_url %}, {% canonical_url %} and {% block_text %} in every
            # template without loading them: pages set their Open Graph tags in one line.
            "builtins": ["core.templatetags.seo"],
        },
    },
]
# Every field through one template, includes/form_field.html, found like any other template.
FORM_RENDERER = "core.forms.FormRenderer"

WSGI_APPLICATION = "petr_portal.wsgi.application"


# --- Database ------------------------------------------------------------------------------
# SQLite by default (a file beside manage.py); DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# SQLite: transactions take the write lock when they begin (BEGIN IMMEDIATE), so that two
# registrations for the last seat wait for each other instead of failing with « database
# is locked » (PostgreSQL locks the meeting row with SELECT ... FOR UPDATE instead).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"


# --- Accounts and sign-in ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/compte/connexion/"
LOGIN_REDIRECT_URL = "/compte/"
LOGOUT_REDIRECT_URL = "/"

# Login throttling (django-axes): the first backend refuses a locked-out account,
# the second checks the password.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 5 failures on one account from one address lock that pair out for a cool-off period.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("PORTAL_LOGIN_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.backends.login_identifier"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# Successful sign-ins are not logged: the portal keeps no personal data it does not need.
AXES_DISABLE_ACCESS_LOG = True
# The client's address as the public forms' rate limit reads it: behind nginx
# (PORTAL_TRUSTED_PROXIES, below) the entry it appended to X-Forwarded-For, not
# REMOTE_ADDR, which would make every visitor share the proxy's address and lockout.
AXES_CLIENT_IP_CALLABLE = "core.abuse.client_address"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


# --- Language and time ---------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True


# --- Static files, uploads and downloads ---------------------------------------------------
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

# Local MEDIA_ROOT by default (one server). With several web servers, uploads go to an
# S3-compatible object storage through django-storages, so that every server sees them.
S3_BUCKET = os.environ.get("DJANGO_S3_BUCKET", "")
S3_ENDPOINT_URL = os.environ.get("DJANGO_S3_ENDPOINT_URL", "")
S3_CUSTOM_DOMAIN = os.environ.get("DJANGO_S3_CUSTOM_DOMAIN", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL or None,
            "region_name": os.environ.get("DJANGO_S3_REGION") or None,
            # Without keys, boto3 looks in its usual places (AWS_* variables, instance role).
            "access_key": os.environ.get("DJANGO_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("DJANGO_S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": S3_CUSTOM_DOMAIN or None,
            "location": os.environ.get("DJANGO_S3_LOCATION", "media"),
            # The bucket stays private: files are handed out through signed URLs that
            # expire, so a reserved document's address cannot be passed around for long.
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("DJANGO_S3_URL_EXPIRE", "300")),
            "file_overwrite": False,
        },
    }
# Protected files handed to nginx with X-Accel-Redirect when set (single server, local
# MEDIA_ROOT): the URL prefix of nginx's `internal` location that maps to MEDIA_ROOT,
# e.g. "/media-protege/". Empty: Django streams the file itself.
PORTAL_X_ACCEL_REDIRECT_PREFIX = os.environ.get("DJANGO_X_ACCEL_REDIRECT_PREFIX", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- Cache and the page cache --------------------------------------------------------------
# Redis (Django's own backend) when REDIS_URL is set, shared by every process and server;
# otherwise memory local to each process, which is enough for development and tests.
REDIS_URL = os.environ.get("REDIS_URL", "")
# `template_fragments` (the alias of Django's {% cache %} tag) holds the fragments and the
# search's results in the same place, through a backend whose failures read as a miss
# (core.cache_backends): a page can always be written without them.
if REDIS_URL:
    _CACHE = {
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "petr-portal"),
    }
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", **_CACHE},
        "template_fragments": {"BACKEND": "core.cache_backends.FailSoftRedisCache", **_CACHE},
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "petr-portal",
        },
        "template_fragments": {
            "BACKEND": "core.cache_backends.FailSoftLocMemCache",
            "LOCATION": "petr-portal-fragments",
            # Django's default of 300 entries would push fragments out as soon as a
            # crawler walks the agenda.
            "OPTIONS": {"MAX_ENTRIES": 3000},
        },
    }
# Seconds an anonymous public page wrapped in core.cache.public_page_cache is kept;
# 0 turns page caching off. Off in development and tests so that every change shows at
# once. Any content change makes every cached page stale at once, in every process and
# server, Redis or not: the content version lives in the database (core.cache).
PORTAL_PAGE_CACHE_SECONDS = int(
    os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "0" if DEBUG else "600")
)
# Seconds a `{% cache %}` fragment is kept (lists every visitor sees the same: a chantier's
# actions, the agenda's meetings...). Their keys carry the content version, so an edit
# shows at once everywhere; old fragments simply expire. 0 turns them off: in development
# a template edited shows at once.
PORTAL_FRAGMENT_CACHE_SECONDS = int(
    os.environ.get("PORTAL_FRAGMENT_CACHE_SECONDS", "0" if DEBUG else "3600")
)


# --- Email and the background worker ------------------------------------------------------
# Every email leaves through the outbox (core.outbox) and the worker (`manage.py db_worker`),
# never from the web request. SMTP comes from the environment (README lists the names):
# DJANGO_EMAIL_HOST, DJANGO_EMAIL_PORT, DJANGO_EMAIL_HOST_USER, DJANGO_EMAIL_HOST_PASSWORD,
# DJANGO_EMAIL_USE_TLS (STARTTLS, port 587) or DJANGO_EMAIL_USE_SSL (port 465), and
# DJANGO_DEFAULT_FROM_EMAIL. In development the emails are printed on the console.
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
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "DJANGO_EMAIL_USE_TLS et DJANGO_EMAIL_USE_SSL s'excluent : STARTTLS (port 587) "
        "ou TLS implicite (port 465), l'un ou l'autre."
    )
# Seconds before an unanswering SMTP server counts as a failure; three times this is the
# lease under which a worker holds an email (core.outbox.sending_lease).
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "30"))
# Without a name in it, emails show the portal's (core.outbox.sender).
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "ne-pas-repondre@petr-fqvd.fr")

# The task queue: in the database by default (no new server); RQ/Redis (django-tasks-rq)
# when there are several servers, see docs/deploiement.md.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("PORTAL_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# The outbox: emails per task at most (a task also stops after one lease; a stopped worker
# finishes its task), tries before an email is shown as failed, and the first wait before
# trying again (then 4 times longer each time: 1 min, 4 min, 16 min, 64 min).
PORTAL_OUTBOX_BATCH = int(os.environ.get("PORTAL_OUTBOX_BATCH", "50"))
PORTAL_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("PORTAL_OUTBOX_MAX_ATTEMPTS", "5"))
PORTAL_OUTBOX_RETRY_SECONDS = int(os.environ.get("PORTAL_OUTBOX_RETRY_SECONDS", "60"))
# Emails sent (or failed for good) stay this many days in the send log (purge_personal_data).
PORTAL_OUTBOX_RETENTION_DAYS = int(os.environ.get("PORTAL_OUTBOX_RETENTION_DAYS", "30"))
# People registered for a meeting are reminded this many hours before it.
PORTAL_REMINDER_HOURS = int(os.environ.get("PORTAL_REMINDER_HOURS", "48"))
# A follow request not confirmed within this many days is void and deleted.
PORTAL_FOLLOW_CONFIRM_DAYS = 7


# --- HTTPS and security headers ------------------------------------------------------------
# With debug off, `python manage.py check --deploy` gives no warning with these defaults.
# nginx terminates TLS and tells Django with X-Forwarded-Proto; DJANGO_BEHIND_PROXY=1 makes
# Django trust that header. Set it only behind such a proxy, which must overwrite the
# header: otherwise any client could claim HTTPS.
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    # nginx may redirect to HTTPS itself; DJANGO_SECURE_SSL_REDIRECT=0 then avoids a
    # second check (and makes check --deploy warn, which is expected in that case).
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # One year by default. Start lower (DJANGO_HSTS_SECONDS=3600) on a new host until
    # HTTPS is known to work everywhere: browsers remember the header for that long.
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Load balancers probe the web servers over plain HTTP: the health check is not redirected.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Permissions-Policy (petr_portal.security): every powerful feature denied (the list and
# why: petr_portal.header_policies). First in MIDDLEWARE, so that static files and HTTPS
# redirects carry it too.
PERMISSIONS_POLICY = dict.fromkeys(header_policies.DENIED_FEATURES, ())
MIDDLEWARE.insert(0, "petr_portal.security.PermissionsPolicyMiddleware")
# A request in a charset that is no text encoding (rot13, base64...), or a urlencoded body
# not valid UTF-8, is a 400 before anything reads it (Django would fail on the first, read
# the second as Latin-1); core.encoding.ReadableTextMixin handles the rest.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "core.encoding.UndecodableFormBodyMiddleware",
)
# A form sent without its CSRF token gets a French page (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "petr_portal.views.csrf_failure"

# Proxies in front of Django that append the client's address to X-Forwarded-For:
# 1 behind nginx, 2 behind a load balancer then nginx. 0: REMOTE_ADDR is the client.
PORTAL_TRUSTED_PROXIES = int(
    os.environ.get("PORTAL_TRUSTED_PROXIES", "1" if env_bool("DJANGO_BEHIND_PROXY") else "0")
)

# --- Content Security Policy ---------------------------------------------------------------
# Strict, our own origin only (petr_portal.header_policies says what and why), plus the
# exact origins of static files behind a CDN and media on object storage;
# DJANGO_CSP_EXTRA_MEDIA_SRC adds more (comma-separated).
CONTENT_SECURITY_POLICY = header_policies.content_security_policy(
    STATIC_URL,
    MEDIA_URL,
    S3_BUCKET,
    S3_CUSTOM_DOMAIN,
    S3_ENDPOINT_URL,
    media_src=env_list("DJANGO_CSP_EXTRA_MEDIA_SRC"),
    report_uri=env_list("DJANGO_CSP_REPORT_URI"),
)


# --- The body, its content and its data ----------------------------------------------------
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
    # The public address of the portal, e.g. "https://projet.petr-fqvd.fr": every link of
    # every email (never a request's address), canonical links, Open Graph, the sitemap,
    # robots.txt. Required with debug off; empty in development: each request's address on
    # pages, http://127.0.0.1:8000 in emails (`make run` sets it to the address it serves).
    "SITE_URL": site_url(DEBUG),
}

# Who is told of each join request (« Nous rejoindre »); default: the contact of the
# projet de territoire.
PORTAL["JOIN_NOTIFICATION_EMAIL"] = os.environ.get(
    "PORTAL_JOIN_NOTIFICATION_EMAIL", PORTAL["CONTACT_EMAIL"]
)
# Who is told of each accessibility report (« Signaler un problème d'accessibilité »);
# default: the contact of the projet de territoire.
PORTAL["ACCESSIBILITY_REPORT_EMAIL"] = os.environ.get(
    "PORTAL_ACCESSIBILITY_REPORT_EMAIL", PORTAL["CONTACT_EMAIL"]
)
# Public forms (join, « Je participe », accessibility reports): at most this many posts
# per client address and per form within the window, then a 429 page. 0: no limit.
PORTAL_FORM_RATE_LIMIT = int(os.environ.get("PORTAL_FORM_RATE_LIMIT", "10"))
PORTAL_FORM_RATE_WINDOW_SECONDS = int(os.environ.get("PORTAL_FORM_RATE_WINDOW_SECONDS", "3600"))
# Join requests and registrations are deleted or anonymised after this many months
# without activity (purge_personal_data); /confidentialite/ says so.
PERSONAL_DATA_RETENTION_MONTHS = int(os.environ.get("PORTAL_RETENTION_MONTHS", "24"))

# Largest document the team may upload (diagnostic, reports...), in megabytes.
DOCUMENT_MAX_UPLOAD_MB = int(os.environ.get("PORTAL_DOCUMENT_MAX_UPLOAD_MB", "50"))

# The licence of the open data (/donnees/): the Licence Ouverte 2.0 of Etalab by default,
# the licence French public bodies use (décret n° 2017-638).
OPEN_DATA_LICENCE = {
    "name": os.environ.get("PORTAL_OPEN_DATA_LICENCE_NAME", "Licence Ouverte 2.0 (Etalab)"),
    "url": os.environ.get(
        "PORTAL_OPEN_DATA_LICENCE_URL",
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    ),
    "id": os.environ.get("PORTAL_OPEN_DATA_LICENCE_ID", "etalab-2.0"),
}

# --- Logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # WeasyPrint (the report's PDF) warns of every screen rule of our stylesheets it does
    # not apply to paper: only its errors are worth a line in the worker's log.
    "loggers": {"weasyprint": {"level": "ERROR"}},
}
