"""Documents and reports: who may see them, and their files."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q

from chantiers.models import Chantier
from core import roles
from core.cache import bump_content_version
from core.demo import DemoFlag
from core.links import slug_url
from diagnostic import files


def may_see_reserved(user):
    """Élus and staff see the documents reserved to elected officials."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or roles.is_elu(user)


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


class Derogation(models.TextChoices):
    """The two headings under which the declaration's official model lists documents that
    have no accessible version by right; the reason is written by the team."""

    DISPROPORTIONATE_BURDEN = "charge_disproportionnee", "Dérogation pour charge disproportionnée"
    NOT_SUBJECT = "non_soumis", "Contenu non soumis à l'obligation d'accessibilité"


# The office formats RGAA's glossary (« version accessible ») names: a CSV is data, read
# as text by any tool, not an office document that needs an accessible version.
OFFICE_FORMATS = ("pdf", "odt", "docx", "xlsx")

_PAGE_ADDRESS_MESSAGE = (
    "Donnez l'adresse d'une page : elle commence par « / » pour une page du portail "
    "(par exemple /diagnostic/) ou par « https:// »."
)


def validate_page_address(value):
    """A page of the portal (« /diagnostic/ ») or of another site (« https://… »)."""
    if value.startswith("/") and not value.startswith("//") and " " not in value:
        return
    URLValidator(schemes=["http", "https"], message=_PAGE_ADDRESS_MESSAGE)(value)


class DocumentQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("chantier")

    def in_order(self):
        # Newest first; entries without a known date (files still to come) last.
        return self.order_by(F("published_on").desc(nulls_last=True), "-created_at", "title")

    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)

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

    def lacking_accessible_version(self):
        """Office files (RGAA 13.3) not declared accessible themselves, with no accessible
        version (file or page) and no derogation: what is left to do."""
        return self.filter(
            file_format__in=OFFICE_FORMATS,
            file_is_accessible=False,
            accessible_file="",
            accessible_url="",
            derogation="",
        ).exclude(file="")

    def untagged_pdfs(self):
        """PDFs read and found without a structure tree or marked content."""
        return self.filter(pdf_has_text__isnull=False).exclude(
            pdf_structure_tree=True, pdf_marked_content=True
        )

    def pdfs_without_text(self):
        """PDFs read and found without text: scans, most likely."""
        return self.filter(pdf_has_text=False)

    def with_accessible_version(self):
        return self.exclude(accessible_file="", accessible_url="")

    def without_accessible_version(self):
        """The public documents (what a visitor who is not signed in may download) left
        to do under RGAA 13.3: not accessible themselves, no accessible version, no
        derogation. The declaration lists them under « contenus non accessibles », by
        title, with their chantier."""
        return self.public().lacking_accessible_version().with_related().order_by("title", "pk")

    def with_derogation(self):
        """The public documents under a derogation, by heading then title."""
        return self.public().exclude(derogation="").with_related().order_by("derogation", "title")


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
    # Declared here rather than on Action: chantiers knows nothing of diagnostic.
    actions = models.ManyToManyField(
        "chantiers.Action",
        verbose_name="actions concernées",
        related_name="documents",
        blank=True,
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
    # What the PDF says of its accessibility, read when it is uploaded
    # (diagnostic.services.record_pdf_accessibility); None: not a PDF, or not read.
    pdf_checked_at = models.DateTimeField("PDF analysé le", null=True, editable=False)
    pdf_structure_tree = models.BooleanField("arbre de structure", null=True, editable=False)
    pdf_marked_content = models.BooleanField("contenu marqué", null=True, editable=False)
    pdf_language = models.CharField("langue du PDF", max_length=35, blank=True, editable=False)
    pdf_title = models.CharField("titre du PDF", max_length=300, blank=True, editable=False)
    pdf_displays_title = models.BooleanField(
        "titre affiché à l'ouverture", null=True, editable=False
    )
    pdf_has_text = models.BooleanField("texte", null=True, editable=False)
    # RGAA 13.3: the file is accessible itself, or has an accessible version, or a
    # derogation covers it.
    file_is_accessible = models.BooleanField(
        "le fichier lui-même est accessible",
        default=False,
        help_text=(
            "Cochez seulement après l'avoir vérifié (PAC pour un PDF, le vérificateur "
            "d'accessibilité du traitement de texte pour un document bureautique)."
        ),
    )
    accessible_file = models.FileField(
        "version accessible : fichier",
        upload_to=files.accessible_upload_to,
        max_length=200,
        blank=True,
        validators=[files.validate_document_file],
        help_text="Un fichier accessible qui donne la même information (PDF balisé, ODT…).",
    )
    accessible_file_format = models.CharField(
        "format de la version accessible",
        max_length=10,
        choices=files.FORMAT_CHOICES,
        blank=True,
        editable=False,
    )
    accessible_url = models.CharField(
        "version accessible : adresse d'une page",
        max_length=500,
        blank=True,
        validators=[validate_page_address],
        help_text="Une page qui donne la même information, par exemple /diagnostic/.",
    )
    derogation = models.CharField(
        "dérogation", max_length=30, choices=Derogation.choices, blank=True
    )
    derogation_reason = models.TextField(
        "motif de la dérogation",
        blank=True,
        help_text="Repris dans la déclaration d'accessibilité.",
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
    def has_file(self):
        return bool(self.file)

    @property
    def accessible_version_url(self):
        """Where the accessible version is: its download, or the page; "" without one."""
        if self.accessible_file:
            return slug_url("diagnostic:document_accessible_download", self.slug)
        return self.accessible_url

    @property
    def is_tagged(self):
        """Structure tree and marked content both: what « PDF balisé » means."""
        return bool(self.pdf_structure_tree and self.pdf_marked_content)

    @property
    def accessible_download_filename(self):
        name = self.download_filename.rsplit(".", 1)[0]
        return f"{name} (version accessible).{files.extension(self.accessible_file_format)}"

    @property
    def accessible_content_type(self):
        return files.content_type(self.accessible_file_format)

    def clean(self):
        super().clean()
        has_version = bool(self.accessible_file or self.accessible_url)
        errors = {}
        if self.accessible_file and self.accessible_url:
            errors["accessible_url"] = (
                "Une seule version accessible : un fichier ou l'adresse d'une page, pas les "
                "deux. Effacez l'un des deux."
            )
        if self.derogation and (has_version or self.file_is_accessible):
            errors["derogation"] = (
                "Une dérogation couvre un document qui n'a pas de version accessible : "
                "retirez la dérogation, ou retirez la version accessible (et la case « le "
                "fichier lui-même est accessible »), selon ce qui est vrai."
            )
        if self.derogation and not self.derogation_reason.strip():
            errors["derogation_reason"] = (
                "Donnez le motif de la dérogation : la déclaration d'accessibilité le reprend."
            )
        if self.derogation_reason.strip() and not self.derogation:
            errors["derogation_reason"] = (
                "Ce motif n'accompagne aucune dérogation : choisissez la dérogation ou "
                "effacez le motif."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def format_label(self):
        return files.FORMATS[self.file_format][0] if self.file_format in files.FORMATS else ""

    @property
    def content_type(self):
        return files.content_type(self.file_format)

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
        return f"{name[:150]}.{files.extension(self.file_format)}"

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
            bump_content_version()

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
        # Its format names it in storage (accessible_upload_to) and in the download.
        if self.accessible_file and not self.accessible_file._committed:
            self.accessible_file_format = files.detect_format(self.accessible_file) or ""
        elif not self.accessible_file:
            self.accessible_file_format = ""

    def _make_thumbnail(self):
        if self.cover_thumbnail:
            self.cover_thumbnail.delete(save=False)
        data = files.make_thumbnail(self.cover)
        self.cover_thumbnail.save("miniature.jpg", ContentFile(data), save=False)
        type(self).objects.filter(pk=self.pk).update(cover_thumbnail=self.cover_thumbnail.name)
        # Written after the save's own signal: the pages with the cover go stale again.
        bump_content_version()

    def delete_files(self):
        for field in (self.file, self.accessible_file, self.cover, self.cover_thumbnail):
            if field:
                field.delete(save=False)

    def count_download(self, user):
        """Add one download, atomically, unless a staff member downloads."""
        if user.is_authenticated and user.is_staff:
            return False
        # No page shows the count (only the admin): the page cache is left alone.
        type(self).objects.filter(pk=self.pk).update(downloads=F("downloads") + 1)
        return True
