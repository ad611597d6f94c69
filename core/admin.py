"""Admin pieces for the demo flag (core.demo.DemoFlag), the same in every app's admin, and
the send log of the outbox."""

from django.contrib import admin
from django.db.models import Count, Max, Q
from django.db.models.constants import LOOKUP_SEP

from core.models import WAITING, OutboxEmail, OutboxStatus
from core.outbox import send_again
from core.outbox_status import status_report
from core.roles import SEE_ADDRESSES


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


# Emails summed up above the send log (the latest first).
SUMMARY_ROWS = 20
# The fields the send log filters on (list_filter and date_hierarchy): the only ones its
# URL may filter on.
FILTERED_FIELDS = frozenset({"status", "kind", "created_at"})


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """The send log: what left, to how many (the count of the filtered list), what failed
    and why. Addresses, texts and the server's own words (which quote addresses) only for
    those allowed to see addresses (core.roles.SEE_ADDRESSES: Administration); the team
    reads the log without them, as /confidentialite/ says."""

    list_display = ("subject", "kind", "status", "attempts", "failure", "created_at", "sent_at")
    list_filter = ("status", "kind", "created_at")
    search_fields = ("subject",)
    date_hierarchy = "created_at"
    actions = ["send_again"]
    list_per_page = 100
    change_list_template = "admin/core/outboxemail/change_list.html"

    def changelist_view(self, request, extra_context=None):
        """Above the list, whether email is stuck, then each email of the filtered log
        once: to how many it went, how many wait, how many failed (no address)."""
        extra_context = {**(extra_context or {}), "outbox_status": status_report()}
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            response.context_data["summary"] = (
                changelist.queryset.order_by()
                .values("subject", "kind")
                .annotate(
                    sent=Count("pk", filter=Q(status=OutboxStatus.SENT)),
                    waiting=Count("pk", filter=Q(status__in=WAITING)),
                    failed=Count("pk", filter=Q(status=OutboxStatus.FAILED)),
                    latest=Max("created_at"),
                )
                .order_by("-latest")[:SUMMARY_ROWS]
            )
        return response

    def lookup_allowed(self, lookup, value, request=None):
        # Only the filters the list offers: a filter on the address in the URL
        # (?recipient__startswith=a) would let the count spell an address out.
        return lookup.split(LOOKUP_SEP)[0] in FILTERED_FIELDS and super().lookup_allowed(
            lookup, value, request
        )

    def _sees_addresses(self, request):
        return request.user.has_perm(SEE_ADDRESSES)

    def get_list_display(self, request):
        if self._sees_addresses(request):
            return ("recipient", *self.list_display)
        return self.list_display

    def get_search_fields(self, request):
        if self._sees_addresses(request):
            return ("recipient", *self.search_fields)
        return self.search_fields

    def get_fields(self, request, obj=None):
        fields = ["subject", "kind", "key", "status", "attempts", "failure"]
        fields += ["created_at", "next_attempt_at", "sent_at", "message_id"]
        if self._sees_addresses(request):
            fields = ["recipient", *fields, "last_error", "body_text"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("core.change_outboxemail"):
            actions.pop("send_again", None)
        return actions

    @admin.action(description="Envoyer à nouveau (courriels en échec)")
    def send_again(self, request, queryset):
        count = send_again(queryset)
        self.message_user(request, f"{count} courriel(s) en échec remis dans la file d'envoi.")
