from django.contrib import admin, messages
from django.utils import timezone

from accessibilite.models import ANSWER_WITHIN, AccessibilityReport
from accessibilite.services import mark_answered


class AnswerFilter(admin.SimpleListFilter):
    title = "réponse"
    parameter_name = "reponse"

    def lookups(self, request, model_admin):
        return [
            ("retard", f"Sans réponse depuis plus de {ANSWER_WITHIN.days} jours"),
            ("attente", "Sans réponse"),
            ("repondu", "Répondu"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "retard":
            return queryset.late()
        if self.value() == "attente":
            return queryset.unanswered()
        if self.value() == "repondu":
            return queryset.filter(answered_at__isnull=False)
        return queryset


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin):
    """The reports sent through « Signaler un problème d'accessibilité »: each must get an
    answer; those left without one for more than seven days say so."""

    list_display = ["created_at", "age", "answer", "name", "email", "page"]
    list_filter = [AnswerFilter, "created_at"]
    search_fields = ["name", "email", "page", "message"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "anonymised_at"]
    fields = [
        "created_at",
        "name",
        "email",
        "page",
        "message",
        "answered_at",
        "team_notes",
        "anonymised_at",
    ]
    actions = ["mark_answered"]

    @admin.display(description="ancienneté", ordering="created_at")
    def age(self, report):
        days = (timezone.now() - report.created_at).days
        if days < 1:
            return "moins d'un jour"
        return f"{days}\u00a0jour{'s' if days > 1 else ''}"

    @admin.display(description="réponse", ordering="answered_at")
    def answer(self, report):
        if report.answered_at is not None:
            return f"répondu le {timezone.localtime(report.answered_at):%d/%m/%Y}"
        if report.anonymised_at is not None:
            return "anonymisé"
        if report.is_late():
            return f"EN RETARD : sans réponse depuis plus de {ANSWER_WITHIN.days} jours"
        return "en attente"

    def has_add_permission(self, request):
        return False

    @admin.action(description="Marquer comme répondus")
    def mark_answered(self, request, queryset):
        count = mark_answered(queryset)
        self.message_user(
            request,
            f"{count} signalement{'s' if count > 1 else ''} répondu{'s' if count > 1 else ''}.",
            messages.SUCCESS,
        )
