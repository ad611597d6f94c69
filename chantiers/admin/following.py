"""Followers' subscriptions: for Administration only (the team sees a number per chantier
in the chantiers' list, never an address), with their CSV export."""

from django.contrib import admin
from django.db.models import Count

from chantiers import following
from chantiers.admin.participation import _local, csv_response
from chantiers.models import Subscription

HEADER = ["adresse", "confirmé", "rythme", "chantiers", "nouvelles", "demandé le", "confirmé le"]


def _scope_names(subscription):
    if subscription.all_chantiers:
        return "tous"
    return ", ".join(chantier.display_title for chantier in subscription.chantiers.all())


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "confirmed", "rhythm", "scope", "requested_at", "confirmed_at"]
    list_filter = ["rhythm", "all_chantiers", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    date_hierarchy = "requested_at"
    filter_horizontal = ["chantiers"]
    readonly_fields = ["email", "requested_at", "confirmed_at"]
    actions = ["export_csv"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(chantier_total=Count("chantiers"))

    def has_add_permission(self, request):
        # An address is added by its owner, through the double opt-in, never by hand.
        return False

    def delete_model(self, request, obj):
        # As unsubscribing: its emails leave the send log, unsent ones never go.
        following.forget(Subscription.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        chosen = list(queryset.values_list("pk", flat=True))
        following.forget(Subscription.objects.filter(pk__in=chosen))

    @admin.display(description="confirmé", boolean=True, ordering="confirmed_at")
    def confirmed(self, obj):
        return obj.is_confirmed

    @admin.display(description="chantiers suivis")
    def scope(self, obj):
        return "tous" if obj.all_chantiers else obj.chantier_total

    @admin.action(description="Exporter les abonnements choisis (CSV)")
    def export_csv(self, request, queryset):
        rows = (
            [
                s.email,
                "oui" if s.is_confirmed else "non",
                s.get_rhythm_display(),
                "tous"
                if s.all_chantiers
                else ", ".join(c.display_title for c in s.chantiers.all()),
                ", ".join(s.kinds()),
                _local(s.requested_at),
                _local(s.confirmed_at),
            ]
            for s in queryset.prefetch_related("chantiers").order_by("pk")
        )
        return csv_response(
            "abonnements.csv",
            [
                "adresse",
                "confirmé",
                "rythme",
                "chantiers",
                "nouvelles",
                "demandé le",
                "confirmé le",
            ],
            rows,
        )
