"""Admin pieces for the demo flag (core.demo.DemoFlag), the same in every app's admin."""

from django.contrib import admin


class DemoFilter(admin.SimpleListFilter):
    title = "contenu de démonstration"
    parameter_name = "demo"

    def lookups(self, request, model_admin):
        return [("oui", "Démonstration"), ("non", "Contenu réel")]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.filter(is_demo=True)
        if self.value() == "non":
            return queryset.filter(is_demo=False)
        return queryset


class DemoAdminMixin:
    """Demonstration rows shown as such: a « démo » column (`demo_label`, for
    list_display or an inline's readonly_fields) and the DemoFilter, added to the list's
    filters."""

    @admin.display(description="démo", ordering="is_demo")
    def demo_label(self, obj):
        return "démo" if obj.is_demo else ""

    def get_list_filter(self, request):
        filters = tuple(super().get_list_filter(request))
        return filters if DemoFilter in filters else (*filters, DemoFilter)
