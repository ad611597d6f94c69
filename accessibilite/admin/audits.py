"""Audits in the admin: what was audited and how, the sample of pages (the seven pages the
RGAA requires proposed on a new audit), and the warning before the published audit stops
counting. The grid's screens are in admin/grid.py."""

from django.conf import settings
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html

from accessibilite import services
from accessibilite.admin.grid import GridViews
from accessibilite.declaration import current_statement, expiry_warning
from accessibilite.models import Audit, AuditEnvironment, RgaaVersion, SamplePage

# The pages the RGAA asks every sample to hold (accueil, contact, mentions légales,
# accessibilité, plan du site, aide, authentification), with the site's address where the
# portal has such a page, and the row for what every page shares. The team removes those
# the site does not have and adds the pages that matter.
REQUIRED_PAGES = (
    ("Accueil", "home"),
    ("Contact", None),
    ("Mentions légales", "legal_notice"),
    ("Accessibilité", "accessibilite:declaration"),
    ("Plan du site", None),
    ("Aide", None),
    ("Authentification", "accounts:login"),
    ("Éléments transverses", None),
)


def proposed_pages():
    return [
        {"order": index, "name": name, "url": reverse(route) if route else ""}
        for index, (name, route) in enumerate(REQUIRED_PAGES, start=1)
    ]


class SamplePageInline(admin.TabularInline):
    model = SamplePage
    fields = ["order", "name", "url"]
    verbose_name = "page de l'échantillon"
    verbose_name_plural = "échantillon de pages (« éléments transverses » : en-tête, pied de page…)"

    def get_extra(self, request, obj=None, **kwargs):
        return len(REQUIRED_PAGES) if obj is None else 1


class AuditEnvironmentInline(admin.TabularInline):
    model = AuditEnvironment
    fields = ["assistive_technology", "browser", "system"]
    extra = 1


@admin.register(Audit)
class AuditAdmin(GridViews, admin.ModelAdmin):
    list_display = [
        "__str__",
        "auditor",
        "conformity_label",
        "published_label",
        "grid_link",
    ]
    list_filter = ["version"]
    date_hierarchy = "audited_on"
    inlines = [SamplePageInline, AuditEnvironmentInline]
    readonly_fields = ["published_at", "conformity_label", "grid_link"]
    fieldsets = [
        (None, {"fields": ["version", "audited_on", "auditor", "scope"]}),
        ("Résultat", {"fields": ["conformity_label", "grid_link", "published_at"]}),
        ("Conditions de l'audit", {"fields": ["technologies", "tools"]}),
        ("Contenus non accessibles", {"fields": ["derogations", "exempt_contents"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [fieldset for fieldset in self.fieldsets if fieldset[0] != "Résultat"]
        return self.fieldsets

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("scope", settings.PORTAL.get("SITE_URL", ""))
        latest = RgaaVersion.objects.first()
        if latest is not None:
            initial.setdefault("version", latest.pk)
        return initial

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # Proposed on the empty form only: on a post, rows left as proposed must count as
        # typed, or the formset would drop them as unchanged.
        if isinstance(inline, SamplePageInline) and obj.pk is None and request.method == "GET":
            kwargs["initial"] = proposed_pages()
        return kwargs

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Pages added or removed change what is left to test.
        services.refresh_conformity(form.instance)

    @admin.display(description="conformité")
    def conformity_label(self, audit):
        conformity = audit.conformity()
        if not conformity.complete:
            count = conformity.not_tested
            return f"{count} critère{'s' if count > 1 else ''} à tester"
        if conformity.percent is None:
            return conformity.level.label
        return f"{number_format(conformity.percent, 2)}\u00a0% : {conformity.level.label}"

    @admin.display(description="publication", ordering="published_at")
    def published_label(self, audit):
        if audit.published_at is None:
            return "non publié"
        return f"publié le {timezone.localtime(audit.published_at):%d/%m/%Y}"

    @admin.display(description="grille")
    def grid_link(self, audit):
        if audit.pk is None:
            return "–"
        url = reverse("admin:accessibilite_audit_grid", args=[audit.pk])
        return format_html('<a href="{}">Ouvrir la grille</a>', url)

    def _warn_before_expiry(self, request):
        today = timezone.localdate()
        warning = expiry_warning(current_statement(today), today)
        if warning:
            self.message_user(request, warning, messages.WARNING)

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            self._warn_before_expiry(request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            self._warn_before_expiry(request)
        return super().change_view(request, object_id, form_url, extra_context)
