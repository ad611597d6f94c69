"""Participation: join requests and registrations, their CSV exports, and the
registrations listed on an intersession's page."""

import csv

from django.contrib import admin, messages
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone

from chantiers.models import JoinRequest, JoinRequestStatus, Registration
from chantiers.services import cancel_registration, touch_join_request
from core.downloads import content_disposition
from core.export import spreadsheet_safe


def csv_response(filename, header, rows):
    """A CSV file that spreadsheet software in French opens as is: UTF-8 with a BOM, « ; »."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response


def _local(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "commune",
        "chantiers_list",
        "participation",
        "status",
        "created_at",
    ]
    list_filter = ["status", "participation", "chantiers", "created_at"]
    search_fields = ["name", "email", "commune", "message"]
    date_hierarchy = "created_at"
    list_per_page = 50
    filter_horizontal = ["chantiers"]
    readonly_fields = ["consented_at", "created_at", "last_activity_at", "anonymised_at"]
    fieldsets = [
        (None, {"fields": ["name", "email", "commune", "chantiers", "participation", "message"]}),
        ("Suivi par l'équipe", {"fields": ["status", "team_notes"]}),
        (
            "Consentement et conservation",
            {"fields": ["consented_at", "created_at", "last_activity_at", "anonymised_at"]},
        ),
    ]
    actions = ["export_csv", "mark_contacted", "mark_integrated", "mark_archived"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_chantiers()

    @admin.display(description="chantiers choisis")
    def chantiers_list(self, obj):
        return ", ".join(c.display_title for c in obj.chantiers.all()) or "–"

    def save_model(self, request, obj, form, change):
        # A change of status is activity: the retention period starts again from it.
        if change and "status" in form.changed_data:
            touch_join_request(obj)
        super().save_model(request, obj, form, change)

    @admin.action(description="Exporter en CSV")
    def export_csv(self, request, queryset):
        header = [
            "reçue le",
            "nom",
            "courriel",
            "commune",
            "chantiers",
            "façon de participer",
            "message",
            "statut",
            "dernière activité",
        ]
        rows = (
            [
                _local(r.created_at),
                r.name,
                r.email,
                r.commune,
                ", ".join(c.display_title for c in r.chantiers.all()),
                r.get_participation_display(),
                r.message,
                r.get_status_display(),
                _local(r.last_activity_at),
            ]
            for r in queryset.order_by("created_at")  # chantiers prefetched by get_queryset
        )
        stamp = timezone.localdate().isoformat()
        return csv_response(f"demandes-de-participation-{stamp}.csv", header, rows)

    def _mark(self, request, queryset, status):
        count = queryset.update(status=status, last_activity_at=timezone.now())
        label = JoinRequestStatus(status).label.lower()
        self.message_user(
            request, f"{count} demande{'s' if count > 1 else ''} : {label}.", messages.SUCCESS
        )

    @admin.action(description="Marquer comme contactées")
    def mark_contacted(self, request, queryset):
        self._mark(request, queryset, JoinRequestStatus.CONTACTED)

    @admin.action(description="Marquer comme intégrées")
    def mark_integrated(self, request, queryset):
        self._mark(request, queryset, JoinRequestStatus.INTEGRATED)

    @admin.action(description="Marquer comme archivées")
    def mark_archived(self, request, queryset):
        self._mark(request, queryset, JoinRequestStatus.ARCHIVED)


class RegistrationStateFilter(admin.SimpleListFilter):
    title = "état"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [("active", "Inscrit·e"), ("attente", "Liste d'attente"), ("annulee", "Annulée")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.seated()
        if self.value() == "attente":
            return queryset.waiting()
        if self.value() == "annulee":
            return queryset.cancelled()
        return queryset


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "meeting",
        "meeting_date",
        "created_at",
        "status",
        "is_active",
    ]
    list_filter = [RegistrationStateFilter, "meeting__chantier", "meeting"]
    list_select_related = ["meeting"]
    search_fields = ["name", "email", "meeting__title"]
    readonly_fields = [
        "meeting",
        "status",
        "consented_at",
        "created_at",
        "promoted_at",
        "cancelled_at",
        "anonymised_at",
    ]
    fields = [
        "meeting",
        "name",
        "email",
        "status",
        "consented_at",
        "created_at",
        "promoted_at",
        "cancelled_at",
    ]
    actions = ["export_csv", "cancel_selected"]

    def has_add_permission(self, request):
        # Registrations come from the public form, with the person's consent.
        return False

    @admin.display(description="date de la réunion", ordering="meeting__starts_at")
    def meeting_date(self, obj):
        return _local(obj.meeting.starts_at)

    @admin.display(description="non annulée", boolean=True)
    def is_active(self, obj):
        return not obj.is_cancelled

    @admin.action(description="Exporter en CSV (liste des inscrits)")
    def export_csv(self, request, queryset):
        header = ["réunion", "date", "nom", "courriel", "inscrit·e le", "annulée le", "état"]
        rows = (
            [
                r.meeting.title,
                _local(r.meeting.starts_at),
                r.name,
                r.email,
                _local(r.created_at),
                _local(r.cancelled_at),
                r.get_status_display(),
            ]
            for r in queryset.select_related("meeting").order_by("meeting__starts_at", "name")
        )
        stamp = timezone.localdate().isoformat()
        return csv_response(f"inscriptions-{stamp}.csv", header, rows)

    @admin.action(
        description="Annuler les inscriptions choisies (libère les places)", permissions=["change"]
    )
    def cancel_selected(self, request, queryset):
        # One by one through the service: each freed seat goes to the first waiting.
        count = sum(cancel_registration(registration) for registration in queryset.active())
        self.message_user(
            request,
            f"{count} inscription{'s' if count > 1 else ''} annulée{'s' if count > 1 else ''}.",
        )


class RegistrationInline(admin.TabularInline):
    """The registrations of a meeting, on its admin page (Intersession admin): those with
    a seat, then the waiting list in its order, then the cancelled ones."""

    model = Registration
    extra = 0
    can_delete = False
    fields = ["name", "email", "status", "created_at", "promoted_at", "cancelled_at"]
    readonly_fields = fields
    ordering = [F("cancelled_at").asc(nulls_first=True), "-status", "created_at", "pk"]
    verbose_name_plural = "inscriptions du public"

    def get_queryset(self, request):
        # Each row is titled with str(registration), which names its meeting.
        return super().get_queryset(request).select_related("meeting")

    def has_add_permission(self, request, obj=None):
        return False
