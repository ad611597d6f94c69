from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from accessibilite.models import RgaaVersion


@admin.register(RgaaVersion)
class RgaaVersionAdmin(admin.ModelAdmin):
    """The versions loaded from the official files (`manage.py load_rgaa`): read only."""

    list_display = ["__str__", "published_on", "updated_on", "criteria_count", "glossary_link"]
    fields = [
        "number",
        "published_on",
        "updated_on",
        "publisher",
        "source_url",
        "commit",
        "licence",
        "licence_url",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(criteria_count=Count("themes__criteria"))

    @admin.display(description="critères")
    def criteria_count(self, version):
        return version.criteria_count

    @admin.display(description="glossaire")
    def glossary_link(self, version):
        url = reverse("admin:accessibilite_audit_glossary", args=[version.pk])
        return format_html('<a href="{}">Glossaire du {}</a>', url, version)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
