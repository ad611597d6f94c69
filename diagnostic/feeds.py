"""Atom feed of new public documents."""

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from diagnostic.models import Document


class LatestDocumentsFeed(Feed):
    feed_type = Atom1Feed
    title = "Documents du projet de territoire – PETR Figeac Quercy Vallée de la Dordogne"
    subtitle = "Les derniers documents publics du projet de territoire."
    language = "fr"

    def author_name(self):
        # RFC 4287 (4.1.1) requires an author in the feed or in every entry: the body
        # publishes every document.
        return settings.PORTAL["BODY_NAME"]

    def link(self):
        return reverse("diagnostic:document_list")

    def feed_url(self):
        return reverse("diagnostic:documents_feed")

    def items(self):
        # Only public documents, and only those whose file can be downloaded.
        return Document.objects.public().exclude(file="").with_related().in_order()[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        parts = [item.get_kind_display()]
        if item.chantier:
            parts.append(f"chantier « {item.chantier} »")
        parts.append(item.human_format)
        text = " – ".join(parts)
        return f"{item.summary}\n\n{text}" if item.summary else text

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"tag:petr-fqvd.fr,2026:document:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        if item.published_on:
            return timezone.make_aware(datetime.combine(item.published_on, time(9)))
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.get_kind_display()]
