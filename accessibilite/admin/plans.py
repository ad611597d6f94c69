from django.contrib import admin

from accessibilite.models import AccessibilityPlan


@admin.register(AccessibilityPlan)
class AccessibilityPlanAdmin(admin.ModelAdmin):
    """The schéma pluriannuel (three years at most) and the yearly plans: the declaration
    links those in force."""

    list_display = ["title", "kind", "starts_on", "ends_on"]
    list_filter = ["kind"]
    fields = ["kind", "title", "starts_on", "ends_on", "document", "url"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            # An address typed without its scheme is the https one (Django 6's default).
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)
