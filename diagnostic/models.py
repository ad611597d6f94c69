"""Documents and reports, the revenue-flow diagnostic and the Bonheur Local Brut indicators."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import models
from django.db.models import F, Prefetch, Q

from chantiers.links import slug_url
from chantiers.models import Chantier, DemoFlag
from diagnostic import files

ELUS_GROUP = "Élus"


def may_see_reserved(user):
    """Élus and staff see the documents reserved to elected officials.

    The answer is kept on the user object: templates and views ask more than once.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    cached = getattr(user, "_diagnostic_may_see_reserved", None)
    if cached is None:
        cached = user.groups.filter(name=ELUS_GROUP).exists()
        user._diagnostic_may_see_reserved = cached
    return cached


# ---------------------------------------------------------------------------
# Documents


class DocumentKind(models.TextChoices):
    DIAGNOSTIC = "diagnostic", "Diagnostic socio-économique"
    FINAL_REPORT = "rapport_final", "Rapport final"
    MINUTES = "compte_rendu", "Compte rendu"
    STUDY = "etude", "Étude"
    OTHER = "autre", "Autre"


# "Every report", as listed in the Mon espace of an élu.
REPORT_KINDS = (DocumentKind.DIAGNOSTIC, DocumentKind.FINAL_REPORT)


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    RESERVED = "elus", "Réservé aux élus"


class DocumentQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("chantier")

    def in_order(self):
        # Newest first; entries without a known date (files still to come) last.
        return self.order_by(F("published_on").desc(nulls_last=True), "-created_at", "title")

    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)

    def reserved(self):
        return self.filter(visibility=Visibility.RESERVED)

    def reports(self):
        return self.filter(kind__in=REPORT_KINDS)

    def visible_to(self, user):
        """What this person may see: everything for élus and staff, the public rest otherwise."""
        return self if may_see_reserved(user) else self.public()

    def for_elected_officials(self):
        """Mon espace of an élu: the reserved documents and every report."""
        return (
            self.filter(Q(visibility=Visibility.RESERVED) | Q(kind__in=REPORT_KINDS))
            .with_related()
            .in_order()
        )

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def for_chantier(self, chantier):
        return self.filter(chantier=chantier)

    def latest_public(self, count=5):
        return self.public().with_related().in_order()[:count]


