"""Sessions and Intersessions: lists by date with filters, and a « Dupliquer » action
that prepares the next meeting."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from chantiers import news
from chantiers.admin.base import HistoryAdmin, PortalAdminMixin
from chantiers.admin.participation import RegistrationInline
from chantiers.admin.progress import MeetingPointEtapeInline, PointEtapeFormsetMixin
from chantiers.meeting_changes import record_meeting_edit
from chantiers.models import (
    AttendanceMode,
    Intersession,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    MeetingStatus,
    Session,
    next_occurrence,
    unique_meeting_slug,
)
from chantiers.services import fill_free_seats
from chantiers.services.meeting_notices import meeting_edited
from core.admin import DemoAdminMixin

DUPLICATE_PARAM = "dupliquer"


class ChantierFilter(admin.RelatedFieldListFilter):
    """An intersession always has a chantier: no « none » choice."""

    @property
    def include_empty_choice(self):
        return False


class TimingFilter(admin.SimpleListFilter):
    title = "moment"
    parameter_name = "moment"

    def lookups(self, request, model_admin):
        return [("a-venir", "À venir"), ("passees", "Passées")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "a-venir":
            return queryset.filter(ends_at__gte=now)
        if self.value() == "passees":
            return queryset.filter(ends_at__lt=now)
        return queryset


class YearFilter(admin.SimpleListFilter):
    title = "année"
    parameter_name = "annee"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("starts_at", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(starts_at__year=int(self.value()))
        return queryset


class AttachmentInline(DemoAdminMixin, admin.TabularInline):
    model = MeetingAttachment
    fields = ("title", "file", "demo_label")
    readonly_fields = ("demo_label",)
    extra = 1
    verbose_name_plural = "pièces jointes (support, diaporama, photos…)"


UNKNOWN_CHOICES = [("unknown", "Non renseigné"), ("true", "Oui"), ("false", "Non")]


class NewDateField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        when = date_format(timezone.localtime(obj.starts_at), "j F Y, H\\hi")
        return f"{obj.title} – {when}"


class MeetingForm(forms.ModelForm):
    """Shared by Sessions and Intersessions; `kind` comes from the admin entry."""

    kind = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The constraints are checked before save(): the kind must be known by then.
        self.instance.kind = self.kind
        for name in ("step_free_access", "hearing_loop"):
            if name in self.fields:
                # « Non renseigné » rather than Django's « Inconnu »: nothing is claimed.
                self.fields[name].widget.choices = UNKNOWN_CHOICES
        if "rescheduled_to" in self.fields:
            # The meetings to come of the same kind: a short list, not the whole history.
            choices = Meeting.objects.filter(kind=self.kind).upcoming().not_cancelled()
            if self.instance.pk:
                choices = choices.exclude(pk=self.instance.pk)
            current = self.instance.rescheduled_to_id
            if current:
                choices = choices | Meeting.objects.filter(pk=current)
            old = self.fields["rescheduled_to"]
            self.fields["rescheduled_to"] = NewDateField(
                queryset=choices.select_related(None).order_by("starts_at"),
                required=False,
                label=old.label,
                help_text=old.help_text,
            )
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = (
                "Laissez vide : l'adresse est formée à partir du titre et de la date. "
                "Elle ne change plus ensuite (liens et calendriers en dépendent)."
            )

    def clean(self):
        cleaned = super().clean()
        starts_at = cleaned.get("starts_at")
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get("title"):
            cleaned["slug"] = unique_meeting_slug(cleaned["title"], starts_at)
        if cleaned.get("rescheduled_to") and cleaned.get("status") != MeetingStatus.POSTPONED:
            self.add_error(
                "rescheduled_to",
                "Une nouvelle date ne se donne qu'à une réunion reportée : choisissez le "
                "statut « Reportée », ou videz ce champ.",
            )
        if cleaned.get("video_url") and cleaned.get("attendance_mode") == AttendanceMode.IN_PERSON:
            self.add_error(
                "video_url",
                "Un lien de visioconférence ne sert qu'à une réunion en ligne ou sur place "
                "et en ligne : choisissez la participation, ou videz ce champ.",
            )
        return cleaned


DATE_AND_PLACE = (
    "Date et lieu",
    {"fields": ("starts_at", "ends_at", "place_name", "place_commune", "place_address")},
)
ATTENDANCE = (
    "Participation sur place ou en ligne",
    {"fields": ("attendance_mode", "video_url", "video_url_public")},
)
ACCESSIBILITY = (
    "Accessibilité du lieu",
    {
        "fields": ("step_free_access", "hearing_loop", "accessibility_notes"),
        "description": (
            "Laissez « Non renseigné » tant que ce n'est pas vérifié : la page n'affirme "
            "rien de ce qui n'est pas renseigné."
        ),
    },
)


class MeetingAdmin(PointEtapeFormsetMixin, DemoAdminMixin, PortalAdminMixin, HistoryAdmin):
    """What Sessions and Intersessions have in common; after the meeting, its minutes and
    the points d'étape that came out of it are written in the same form."""

    kind = None
    form = MeetingForm
    list_display = (
        "title",
        "when",
        "chantier_names",
        "status",
        "place",
        "minutes_state",
        "demo_label",
    )
    list_display_links = ("title",)
    search_fields = ("title", "place_name", "place_commune")
    date_hierarchy = "starts_at"
    inlines = [AttachmentInline, MeetingPointEtapeInline]
    actions = ["duplicate"]
    ordering = ("-starts_at",)
    save_on_top = True
    change_form_template = "admin/chantiers/meeting/change_form.html"
    readonly_fields_on_change = ("slug",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = type(self.form.__name__, (self.form,), {"kind": self.kind})
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        before = (
            Meeting.objects.select_related("rescheduled_to").filter(pk=obj.pk).first()
            if change
            else None
        )
        # The calendars' SEQUENCE goes up when the date, the place or the status changes;
        # save_related tells the people concerned, once the chantiers are saved too.
        form.meeting_changes = record_meeting_edit(meeting=obj, before=before)
        super().save_model(request, obj, form, change)
        if before and (before.capacity != obj.capacity or before.status != obj.status):
            # More seats (or a meeting planned again): the waiting list moves up.
            fill_free_seats(obj.pk)

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly + self.readonly_fields_on_change if obj else readonly

    def save_related(self, request, form, formsets, change):
        """Registrants and followers hear of the meeting once its chantiers are saved, in
        the same transaction (the emails go to the outbox; the worker sends them)."""
        super().save_related(request, form, formsets, change)
        if not change:
            news.meeting_saved(meeting=form.instance, created=True, had_minutes=False)
            return
        meeting_edited(
            meeting=form.instance,
            changes=getattr(form, "meeting_changes", []),
            had_minutes=bool((form.initial.get("minutes") or "").strip()),
        )

    @admin.display(description="date", ordering="starts_at")
    def when(self, obj):
        return date_format(timezone.localtime(obj.starts_at), "D j F Y, H\\hi")

    @admin.display(description="lieu", ordering="place_commune")
    def place(self, obj):
        return ", ".join(part for part in (obj.place_name, obj.place_commune) if part) or "—"

    @admin.display(description="compte rendu")
    def minutes_state(self, obj):
        if obj.minutes:
            return "rédigé"
        if obj.ends_at < timezone.now() and obj.status != MeetingStatus.CANCELLED:
            return "à écrire"
        return "—"

    @admin.action(description="Dupliquer : préparer la réunion suivante", permissions=["add"])
    def duplicate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request,
                "Choisissez une seule réunion à dupliquer : elle sert de modèle à la suivante.",
                messages.WARNING,
            )
            return None
        source = queryset.get()
        opts = self.opts
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        return HttpResponseRedirect(f"{url}?{DUPLICATE_PARAM}={source.pk}")

    def duplicate_initial(self, source):
        starts_at = next_occurrence(source.starts_at)
        return {
            "title": source.title,
            "starts_at": starts_at,
            "ends_at": starts_at + (source.ends_at - source.starts_at),
            "place_name": source.place_name,
            "place_commune": source.place_commune,
            "place_address": source.place_address,
            "agenda": source.agenda,
            "status": MeetingStatus.PLANNED,
            "attendance_mode": source.attendance_mode,
            "video_url": source.video_url,
            "video_url_public": source.video_url_public,
            "step_free_access": source.step_free_access,
            "hearing_loop": source.hearing_loop,
            "accessibility_notes": source.accessibility_notes,
        }

    def get_changeform_initial_data(self, request):
        source_pk = request.GET.get(DUPLICATE_PARAM, "")
        if not source_pk.isdigit():
            return super().get_changeform_initial_data(request)
        source = self.get_queryset(request).filter(pk=source_pk).first()
        if source is None:
            return super().get_changeform_initial_data(request)
        messages.info(
            request,
            f"Nouvelle réunion préparée d'après « {source.title} » : vérifiez la date, "
            "le titre et l'ordre du jour, puis enregistrez. Rien n'est publié avant.",
        )
        return self.duplicate_initial(source)


