"""/sitemap.xml: every public page, with the date it last changed.

Pages built from content take the latest update of that content; pages whose text lives
in templates take PAGES_REVISED_ON, to move forward whenever their text changes.
Reserved documents are never listed. Each section costs one or two queries, whatever
the number of rows.
"""

from datetime import date, datetime, time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accessibilite.models import Audit
from chantiers.models import Action, Chantier, Meeting, PointEtape
from diagnostic.models import Document, RevenueDiagnostic

# The last time the text of the template-based pages changed (legal pages, method...).
PAGES_REVISED_ON = date(2026, 11, 25)


class PortalSitemap(Sitemap):
    """Addresses on PORTAL["SITE_URL"] when set, else on the request's host and scheme."""

    def get_protocol(self, protocol=None):
        configured = urlsplit(settings.PORTAL.get("SITE_URL", ""))
        return configured.scheme or super().get_protocol(protocol)

    def get_domain(self, site=None):
        configured = urlsplit(settings.PORTAL.get("SITE_URL", ""))
        return configured.netloc or super().get_domain(site)


def _as_datetime(value):
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, time.min))


def _latest(*values):
    return max(_as_datetime(value) for value in (PAGES_REVISED_ON, *values) if value)


def _latest_of(*values):
    present = [value for value in values if value]
    return max(present) if present else None


class PagesSitemap(PortalSitemap):
    # (route name, which content dates the page)
    pages = (
        ("home", ("chantiers", "meetings", "documents", "actions")),
        ("chantiers:progress", ("chantiers", "actions")),
        ("chantiers:chantier_list", ("chantiers", "meetings")),
        ("chantiers:team", ("chantiers", "meetings")),
        ("chantiers:agenda", ("meetings",)),
        ("diagnostic:document_list", ("documents",)),
        ("diagnostic:diagnostic", ("diagnostic",)),
        ("diagnostic:indicators", ()),
        ("chantiers:join", ()),
        ("open_data", ("chantiers", "meetings", "documents", "diagnostic")),
        ("legal_notice", ()),
        ("accessibilite:declaration", ("accessibilite",)),
        ("privacy", ()),
    )

    def items(self):
        updated = {
            "chantiers": Chantier.objects.aggregate(last=Max("updated_at"))["last"],
            "meetings": Meeting.objects.aggregate(last=Max("updated_at"))["last"],
            "documents": Document.objects.public().aggregate(last=Max("updated_at"))["last"],
            "diagnostic": RevenueDiagnostic.objects.aggregate(last=Max("updated_at"))["last"],
            "accessibilite": Audit.objects.published().aggregate(last=Max("updated_at"))["last"],
            "actions": _latest_of(
                Action.objects.aggregate(last=Max("updated_at"))["last"],
                PointEtape.objects.aggregate(last=Max("updated_at"))["last"],
            ),
        }
        items = []
        for name, sources in self.pages:
            items.append((reverse(name), _latest(*(updated[source] for source in sources))))
        return items

    def location(self, item):
        return item[0]

    def lastmod(self, item):
        return item[1]


class ChantierSitemap(PortalSitemap):
    def items(self):
        return Chantier.objects.only("slug", "updated_at").order_by("order", "pk")

    def lastmod(self, chantier):
        return chantier.updated_at


class MeetingSitemap(PortalSitemap):
    def items(self):
        return Meeting.objects.only("slug", "updated_at").order_by("starts_at", "pk")

    def lastmod(self, meeting):
        return meeting.updated_at


class ActionSitemap(PortalSitemap):
    """An action's page changes with the action and with each point d'étape of its journal."""

    def items(self):
        return (
            Action.objects.select_related("chantier")
            .only("slug", "updated_at", "chantier__slug")
            .annotate(journal_updated=Max("points__updated_at"))
            .order_by("chantier__order", "chantier_id", "pk")
        )

    def location(self, action):
        return action.get_absolute_url()

    def lastmod(self, action):
        return _latest_of(action.updated_at, action.journal_updated)


class DocumentSitemap(PortalSitemap):
    """The files of public documents: search engines index PDFs too."""

    def items(self):
        return (
            Document.objects.public()
            .exclude(file="")
            .only("slug", "updated_at")
            .order_by("-updated_at", "pk")
        )

    def lastmod(self, document):
        return document.updated_at


SITEMAPS = {
    "pages": PagesSitemap,
    "chantiers": ChantierSitemap,
    "reunions": MeetingSitemap,
    "actions": ActionSitemap,
    "documents": DocumentSitemap,
}
