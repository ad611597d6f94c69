"""The report as a PDF, written by WeasyPrint from the page's own template: a tagged PDF
(PDF/UA-1 variant: structure tree, language, title shown by viewers), its headings as
bookmarks, its fonts embedded (WeasyPrint always embeds the subsets it uses).

WeasyPrint needs Pango (Debian: libpango-1.0-0). Where it cannot be loaded, the page says
why and the HTML report, which prints the same, still works.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

from core import seo

logger = logging.getLogger(__name__)

TEMPLATE = "diagnostic/progress_report.html"
# What only a PDF writer reads (bookmark levels, of the CSS Generated Content for Paged
# Media draft): browsers and the Nu checker do not know it, so it stays out of static/css.
PDF_STYLESHEET = Path(__file__).with_name("weasyprint.css")
# The address written in the PDF's links when PORTAL_SITE_URL is not set (development).
DEVELOPMENT_SITE = "http://127.0.0.1:8000"
UNAVAILABLE = (
    "Le PDF ne peut pas être produit sur ce serveur\u00a0: il lui manque WeasyPrint ou la "
    "bibliothèque Pango dont il a besoin (paquet Debian libpango-1.0-0). "
    "La page du rapport, elle, reste consultable et s'imprime telle quelle."
)


def load_weasyprint():
    """(the weasyprint module, "") or (None, why it cannot be used). Importing it again
    after a success costs a dictionary lookup; after a failure, a new try (Pango may have
    been installed since)."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango's library is missing
        logger.warning("WeasyPrint indisponible : %s", error)
        return None, UNAVAILABLE
    return weasyprint, ""


def unavailable_reason():
    """Why the PDF cannot be made here, or "" when it can."""
    return load_weasyprint()[1]


def site_address():
    return seo.site_url(None) or DEVELOPMENT_SITE


def render_pdf(context):
    """The PDF (bytes) of the report page rendered with `context` (what the view gives
    its template). Raises RuntimeError when WeasyPrint cannot be loaded."""
    weasyprint, reason = load_weasyprint()
    if weasyprint is None:
        raise RuntimeError(reason)
    site = site_address()
    html = render_to_string(
        TEMPLATE,
        {
            **context,
            # What the context processors give a page: the PDF is rendered without a request.
            "portal": settings.PORTAL,
            "demo_content_loaded": context["report"].has_demo,
            "site_url": site,
            "for_pdf": True,
        },
    )
    document = weasyprint.HTML(
        string=html, base_url=f"{site}/", url_fetcher=_static_fetcher(weasyprint, site)
    )
    return document.write_pdf(
        stylesheets=[weasyprint.CSS(filename=str(PDF_STYLESHEET))],
        pdf_variant="pdf/ua-1",
    )


def _static_fetcher(weasyprint, site):
    """Gives WeasyPrint our stylesheets from the disk, never over the network, and
    nothing else: the PDF is built by the worker, where no web server need answer."""
    static_prefix = f"{site}{settings.STATIC_URL}"

    class StaticFetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(static_prefix):
                raise ValueError(f"Ressource extérieure ignorée dans le PDF : {url}")
            name = url.removeprefix(static_prefix).split("?")[0]
            return weasyprint.urls.URLFetcherResponse(
                url, _static_file(name), {"Content-Type": _content_type(name)}
            )

    return StaticFetcher()


def _static_file(name):
    """A static file's bytes: collected (hashed names, production) or found in the apps'
    folders (development, tests)."""
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as stored:
            return stored.read()
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(name)
    return Path(found).read_bytes()


def _content_type(name):
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(
        Path(name).suffix, "application/octet-stream"
    )
