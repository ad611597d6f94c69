"""/flux.atom: what changes for a resident, in one Atom feed.

Four kinds of entries, newest first: a meeting announced, a meeting's minutes published,
a public document put online, a point d'étape added to an action's journal. Minutes have
no publication date of their own: it is read from the meetings' history
(django-simple-history), the first version with minutes, in the same query; a meeting
without history falls back on its last update.
"""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks

from chantiers.models import Meeting, PointEtape
from core.seo import absolute_url
from core.text import markdown_to_text, meeting_when
from diagnostic.models import Document

FEED_SIZE = 30
TAG = "tag:petr-fqvd.fr,2026"


@dataclass
class Entry:
    title: str
    link: str
    description: str
    published: datetime
    updated: datetime
    guid: str
    categories: list = field(default_factory=list)


def _demo(obj):
    return " (démo)" if obj.is_demo else ""


def _meeting_facts(meeting):
    parts = [meeting_when(meeting.starts_at, meeting.ends_at)]
    if meeting.place:
        parts.append(meeting.place)
    if meeting.chantier_id:
        parts.append(f"chantier «\u00a0{meeting.chantier.display_title}\u00a0»")
    if meeting.status != "prevue":
        parts.append(meeting.get_status_display().lower())
    return " – ".join(parts)


def meeting_entries(limit=FEED_SIZE):
    meetings = Meeting.objects.select_related("chantier").order_by("-created_at", "-pk")[:limit]
    for meeting in meetings:
        kind = meeting.get_kind_display()
        yield Entry(
            title=f"{kind}{_demo(meeting)}\u00a0: {meeting.title}",
            link=meeting.get_absolute_url(),
            description=_meeting_facts(meeting),
            published=meeting.created_at,
            updated=meeting.updated_at,
            guid=f"{TAG}:reunion:{meeting.pk}",
            categories=[kind],
        )


def minutes_entries(limit=FEED_SIZE):
    first_minutes = (
        Meeting.history.filter(id=OuterRef("pk"))
        .exclude(minutes="")
        .order_by("history_date")
        .values("history_date")[:1]
    )
    meetings = (
        Meeting.objects.exclude(minutes="")
        .select_related("chantier")
        .annotate(minutes_at=Coalesce(Subquery(first_minutes), "updated_at"))
        .order_by("-minutes_at", "-pk")[:limit]
    )
    for meeting in meetings:
        text = markdown_to_text(meeting.minutes)
        if len(text) > 600:
            text = text[:600].rsplit(" ", 1)[0] + " …"
        yield Entry(
            title=f"Compte rendu{_demo(meeting)}\u00a0: {meeting.title}",
            link=meeting.get_absolute_url() + "#compte-rendu",
            description=f"{_meeting_facts(meeting)}\n\n{text}",
            published=meeting.minutes_at,
            updated=max(meeting.minutes_at, meeting.updated_at),
            guid=f"{TAG}:compte-rendu:{meeting.pk}",
            categories=["Compte rendu"],
        )


def document_entries(limit=FEED_SIZE):
    # Public documents whose file can be downloaded; never a reserved one.
    documents = Document.objects.public().exclude(file="").with_related().in_order()[:limit]
    for document in documents:
        published = document.created_at
        if document.published_on:
            published = timezone.make_aware(datetime.combine(document.published_on, time(9)))
        parts = [document.get_kind_display()]
        if document.chantier_id:
            parts.append(f"chantier «\u00a0{document.chantier.display_title}\u00a0»")
        parts.append(document.human_format)
        facts = " – ".join(part for part in parts if part)
        yield Entry(
            title=f"Document{_demo(document)}\u00a0: {document.title}",
            link=document.get_absolute_url(),
            description=f"{document.summary}\n\n{facts}" if document.summary else facts,
            published=published,
            updated=document.updated_at,
            # The same id as in /documents/flux.atom: readers subscribed to both see one entry.
            guid=f"tag:petr-fqvd.fr,2026:document:{document.pk}",
            categories=[document.get_kind_display()],
        )


def point_etape_entries(limit=FEED_SIZE):
    points = PointEtape.objects.with_related().newest_first()[:limit]
    for point in points:
        action = point.action
        facts = [f"Action «\u00a0{action.title}\u00a0»"]
        facts.append(f"chantier «\u00a0{action.chantier.display_title}\u00a0»")
        if point.new_status:
            facts.append(f"nouveau statut\u00a0: {point.get_new_status_display().lower()}")
        if point.new_progress is not None:
            facts.append(f"avancement\u00a0: {point.new_progress}\u00a0%")
        text = markdown_to_text(point.text)
        if len(text) > 600:
            text = text[:600].rsplit(" ", 1)[0] + " …"
        description = " – ".join(facts)
        # Dated by the day it tells of; written that day or later (never before).
        published = timezone.make_aware(datetime.combine(point.date, time(12)))
        yield Entry(
            title=f"Point d'étape{_demo(point)}\u00a0: {point.title}",
            link=point.get_absolute_url(),
            description=f"{description}\n\n{text}" if text else description,
            published=published,
            updated=max(published, point.updated_at),
            guid=f"{TAG}:point-etape:{point.pk}",
            categories=["Point d'étape"],
        )


class PortalFeed(Feed):
    feed_type = Atom1Feed
    language = "fr"

    def title(self):
        return f"Actualités du projet de territoire – {settings.PORTAL['BODY_NAME']}"

    def subtitle(self):
        return (
            "Nouvelles réunions, comptes rendus publiés, nouveaux documents publics "
            "et points d'étape des actions."
        )

    def author_name(self):
        return settings.PORTAL["BODY_NAME"]

    # Addresses on PORTAL["SITE_URL"] when it is set; otherwise relative, and Django puts
    # them on the request's host.
    def link(self):
        return absolute_url(None, reverse("home"))

    def feed_url(self):
        return absolute_url(None, reverse("feed"))

    def items(self):
        """The newest FEED_SIZE entries of the four kinds: four queries in all."""
        entries = [
            *meeting_entries(),
            *minutes_entries(),
            *document_entries(),
            *point_etape_entries(),
        ]
        entries.sort(key=lambda entry: entry.published, reverse=True)
        return entries[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom summaries are typed "html": the text is escaped, its paragraphs kept.
        return linebreaks(item.description, autoescape=True)

    def item_link(self, item):
        return absolute_url(None, item.link)

    def item_guid(self, item):
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return item.categories
