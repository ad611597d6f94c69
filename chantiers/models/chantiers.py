"""Chantiers: the démarche's subjects, each with its ecosystem and its meetings."""

import logging

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value, Window
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from chantiers import images
from core.cache import bump_content_version
from core.demo import DemoFlag
from core.links import slug_url

logger = logging.getLogger(__name__)


class ChantierStatus(models.TextChoices):
    IN_CONSTRUCTION = "en_construction", "En construction"
    IN_ACTION = "en_action", "En action"
    PAUSED = "en_pause", "En pause"
    FINISHED = "termine", "Terminé"
    UNKNOWN = "a_preciser", "À préciser"


# What a link to a chantier needs (ChantierQuerySet.as_links()).
LINK_FIELDS = ("is_demo", "slug", "order", "title", "demo_title")


class ChantierQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("order", "title")

    def as_links(self):
        """Only what a link to the chantier shows (its address, name and demo label):
        lists of many chantiers skip the cover, its renditions and the long texts."""
        return self.only(*LINK_FIELDS)

    def with_status(self, status):
        return self.filter(status=status)

    def with_actor_count(self):
        """Annotate actor_count, counted by a subquery for each chantier read: a page of
        cards counts the memberships of its own chantiers only, not of all of them."""
        from chantiers.models.ecosystem import EcosystemMembership

        counted = (
            EcosystemMembership.objects.filter(chantier=OuterRef("pk"))
            .order_by()
            .values("chantier")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(
            actor_count=Coalesce(Subquery(counted), Value(0), output_field=IntegerField())
        )

    def with_next_meeting_ids(self, now=None):
        """Annotate next_intersession_id and next_session_id: the next meeting (not
        cancelled) through each of the two relations (`intersessions`, `sessions`).

        Two subqueries rather than one over `Meeting.objects.for_chantier()`: an OR across
        the foreign key and the many-to-many table defeats the indexes, and at 20,000
        meetings the list of chantiers spent half a second in it.
        """
        from chantiers.models.meetings import Meeting  # the two modules refer to each other

        upcoming = Meeting.objects.upcoming(now).not_cancelled().order_by("starts_at")
        return self.annotate(
            next_intersession_id=Subquery(
                upcoming.filter(chantier=OuterRef("pk")).values("pk")[:1]
            ),
            next_session_id=Subquery(upcoming.filter(chantiers=OuterRef("pk")).values("pk")[:1]),
        )

    def as_cards(self, now=None):
        """The chantiers as a list, each with actor_count and next_meeting (the earlier of
        its next intersession and next session), in two queries."""
        return _with_next_meetings(list(self.with_actor_count().with_next_meeting_ids(now)))

    def cards_page(self, number, size, now=None):
        """(cards, total): the chantiers of page `number` (from 1) as cards (as_cards),
        and how many there are in all, counted in the same query; no cards past the end."""
        rows = (
            self.with_actor_count()
            .with_next_meeting_ids(now)
            .annotate(total_count=Window(Count("pk")))
        )
        cards = _with_next_meetings(list(rows[(number - 1) * size : number * size]))
        return cards, (cards[0].total_count if cards else None)


def _with_next_meetings(chantiers):
    """Each chantier (with next_intersession_id and next_session_id) gets next_meeting,
    the earlier of the two, read in one query for them all."""
    from chantiers.models.meetings import Meeting  # the two modules refer to each other

    ids = {pk for c in chantiers for pk in (c.next_intersession_id, c.next_session_id) if pk}
    meetings = Meeting.objects.in_bulk(ids)
    for chantier in chantiers:
        candidates = [
            meetings[pk]
            for pk in (chantier.next_intersession_id, chantier.next_session_id)
            if pk in meetings
        ]
        chantier.next_meeting = min(candidates, key=lambda m: m.starts_at, default=None)
    return chantiers


class Chantier(DemoFlag):
    title = models.CharField("intitulé", max_length=200)
    slug = models.SlugField("adresse (slug)", max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(
        "ordre d'affichage", default=0, help_text="Les plus petits nombres d'abord."
    )
    summary = models.CharField("résumé", max_length=400, blank=True)
    description = models.TextField(
        "description",
        blank=True,
        help_text=(
            "Texte en Markdown : **gras**, *italique*, listes avec « - », liens [texte](adresse)."
        ),
    )
    status = models.CharField(
        "état", max_length=20, choices=ChantierStatus.choices, default=ChantierStatus.UNKNOWN
    )
    started_on = models.DateField("début", null=True, blank=True)
    ended_on = models.DateField("fin", null=True, blank=True)
    cover = models.ImageField(
        "image de couverture",
        upload_to="chantiers/",
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
        validators=[images.validate_cover],
        help_text=images.COVER_HELP_TEXT,
    )
    cover_width = models.PositiveIntegerField(editable=False, null=True)
    cover_height = models.PositiveIntegerField(editable=False, null=True)
    # Smaller WebP copies of the cover for srcset, rebuilt whenever the cover changes:
    # a list of {"width", "height", "name"} (name in the default storage).
    cover_renditions = models.JSONField(default=list, blank=True, editable=False)
    cover_alt = models.CharField(
        "texte alternatif de l'image",
        max_length=250,
        blank=True,
        help_text=(
            "Décrit l'image pour les personnes qui ne la voient pas ; vide si elle est décorative."
        ),
    )
    # Demonstration names for chantiers whose real names are unknown (FACTS.md):
    # shown, labelled as demo, while demo content is loaded; cleared on removal.
    demo_title = models.CharField(
        "intitulé de démonstration", max_length=200, blank=True, editable=False
    )
    demo_summary = models.CharField(
        "résumé de démonstration", max_length=400, blank=True, editable=False
    )
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = HistoricalRecords(excluded_fields=["demo_title", "demo_summary", "cover_renditions"])

    objects = ChantierQuerySet.as_manager()

    class Meta:
        verbose_name = "chantier"
        verbose_name_plural = "chantiers"
        ordering = ["order", "title"]

    def __str__(self):
        return self.display_title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        current = self.cover.name or ""
        previous = getattr(self, "_loaded_cover_name", "")
        if current != previous or (current and not self.cover_renditions):
            self.refresh_cover_renditions()
        self._loaded_cover_name = current

    def get_absolute_url(self):
        return slug_url("chantiers:chantier_detail", self.slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the cover as loaded, so save() knows when renditions must be rebuilt.
        if "cover" in field_names:
            instance._loaded_cover_name = values[field_names.index("cover")] or ""
        return instance

    def get_ics_url(self):
        return slug_url("chantiers:chantier_ics", self.slug)

    @property
    def display_title(self):
        return self.demo_title or self.title

    @property
    def display_summary(self):
        return self.demo_summary or self.summary

    @property
    def has_demo_name(self):
        return bool(self.demo_title)

    def refresh_cover_renditions(self):
        """Replace the cover's renditions by new ones built from the current cover."""
        images.delete_renditions(self.cover_renditions, self.cover.storage)
        renditions = []
        if self.cover:
            try:
                renditions = images.build_renditions(self.cover)
            except (OSError, ValueError) as error:
                # A cover that cannot be resized is still shown, at its own size.
                logger.warning("Renditions impossibles pour %s : %s", self.cover.name, error)
        self.cover_renditions = renditions
        type(self).objects.filter(pk=self.pk).update(cover_renditions=renditions)
        # Written after the save's own signal: the pages with the cover go stale again.
        bump_content_version()

    @property
    def cover_srcset(self):
        storage = self.cover.storage
        return ", ".join(f"{storage.url(r['name'])} {r['width']}w" for r in self.cover_renditions)

    def _fallback_rendition(self):
        """The largest rendition up to 960 px: what browsers without srcset get."""
        fitting = [r for r in self.cover_renditions if r["width"] <= 960]
        return fitting[-1] if fitting else self.cover_renditions[0]

    @property
    def cover_src(self):
        if self.cover_renditions:
            return self.cover.storage.url(self._fallback_rendition()["name"])
        return self.cover.url if self.cover else ""

    @property
    def cover_size(self):
        """Width and height of the image at cover_src, so the page does not jump."""
        if self.cover_renditions:
            rendition = self._fallback_rendition()
            return rendition["width"], rendition["height"]
        return self.cover_width, self.cover_height