@admin.register(Intersession)
class IntersessionAdmin(MeetingAdmin):
    kind = MeetingKind.INTERSESSION
    # The team sees who registered on the intersession's own page.
    inlines = [AttachmentInline, MeetingPointEtapeInline, RegistrationInline]
    list_filter = ("status", ("chantier", ChantierFilter), TimingFilter, YearFilter)
    list_select_related = ("chantier",)
    autocomplete_fields = ("chantier",)
    fieldsets = (
        (None, {"fields": ("title", "chantier", "slug", "status", "rescheduled_to")}),
        DATE_AND_PLACE,
        ATTENDANCE,
        ACCESSIBILITY,
        ("Contenu", {"fields": ("agenda", "minutes", "participants_count")}),
        (
            "Ouverture au public",
            {
                "fields": ("registration_open", "capacity"),
                "description": (
                    "Ouverte, l'intersession propose « Je participe » sur sa page et sur "
                    "celle du chantier. Une fois les places prises, on s'inscrit sur une "
                    "liste d'attente : à chaque désistement, la première personne de la "
                    "liste obtient la place et en est prévenue par courriel. Les inscrits "
                    "et la liste d'attente sont en bas de cette page."
                ),
            },
        ),
    )
    list_display = (*MeetingAdmin.list_display[:-1], "registrations", "demo_label")

    def get_queryset(self, request):
        return super().get_queryset(request).with_seats_taken()

    @admin.display(description="inscriptions", ordering="seats_taken")
    def registrations(self, obj):
        if not obj.registration_open:
            return "—"
        if obj.capacity is None:
            return f"{obj.seats_taken} inscrit{'s' if obj.seats_taken > 1 else ''}"
        waiting = f" (+ {obj.waiting_count} en attente)" if obj.waiting_count else ""
        return f"{obj.seats_taken} / {obj.capacity}{waiting}"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "chantier" in form.base_fields:
            form.base_fields["chantier"].required = True
            form.base_fields["chantier"].help_text = "Le chantier dont l'écosystème se réunit."
        return form

    @admin.display(description="chantier", ordering="chantier__title")
    def chantier_names(self, obj):
        return obj.chantier

    def duplicate_initial(self, source):
        return {
            **super().duplicate_initial(source),
            "chantier": source.chantier_id,
            # The next evening is open to the public like this one, with as many seats.
            "registration_open": source.registration_open,
            "capacity": source.capacity,
        }


@admin.register(Session)
class SessionAdmin(MeetingAdmin):
    kind = MeetingKind.SESSION
    list_filter = ("status", "chantiers", TimingFilter, YearFilter)
    autocomplete_fields = ("chantiers",)
    fieldsets = (
        (None, {"fields": ("title", "chantiers", "slug", "status", "rescheduled_to")}),
        DATE_AND_PLACE,
        ATTENDANCE,
        ACCESSIBILITY,
        ("Contenu", {"fields": ("agenda", "minutes", "participants_count")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("chantiers")

    @admin.display(description="chantiers")
    def chantier_names(self, obj):
        return ", ".join(str(chantier) for chantier in obj.chantiers.all()) or "—"

    def duplicate_initial(self, source):
        return {
            **super().duplicate_initial(source),
            "chantiers": [chantier.pk for chantier in source.chantiers.all()],
        }
