from django import forms
from django.contrib import admin
from django.utils.html import format_html

from chantiers.following import notify_followers
from core.admin import DemoAdminMixin
from diagnostic.models import (
    Axis,
    BaseAmount,
    Document,
    GlossaryEntry,
    Indicator,
    IndicatorValue,
    PinnedReport,
    ReportPdf,
    RevenueDiagnostic,
    RevenueItem,
    Visibility,
)
from diagnostic.report import pdf as report_pdf
from diagnostic.report.period import Period
from diagnostic.report.pins import pin_report


@admin.register(Document)
class DocumentAdmin(DemoAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "visibility",
        "chantier",
        "published_on",
        "format_display",
        "downloads",
        "demo_label",
    ]
    list_filter = ["kind", "visibility", "chantier"]
    list_select_related = ["chantier"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["actions"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_on"
    readonly_fields = ["format_display", "downloads", "thumbnail_preview", "created_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "chantier", "actions"]}),
        ("Fichier", {"fields": ["file", "format_display"]}),
        ("Accès", {"fields": ["visibility", "published_on", "downloads"]}),
        (
            "Couverture",
            {"fields": ["cover", "cover_alt", "thumbnail_preview"], "classes": ["collapse"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        """A public document, new or newly public, is news for the chantier's followers
        (the whole démarche's when it belongs to no chantier); told once per document."""
        super().save_model(request, obj, form, change)
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


class PinnedReportForm(forms.ModelForm):
    """A period and a title: the report's PDF is written once, on saving."""

    title = forms.CharField(
        label="titre du document",
        max_length=200,
        help_text="Par exemple « Rapport d'activité 2026 ». Il apparaît dans les documents.",
    )
    published_on = forms.DateField(
        label="date de publication", required=False, help_text="Vide : aujourd'hui."
    )

    class Meta:
        model = PinnedReport
        fields = ["starts_on", "ends_on"]
        help_texts = {"ends_on": "Jour inclus. Le PDF est écrit d'après les données de ce jour."}

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("starts_on"), cleaned.get("ends_on")
        if first and last and last < first:
            raise forms.ValidationError("Le dernier jour précède le premier.")
        reason = report_pdf.unavailable_reason()
        if reason:
            raise forms.ValidationError(reason)
        return cleaned


@admin.register(PinnedReport)
class PinnedReportAdmin(admin.ModelAdmin):
    """Pinning writes the report's PDF into a new document; it is never changed after."""

    form = PinnedReportForm
    list_display = ["document", "starts_on", "ends_on", "pinned_at"]
    list_select_related = ["document"]
    readonly_fields = ["document", "starts_on", "ends_on", "pinned_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj else ["title", "starts_on", "ends_on", "published_on"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        pin_report(
            pinned=obj,
            title=form.cleaned_data["title"],
            period=Period(form.cleaned_data["starts_on"], form.cleaned_data["ends_on"]),
            published_on=form.cleaned_data["published_on"],
        )


@admin.register(ReportPdf)
class ReportPdfAdmin(admin.ModelAdmin):
    """The PDFs the worker built or is building: to see, not to edit."""

    list_display = ["__str__", "state", "requested_at", "built_at", "file_size"]
    list_filter = ["state"]
    fields = readonly_fields = [
        "starts_on",
        "ends_on",
        "content_version",
        "state",
        "file",
        "file_size",
        "requested_at",
        "claimed_at",
        "built_at",
        "error",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
