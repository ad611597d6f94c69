from django.contrib import admin

from accessibilite.models import AccessibilityPlan


@admin.register(AccessibilityPlan)
class AccessibilityPlanAdmin(admin.ModelAdmin):
    """The schéma pluriannuel (three years at most) and the yearly plans: the declaration
    links those in force."""

    list_display = ["title", "kind", "starts_on", "ends_on"]
    list_filter = ["kind"]
    fields = ["kind", "title", "starts_on", "ends_on", "document", "url"]
