"""WSGI entry point (gunicorn petr_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from core.encoding import refuse_unreadable_charsets

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "petr_portal.settings")

# A request in a charset that is no text encoding is a 400 with the site's headers, even
# when Django could not build it (core.encoding).
application = refuse_unreadable_charsets(get_wsgi_application())
