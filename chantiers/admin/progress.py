"""Actions and their journal: an action with its points d'étape inline, and the points
d'étape written from a meeting's page (see meetings.py), each saved by the service that
applies its new status or progress to its action."""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from chantiers.admin.base import HistoryAdmin, PortalAdminMixin
from chantiers.models import Action, ActionStatus, Actor, Meeting, PointEtape
from chantiers.services.progress import save_point_etape
from core.admin import DemoAdminMixin


class PointEtapeFormsetMixin:
    """Points d'étape of an inline are saved through the service, one by one: the action
    takes the new status or progress, and the chantier's followers hear of a new one."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not PointEtape:
            return super().save_formset(request, form, formset, change)
        points = formset.save(commit=False)
        for point in formset.deleted_objects:
            point.delete()
        for point in points:
            save_point_etape(point=point)
        formset.save_m2m()
        return None


class PointEtapeInline(DemoAdminMixin, admin.StackedInline):
    """The journal of an action, newest first."""

    model = PointEtape
    fk_name = "action"
    fields = ("date", "title", "text", "new_status", "new_progress", "meeting", "demo_label")
    readonly_fields = ("demo_label",)
    extra = 1
    ordering = ("-date", "-created_at")
    verbose_name = "point d'étape"
    verbose_name_plural = "journal : points d'étape (le plus récent d'abord)"
    # No « Voir sur le site » in each entry's heading: the action's page has the journal.
    view_on_site = False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "text":
            field.widget = forms.Textarea(attrs={"rows": 3})
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting":
            # Meetings already held, newest first, of the action's chantier when known: a
            # point d'étape tells what happened.
            meetings = Meeting.objects.filter(starts_at__lte=timezone.now())
            action = _object_of(request, Action)
            if action is not None:
                meetings = meetings.for_chantier(action.chantier_id)
            kwargs["queryset"] = meetings.order_by("-starts_at")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _object_of(request, model):
    """The object of the admin page being served (its change page), or None."""
    object_id = (request.resolver_match.kwargs if request.resolver_match else {}).get(
        "object_id", ""
    )
    if not str(object_id).isdigit():
        return None
    return model.objects.filter(pk=object_id).first()


def _actions_of_the_meeting(request):
    """The actions to choose from on a meeting's page: those of the chantiers it concerns
    (all of them for a new meeting or a session of every chantier), not the whole list."""
    actions = Action.objects.select_related("chantier").order_by(
        "chantier__order", "chantier__title", "title"
    )
    meeting = _object_of(request, Meeting)
    if meeting is None:
        return actions
    if meeting.chantier_id:  # an intersession: its chantier's actions
        chantier_ids = {meeting.chantier_id}
    else:
        chantier_ids = set(meeting.chantiers.values_list("pk", flat=True))
    return actions.filter(chantier__in=chantier_ids) if chantier_ids else actions


class MeetingPointEtapeInline(DemoAdminMixin, admin.StackedInline):
    """Points d'étape that came out of a meeting, written with its minutes."""

    model = PointEtape
    fk_name = "meeting"
    fields = ("action", "date", "title", "text", "new_status", "new_progress", "demo_label")
    readonly_fields = ("demo_label",)
    extra = 1
    verbose_name = "point d'étape issu de cette réunion"
    verbose_name_plural = "points d'étape issus de cette réunion (journal des actions)"
    view_on_site = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("action", "action__chantier")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "action":
            kwargs["queryset"] = _actions_of_the_meeting(request)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "action":
            field.label_from_instance = lambda action: f"{action.chantier} – {action.title}"
        return field

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "text":
            field.widget = forms.Textarea(attrs={"rows": 3})
        return field


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = (
            "chantier",
            "title",
            "slug",
            "description",
            "status",
            "abandon_reason",
            "progress",
            "starts_on",
            "planned_end_on",
            "team_pilots",
            "actor_pilots",
            "meetings",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chantier_id = self.instance.chantier_id
        if chantier_id and "meetings" in self.fields:
            # An action's meetings and pilots come from its chantier (and what it has
            # already): not the thousands of meetings and actors of the whole project.
            chosen = self.instance.meetings.values("pk") if self.instance.pk else []
            self.fields["meetings"].queryset = (
                Meeting.objects.filter(
                    Q(chantier_id=chantier_id) | Q(chantiers=chantier_id) | Q(pk__in=chosen)
                )
                .distinct()
                .order_by("-starts_at")
            )
            chosen_actors = self.instance.actor_pilots.values("pk") if self.instance.pk else []
            self.fields["actor_pilots"].queryset = (
                Actor.objects.filter(
                    Q(memberships__chantier_id=chantier_id) | Q(pk__in=chosen_actors)
                )
                .distinct()
                .order_by("name")
            )

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status != ActionStatus.ABANDONED and cleaned.get("abandon_reason"):
            # A reason kept for an action taken up again would be published as if current.
            cleaned["abandon_reason"] = ""
        return cleaned


@admin.register(Action)
class ActionAdmin(PointEtapeFormsetMixin, DemoAdminMixin, PortalAdminMixin, HistoryAdmin):
    form = ActionForm
    list_display = (
        "title",
        "chantier",
        "status",
        "late_label",
        "progress",
        "planned_end_on",
        "demo_label",
    )
    list_filter = ("status", "chantier")
    list_select_related = ("chantier",)
    search_fields = ("title", "description")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("team_pilots", "actor_pilots", "meetings")
    inlines = [PointEtapeInline]
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("chantier", "title", "slug", "description")}),
        (
            "Où en est-elle ?",
            {
                "fields": (
                    "status",
                    "abandon_reason",
                    "progress",
                    "starts_on",
                    "planned_end_on",
                ),
                "description": (
                    "Le statut et l'avancement changent aussi avec un point d'étape qui les "
                    "indique, en bas de la page ou depuis la réunion d'où il vient."
                ),
            },
        ),
        ("Qui et quand", {"fields": ("team_pilots", "actor_pilots", "meetings")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_lateness()

    def get_readonly_fields(self, request, obj=None):
        # The address is public (links, feed, search engines): it does not move.
        return ("slug",) if obj else ()

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields

    @admin.display(description="en retard", boolean=True, ordering="late_now")
    def late_label(self, obj):
        return obj.is_late


@admin.register(PointEtape)
class PointEtapeAdmin(DemoAdminMixin, PortalAdminMixin, HistoryAdmin):
    list_display = ("title", "action", "when", "new_status", "meeting", "demo_label")
    list_filter = ("action__chantier", "new_status")
    list_select_related = ("action", "meeting")
    search_fields = ("title", "text", "action__title")
    autocomplete_fields = ("action",)
    date_hierarchy = "date"
    fields = ("action", "date", "title", "text", "new_status", "new_progress", "meeting")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting":
            kwargs["queryset"] = Meeting.objects.filter(starts_at__lte=timezone.now()).order_by(
                "-starts_at"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="date", ordering="date")
    def when(self, obj):
        return date_format(obj.date, "j F Y")

    def save_model(self, request, obj, form, change):
        save_point_etape(point=obj)