class Document(DemoFlag):
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField(
        "adresse (slug)",
        max_length=200,
        unique=True,
        help_text="Sert dans l'adresse de téléchargement : lettres, chiffres et tirets.",
    )
    kind = models.CharField("type", max_length=20, choices=DocumentKind.choices)
    summary = models.TextField("résumé", blank=True)
    file = models.FileField(
        "fichier",
        upload_to=files.document_upload_to,
        max_length=200,
        blank=True,
        validators=[files.validate_document_file],
        help_text=(
            "PDF, ODT, DOCX, XLSX ou CSV, reconnu d'après son contenu. "
            "Laissez vide tant que le fichier n'est pas prêt : la page l'indiquera."
        ),
    )
    file_format = models.CharField(
        "format", max_length=10, choices=files.FORMAT_CHOICES, blank=True, editable=False
    )
    file_size = models.PositiveBigIntegerField("taille (octets)", null=True, editable=False)
    page_count = models.PositiveIntegerField("nombre de pages", null=True, editable=False)
    cover = models.ImageField(
        "image de couverture",
        upload_to=files.cover_upload_to,
        max_length=200,
        blank=True,
        validators=[files.validate_cover_image],
        help_text="Facultative : JPEG, PNG ou WebP. Une vignette est créée automatiquement.",
    )
    cover_thumbnail = models.ImageField(
        "vignette", upload_to=files.thumbnail_upload_to, max_length=200, blank=True, editable=False
    )
    cover_alt = models.CharField(
        "texte alternatif de l'image",
        max_length=250,
        blank=True,
        help_text="Décrit l'image ; laissez vide si elle est décorative.",
    )
    published_on = models.DateField(
        "date de publication",
        null=True,
        blank=True,
        help_text="Vide tant qu'elle n'est pas connue : la page indique « à préciser ».",
    )
    chantier = models.ForeignKey(
        Chantier,
        verbose_name="chantier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    visibility = models.CharField(
        "visibilité", max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    downloads = models.PositiveIntegerField(
        "téléchargements",
        default=0,
        editable=False,
        help_text="Téléchargements hors équipe (ceux du personnel ne sont pas comptés).",
    )
    created_at = models.DateTimeField("ajouté le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documents"
        ordering = [F("published_on").desc(nulls_last=True), "-created_at", "title"]
        indexes = [models.Index(fields=["visibility", "kind"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("diagnostic:document_download", self.slug)

    @property
    def download_url(self):
        return self.get_absolute_url()

    @property
    def is_reserved(self):
        return self.visibility == Visibility.RESERVED

    @property
    def is_report(self):
        return self.kind in REPORT_KINDS

    @property
    def has_file(self):
        return bool(self.file)

    @property
    def format_label(self):
        return files.FORMATS[self.file_format][0] if self.file_format in files.FORMATS else ""

    @property
    def content_type(self):
        if self.file_format in files.FORMATS:
            return files.FORMATS[self.file_format][1]
        return "application/octet-stream"

    @property
    def human_format(self):
        """« PDF, 2,3 Mo, 48 pages »."""
        if not self.has_file:
            return ""
        parts = [self.format_label, files.human_size(self.file_size)]
        if self.page_count:
            parts.append(f"{self.page_count}\u00a0page" + ("s" if self.page_count > 1 else ""))
        return ", ".join(part for part in parts if part)

    @property
    def download_filename(self):
        """The French title as a file name: what the person sees in their downloads."""
        forbidden = '/\\:*?"<>|'
        name = "".join(" " if c in forbidden or ord(c) < 32 else c for c in self.title)
        name = " ".join(name.split()).strip(" .") or "document"
        extension = files.FORMATS.get(self.file_format, (None, None, "bin"))[2]
        return f"{name[:150]}.{extension}"

    def save(self, *args, **kwargs):
        self._inspect_new_file()
        new_cover = bool(self.cover) and not self.cover._committed
        if new_cover:
            self._cover_extension = files.image_extension(self.cover)
        super().save(*args, **kwargs)
        if new_cover:
            self._make_thumbnail()
        elif not self.cover and self.cover_thumbnail:
            self.cover_thumbnail.delete(save=False)
            type(self).objects.filter(pk=self.pk).update(cover_thumbnail="")

    def _inspect_new_file(self):
        if self.file and not self.file._committed:
            info = files.inspect_document(self.file)
            self.file_format, self.file_size, self.page_count = (
                info.format,
                info.size,
                info.page_count,
            )
        elif not self.file:
            self.file_format, self.file_size, self.page_count = "", None, None

    def _make_thumbnail(self):
        if self.cover_thumbnail:
            self.cover_thumbnail.delete(save=False)
        data = files.make_thumbnail(self.cover)
        self.cover_thumbnail.save("miniature.jpg", ContentFile(data), save=False)
        type(self).objects.filter(pk=self.pk).update(cover_thumbnail=self.cover_thumbnail.name)

    def delete_files(self):
        for field in (self.file, self.cover, self.cover_thumbnail):
            if field:
                field.delete(save=False)

    def count_download(self, user):
        """Add one download, atomically, unless a staff member downloads."""
        if user.is_authenticated and user.is_staff:
            return False
        type(self).objects.filter(pk=self.pk).update(downloads=F("downloads") + 1)
        return True


# ---------------------------------------------------------------------------
# The revenue-flow diagnostic (théorie de la base, Davezies and Talandier)


class RevenueBase(models.TextChoices):
    PRODUCTIVE = "productive", "Base productive"
    PUBLIC = "publique", "Base publique"
    SOCIAL = "sociale_sanitaire", "Base sociale et sanitaire"
    RESIDENTIAL = "residentielle", "Base résidentielle"


# National reference averages (FACTS.md): Laurent Davezies, quoted in Sénat report r12-271.
NATIONAL_REFERENCE = {
    RevenueBase.PRODUCTIVE: Decimal("22"),
    RevenueBase.PUBLIC: Decimal("10"),
    RevenueBase.SOCIAL: Decimal("23"),
    RevenueBase.RESIDENTIAL: Decimal("45"),
}
NATIONAL_REFERENCE_SOURCE = (
    "Laurent Davezies, moyennes citées dans le rapport d'information du Sénat r12-271"
)
BASE_ORDER = [
    RevenueBase.PRODUCTIVE,
    RevenueBase.PUBLIC,
    RevenueBase.SOCIAL,
    RevenueBase.RESIDENTIAL,
]


class RevenueDiagnosticQuerySet(models.QuerySet):
    def with_figures(self):
        return self.prefetch_related(
            Prefetch("amounts", queryset=BaseAmount.objects.order_by("base")),
            Prefetch("items", queryset=RevenueItem.objects.order_by("base", "order", "label")),
        ).select_related("document")

    def real(self):
        return self.filter(is_demo=False)

    def in_order(self):
        # Real figures before demo ones, the latest year first.
        return self.order_by("is_demo", "-year")


class RevenueDiagnostic(DemoFlag):
    """The territory's revenues for one year, by economic base."""

    year = models.PositiveSmallIntegerField("année")
    territory = models.CharField(
        "territoire",
        max_length=200,
        default="PETR Figeac Quercy Vallée de la Dordogne",
    )
    source = models.CharField(
        "source principale",
        max_length=300,
        blank=True,
        help_text="Par exemple l'étude ou la base de données d'où viennent les montants.",
    )
    notes = models.TextField("remarques de méthode", blank=True)
    document = models.ForeignKey(
        Document,
        verbose_name="document du diagnostic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revenue_diagnostics",
        limit_choices_to={"kind": DocumentKind.DIAGNOSTIC},
    )
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = RevenueDiagnosticQuerySet.as_manager()

    class Meta:
        verbose_name = "diagnostic des flux de revenus"
        verbose_name_plural = "diagnostics des flux de revenus"
        ordering = ["is_demo", "-year"]
        constraints = [
            # Demo figures never block the team from entering the real ones for a year.
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(is_demo=False),
                name="one_real_revenue_diagnostic_per_year",
                violation_error_message="Les chiffres de cette année existent déjà.",
            )
        ]

    def __str__(self):
        label = f"Flux de revenus {self.year}"
        return f"{label} (démo)" if self.is_demo else label

    def shares(self):
        """One row per base, in a fixed order: amount, share of the total, national reference.

        Uses the prefetched amounts and items: no query per base.
        """
        amounts = {amount.base: amount for amount in self.amounts.all()}
        items = {}
        for item in self.items.all():
            items.setdefault(item.base, []).append(item)
        total = sum((a.amount for a in amounts.values()), Decimal(0))
        rows = []
        for base in BASE_ORDER:
            amount = amounts.get(base)
            value = amount.amount if amount else None
            share = None
            if value is not None and total:
                share = (value * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            rows.append(
                {
                    "base": base,
                    "label": RevenueBase(base).label,
                    "amount": value,
                    "share": share,
                    "reference": NATIONAL_REFERENCE[base],
                    "source": amount.source if amount else "",
                    "items": items.get(base, []),
                }
            )
        return rows

    @property
    def total(self):
        return sum((a.amount for a in self.amounts.all()), Decimal(0))


class BaseAmount(DemoFlag):
    diagnostic = models.ForeignKey(
        RevenueDiagnostic, on_delete=models.CASCADE, related_name="amounts"
    )
    base = models.CharField("base", max_length=20, choices=RevenueBase.choices)
    amount = models.DecimalField(
        "montant (euros)", max_digits=15, decimal_places=0, help_text="En euros, sans centimes."
    )
    source = models.CharField("source", max_length=300, blank=True)

    class Meta:
        verbose_name = "montant d'une base"
        verbose_name_plural = "montants par base"
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "base"], name="one_amount_per_base"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="base_amount_not_negative",
                violation_error_message="Un montant ne peut pas être négatif.",
            ),
        ]

    def __str__(self):
        return f"{self.get_base_display()} : {self.amount} €"


class RevenueItem(DemoFlag):
    """A detail of a base: pensions, tourist spending, commuters' wages..."""

    diagnostic = models.ForeignKey(
        RevenueDiagnostic, on_delete=models.CASCADE, related_name="items"
    )
    base = models.CharField("base", max_length=20, choices=RevenueBase.choices)
    label = models.CharField("poste", max_length=200)
    amount = models.DecimalField("montant (euros)", max_digits=15, decimal_places=0)
    source = models.CharField("source", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "poste détaillé"
        verbose_name_plural = "postes détaillés"
        ordering = ["base", "order", "label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="revenue_item_not_negative",
                violation_error_message="Un montant ne peut pas être négatif.",
            ),
        ]

    def __str__(self):
        return self.label


# ---------------------------------------------------------------------------
# Bonheur Local Brut


class Axis(models.Model):
    """One of the four axes of the BLB compass (FACTS.md)."""

    key = models.SlugField("identifiant", max_length=40, unique=True)
    name = models.CharField("nom", max_length=100)
    description = models.TextField("description", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "axe de la boussole"
        verbose_name_plural = "axes de la boussole"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class IndicatorQuerySet(models.QuerySet):
    def with_values(self):
        return self.select_related("axis").prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("measured_on"))
        )


class Indicator(DemoFlag):
    axis = models.ForeignKey(
        Axis, verbose_name="axe", on_delete=models.PROTECT, related_name="indicators"
    )
    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant", max_length=200, unique=True)
    definition = models.TextField("définition", blank=True)
    unit = models.CharField("unité", max_length=60, blank=True)
    method = models.TextField("méthode de calcul", blank=True)
    higher_is_better = models.BooleanField(
        "plus c'est haut, mieux c'est",
        default=True,
        help_text="Décochez quand une baisse est souhaitable (consommation d'énergie...).",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["axis__order", "order", "name"]

    def __str__(self):
        return self.name

    def series(self):
        """Values in date order (prefetched by with_values())."""
        return list(self.values.all())

    @property
    def latest(self):
        values = self.series()
        return values[-1] if values else None

    @property
    def trend(self):
        """« hausse », « baisse » or « stable » with whether that is good, or None."""
        values = self.series()
        if len(values) < 2:
            return None
        before, last = values[-2].value, values[-1].value
        if last == before:
            return {"direction": "stable", "label": "stable", "good": None}
        up = last > before
        good = up if self.higher_is_better else not up
        return {
            "direction": "up" if up else "down",
            "label": "en hausse" if up else "en baisse",
            "good": good,
        }


class IndicatorValue(DemoFlag):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    measured_on = models.DateField("date de la mesure")
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    source = models.CharField("source", max_length=300)
    note = models.CharField("remarque", max_length=300, blank=True)

    class Meta:
        verbose_name = "valeur d'un indicateur"
        verbose_name_plural = "valeurs des indicateurs"
        ordering = ["indicator", "measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"],
                name="one_value_per_indicator_and_date",
                violation_error_message="Une valeur existe déjà à cette date pour cet indicateur.",
            )
        ]

    def __str__(self):
        return f"{self.indicator} – {self.measured_on:%d/%m/%Y} : {self.value}"


class GlossaryEntry(DemoFlag):
    """An entry of the « Glossaire du BLB »."""

    term = models.CharField("terme", max_length=120)
    slug = models.SlugField("identifiant", max_length=140, unique=True)
    definition = models.TextField("définition")

    class Meta:
        verbose_name = "entrée du glossaire"
        verbose_name_plural = "glossaire du BLB"
        ordering = ["term"]

    def __str__(self):
        return self.term
