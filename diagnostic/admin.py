from django.contrib import admin
from django.utils.html import format_html

from chantiers.following import notify_followers
from core.admin import DemoAdminMixin
from diagnostic import services
from diagnostic.models import (
    Axis,
    BaseAmount,
    Document,
    GlossaryEntry,
    Indicator,
    IndicatorValue,
    RevenueDiagnostic,
    RevenueItem,
    Visibility,
)


class AccessibilityFilter(admin.SimpleListFilter):
    title = "accessibilité"
    parameter_name = "accessibilite"

    def lookups(self, request, model_admin):
        return [
            ("a-traiter", "À traiter : ni accessible, ni version accessible, ni dérogation"),
            ("non-balise", "PDF non balisé"),
            ("sans-texte", "PDF sans texte (scanné)"),
            ("version", "Avec une version accessible"),
            ("derogation", "Avec une dérogation"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "a-traiter":
                return queryset.lacking_accessible_version()
            case "non-balise":
                return queryset.untagged_pdfs()
            case "sans-texte":
                return queryset.pdfs_without_text()
            case "version":
                return queryset.with_accessible_version()
            case "derogation":
                return queryset.exclude(derogation="")
        return queryset


# What the upload's reading found, one plain French line each (only for a PDF read).
PDF_READING_FIELDS = ["pdf_tagged", "pdf_language_display", "pdf_title_display", "pdf_text"]


@admin.register(Document)
class DocumentAdmin(DemoAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "visibility",
        "chantier",
        "published_on",
        "format_display",
        "accessibility_display",
        "downloads",
        "demo_label",
    ]
    list_filter = ["kind", "visibility", "chantier", AccessibilityFilter]
    list_select_related = ["chantier"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["actions"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_on"
    readonly_fields = [
        "format_display",
        "downloads",
        "thumbnail_preview",
        "created_at",
        "pdf_reading",
        *PDF_READING_FIELDS,
    ]

    def get_fieldsets(self, request, obj=None):
        read = obj is not None and obj.pdf_has_text is not None
        return [
            (None, {"fields": ["title", "slug", "kind", "summary", "chantier", "actions"]}),
            ("Fichier", {"fields": ["file", "format_display"]}),
            (
                "Accessibilité du fichier (critère 13.3 du RGAA)",
                {
                    "fields": [
                        *(PDF_READING_FIELDS if read else ["pdf_reading"]),
                        "file_is_accessible",
                        "accessible_file",
                        "accessible_url",
                        "derogation",
                        "derogation_reason",
                    ],
                    "description": (
                        "Chaque document en téléchargement doit être accessible lui-même, "
                        "avoir une version accessible (un fichier ou une page qui donne la "
                        "même information), ou relever d'une dérogation. Sans rien de cela, "
                        "la déclaration d'accessibilité le cite parmi les contenus non "
                        "accessibles."
                    ),
                },
            ),
            ("Accès", {"fields": ["visibility", "published_on", "downloads"]}),
            (
                "Couverture",
                {"fields": ["cover", "cover_alt", "thumbnail_preview"], "classes": ["collapse"]},
            ),
        ]

    def save_model(self, request, obj, form, change):
        """A PDF just uploaded is read for its accessibility as it is stored. A public
        document, new or newly public, is news for the chantier's followers (the whole
        démarche's when it belongs to no chantier); told once per document."""
        services.save_document(document=obj)
        newly_public = not change or "visibility" in form.changed_data
        if newly_public and obj.visibility == Visibility.PUBLIC:
            lines = [obj.get_kind_display()]
            if obj.summary:
                lines.append(obj.summary.strip().splitlines()[0])
            notify_followers(
                kind="documents",
                item_key=f"document:{obj.pk}",
                chantier=obj.chantier,
                subject=f"Nouveau document : {obj.title}",
                lines=lines,
                url=obj.get_absolute_url(),
                absolute_url=request.build_absolute_uri,
            )

    @admin.display(description="format")
    def format_display(self, obj):
        return obj.human_format or "pas encore de fichier"

    @admin.display(description="accessibilité")
    def accessibility_display(self, obj):
        if obj.derogation:
            return "dérogation"
        if obj.accessible_version_url:
            return "version accessible"
        if obj.file_is_accessible:
            return "accessible"
        if obj.pdf_has_text is False:
            return "PDF sans texte (scanné ?)"
        if obj.pdf_has_text is not None:
            return "PDF balisé" if obj.is_tagged else "PDF non balisé"
        return "à vérifier" if obj.has_file else ""

    @admin.display(description="analyse du fichier")
    def pdf_reading(self, obj):
        if obj is None or not obj.has_file:
            return "Un PDF est lu dès qu'il est enregistré : balisage, langue, titre, texte."
        if obj.file_format != "pdf":
            return (
                f"Seuls les PDF sont lus : vérifiez ce fichier {obj.format_label} avec le "
                "vérificateur d'accessibilité de votre traitement de texte."
            )
        if obj.pdf_checked_at is None:
            return "Pas encore lu : la commande « manage.py check_document_accessibility » le lira."
        return "Ce PDF n'a pas pu être lu : il est protégé par un mot de passe, ou endommagé."

    @admin.display(description="PDF balisé")
    def pdf_tagged(self, obj):
        if obj.is_tagged:
            return "oui"
        if obj.pdf_structure_tree:
            return "en partie : il a un arbre de structure, mais son contenu n'est pas marqué"
        if obj.pdf_marked_content:
            return "en partie : son contenu est marqué, mais il n'a pas d'arbre de structure"
        return "non – un lecteur d'écran n'y trouve ni titres, ni listes, ni ordre de lecture"

    @admin.display(description="Langue du document")
    def pdf_language_display(self, obj):
        return (
            obj.pdf_language
            or "absente – un lecteur d'écran le lira dans sa propre langue par défaut"
        )

    @admin.display(description="Titre")
    def pdf_title_display(self, obj):
        if not obj.pdf_title:
            return "absent"
        if obj.pdf_displays_title:
            return f"« {obj.pdf_title} »"
        return f"« {obj.pdf_title} » (mais le lecteur de PDF affiche le nom du fichier à sa place)"

    @admin.display(description="Texte")
    def pdf_text(self, obj):
        return "oui" if obj.pdf_has_text else "aucun – probablement un document scanné"

    @admin.display(description="vignette")
    def thumbnail_preview(self, obj):
        if not obj.cover_thumbnail:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="160">',
            obj.cover_thumbnail.url,
        )


class BaseAmountInline(admin.TabularInline):
    model = BaseAmount
    extra = 0
    min_num = 0
    max_num = 4
    fields = ["base", "amount", "source"]


class RevenueItemInline(admin.TabularInline):
    model = RevenueItem
    extra = 1
    fields = ["base", "label", "amount", "source", "order"]


@admin.register(RevenueDiagnostic)
class RevenueDiagnosticAdmin(DemoAdminMixin, admin.ModelAdmin):
    list_display = ["year", "territory", "source", "demo_label"]
    inlines = [BaseAmountInline, RevenueItemInline]
    autocomplete_fields = ["document"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["name", "slug", "unit", "higher_is_better", "order"]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True


@admin.register(Axis)
class AxisAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"key": ["name"]}
    inlines = [IndicatorInline]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 1
    fields = ["measured_on", "value", "source", "note"]


@admin.register(Indicator)
class IndicatorAdmin(DemoAdminMixin, admin.ModelAdmin):
    list_display = ["name", "axis", "unit", "higher_is_better", "demo_label"]
    list_filter = ["axis"]
    list_select_related = ["axis"]
    search_fields = ["name", "definition"]
    autocomplete_fields = ["actions"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [IndicatorValueInline]


@admin.register(GlossaryEntry)
class GlossaryEntryAdmin(DemoAdminMixin, admin.ModelAdmin):
    list_display = ["term", "demo_label"]
    search_fields = ["term", "definition"]
    prepopulated_fields = {"slug": ["term"]}
