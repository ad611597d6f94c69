"""The project team's admin: chantiers, ecosystems, Sessions and Intersessions.

Made for keeping meetings up to date: lists by date with filters, a « Dupliquer » action
that prepares the next meeting, Markdown help beside the text areas, the history of
edits, and demonstration content marked as such.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from chantiers.models import (
    Actor,
    Chantier,
    EcosystemMembership,
    Intersession,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    MeetingStatus,
    Partner,
    Phase,
    Session,
    TeamMember,
)
from core.admin import DemoAdminMixin

# A suggestion for the next meeting: same weekday and hour, four weeks later.
DUPLICATE_STEP = timedelta(weeks=4)
DUPLICATE_PARAM = "dupliquer"


# --- Widgets and shared pieces ---------------------------------------------------------

MARKDOWN_HELP = mark_safe(
    '<details class="markdown-help"><summary>Aide à la mise en forme (Markdown)</summary>'
    "<ul>"
    "<li><code>**important**</code> → <strong>important</strong></li>"
    "<li><code>*nuance*</code> → <em>nuance</em></li>"
    "<li>Une ligne commençant par <code>- </code> → un élément de liste ; "
    "<code>1. </code> → une liste numérotée</li>"
    "<li><code>## Titre</code> → un intertitre</li>"
    "<li><code>[texte du lien](https://exemple.fr)</code> → un lien</li>"
    "<li>Une ligne vide sépare deux paragraphes.</li>"
    "</ul></details>"
)


class MarkdownTextarea(AdminTextareaWidget):
    """A text area with a short Markdown reminder beside it."""

    class Media:
        css = {"all": ["css/admin-portal.css"]}

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '<div class="markdown-field">{}{}</div>',
            super().render(name, value, attrs, renderer),
            MARKDOWN_HELP,
        )


MARKDOWN_FIELDS = {"description", "agenda", "minutes", "text"}


class PortalAdminMixin:
    """French help beside the Markdown fields."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in MARKDOWN_FIELDS:
            kwargs["widget"] = MarkdownTextarea
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class FrenchHistoryHelper(HistoricalRecordContextHelper):
    """Changes shown as people read them: choice labels, local dates, « (vide) »."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value in (None, ""):
            return "(vide)"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return "oui" if value else "non"
        if hasattr(value, "tzinfo") and hasattr(value, "hour"):
            return date_format(timezone.localtime(value), "j F Y, H\\hi")
        return value


class HistoryAdmin(SimpleHistoryAdmin):
    def get_historical_record_context_helper(self, request, historical_record):
        return FrenchHistoryHelper(self.model, historical_record)


# --- Actors, team, timeline, partners ---------------------------------------------------


@admin.register(Actor)
class ActorAdmin(DemoAdminMixin, PortalAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "organisation", "commune", "demo_label")
    list_filter = ("kind", "is_organisation")
    search_fields = ("name", "organisation", "commune")


@admin.register(TeamMember)
class TeamMemberAdmin(DemoAdminMixin, PortalAdminMixin, admin.ModelAdmin):
    list_display = ("name", "role", "organisation", "user", "order", "demo_label")
    list_select_related = ("user",)
    search_fields = ("name", "role", "organisation", "user__email")
    autocomplete_fields = ("user", "coordinated_chantiers")
    fields = ("name", "role", "organisation", "order", "user", "coordinated_chantiers")


@admin.register(Phase)
class PhaseAdmin(PortalAdminMixin, admin.ModelAdmin):
    list_display = ("period", "title", "starts_on", "ends_on")
    prepopulated_fields = {"key": ("title",)}


@admin.register(Partner)
class PartnerAdmin(DemoAdminMixin, PortalAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "order", "demo_label")
    list_filter = ("kind",)
    search_fields = ("name",)
    prepopulated_fields = {"key": ("name",)}


@admin.register(EcosystemMembership)
class EcosystemMembershipAdmin(DemoAdminMixin, PortalAdminMixin, admin.ModelAdmin):
    list_display = ("actor", "chantier", "role", "joined_on", "demo_label")
    list_select_related = ("actor", "chantier")
    list_filter = ("chantier", "role")
    search_fields = ("actor__name", "actor__organisation", "chantier__title")
    autocomplete_fields = ("chantier", "actor")


# --- Chantiers ---------------------------------------------------------------------------


class ChantierIntersessionInline(admin.TabularInline):
    """The chantier's intersessions, by date; opened, added and edited on their own page."""

    model = Intersession
    fk_name = "chantier"
    fields = ("when", "title", "status")
    readonly_fields = ("when", "title")
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("-starts_at",)
    verbose_name = "intersession"
    verbose_name_plural = "intersessions de l'écosystème"

    def has_add_permission(self, request, obj=None):
        # Added on the intersession page, which asks for everything a meeting needs.
        return False

    @admin.display(description="date")
    def when(self, obj):
        return date_format(timezone.localtime(obj.starts_at), "l j F Y, H\\hi")


class ActorReadOnlyWidget(forms.Widget):
    """Shows the actor of an existing membership: no lookup query per row."""

    def __init__(self, label="", attrs=None):
        super().__init__(attrs)
        self.label = label

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<span class="readonly">{}</span>', self.label)


class MembershipInlineForm(forms.ModelForm):
    class Meta:
        model = EcosystemMembership
        fields = ("actor", "role", "joined_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "actor" in self.fields:
            # An existing membership keeps its actor (remove it and add another instead).
            self.fields["actor"].disabled = True
            self.fields["actor"].widget = ActorReadOnlyWidget(label=str(self.instance.actor))


class MembershipInline(DemoAdminMixin, admin.TabularInline):
    model = EcosystemMembership
    form = MembershipInlineForm
    fields = ("actor", "role", "joined_on", "demo_label")
    readonly_fields = ("demo_label",)
    autocomplete_fields = ("actor",)
    extra = 1
    verbose_name = "membre de l'écosystème"
    verbose_name_plural = "écosystème hybride d'acteurs"

    def get_queryset(self, request):
        # Each row prints the membership, « actor – chantier »: both joined at once.
        return super().get_queryset(request).select_related("actor", "chantier")


@admin.register(Chantier)
class ChantierAdmin(DemoAdminMixin, PortalAdminMixin, HistoryAdmin):
    list_display = (
        "display_title",
        "status",
        "order",
        "intersession_count",
        "actor_count",
        "demo_label",
        "site_link",
    )
    list_filter = ("status",)
    search_fields = ("title", "summary", "slug")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [ChantierIntersessionInline, MembershipInline]
    readonly_fields = ("demo_name", "updated_at")
    change_form_template = "admin/chantiers/chantier/change_form.html"
    fieldsets = (
        (None, {"fields": ("title", "slug", "status", "order", "summary", "description")}),
        ("Dates", {"fields": ("started_on", "ended_on")}),
        ("Image", {"fields": ("cover", "cover_alt")}),
        ("Suivi", {"fields": ("demo_name", "updated_at")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                intersession_total=Count(
                    "intersessions",
                    filter=Q(intersessions__kind=MeetingKind.INTERSESSION),
                    distinct=True,
                ),
                actor_total=Count("memberships", distinct=True),
            )
        )

    @admin.display(description="intitulé", ordering="title")
    def display_title(self, obj):
        return obj.display_title

    @admin.display(description="démo", ordering="is_demo")
    def demo_label(self, obj):
        # Chantiers 4 and 5 are real, with names unknown (FACTS.md): while demo content
        # is loaded they show a demonstration name, which the list says.
        return super().demo_label(obj) or ("nom de démo" if obj.has_demo_name else "")

    @admin.display(description="intersessions", ordering="intersession_total")
    def intersession_count(self, obj):
        return obj.intersession_total

    @admin.display(description="acteurs", ordering="actor_total")
    def actor_count(self, obj):
        return obj.actor_total

    @admin.display(description="sur le site")
    def site_link(self, obj):
        return format_html(
            '<a href="{}">Voir sur le site<span class="visually-hidden"> : {}</span></a>',
            obj.get_absolute_url(),
            obj.display_title,
        )

    @admin.display(description="nom de démonstration")
    def demo_name(self, obj):
        if obj.has_demo_name:
            return f"« {obj.demo_title} » (affiché tant que le contenu de démonstration est chargé)"
        return "—"


# --- Sessions and Intersessions -----------------------------------------------------------


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


class MeetingForm(forms.ModelForm):
    """Shared by Sessions and Intersessions; `kind` comes from the admin entry."""

    kind = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The constraints are checked before save(): the kind must be known by then.
        self.instance.kind = self.kind
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
        return cleaned


def unique_meeting_slug(title, starts_at=None):
    # « l'écosystème » → "l-ecosysteme", not "lecosysteme".
    words = title.replace("'", " ").replace("\u2019", " ")
    base = slugify(f"{words} {starts_at:%Y-%m-%d}" if starts_at else words)[:200] or "reunion"
    taken = set(Meeting.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def next_occurrence(starts_at, now=None):
    """The same weekday and hour, four weeks on, and in the future."""
    now = now or timezone.now()
    following = starts_at + DUPLICATE_STEP
    while following < now:
        following += DUPLICATE_STEP
    return following


class MeetingAdmin(DemoAdminMixin, PortalAdminMixin, HistoryAdmin):
    """What Sessions and Intersessions have in common."""

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
    inlines = [AttachmentInline]
    actions = ["duplicate"]
    ordering = ("-starts_at",)
    save_on_top = True
    change_form_template = "admin/chantiers/meeting/change_form.html"
    readonly_fields_on_change = ("slug",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = type(self.form.__name__, (self.form,), {"kind": self.kind})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly + self.readonly_fields_on_change if obj else readonly

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
    list_filter = ("status", ("chantier", ChantierFilter), TimingFilter, YearFilter)
    list_select_related = ("chantier",)
    autocomplete_fields = ("chantier",)
    fieldsets = (
        (None, {"fields": ("title", "chantier", "slug", "status")}),
        (
            "Date et lieu",
            {"fields": ("starts_at", "ends_at", "place_name", "place_commune", "place_address")},
        ),
        ("Contenu", {"fields": ("agenda", "minutes", "participants_count")}),
        (
            "Ouverture au public",
            {
                "fields": ("registration_open", "capacity"),
                "description": (
                    "Ouverte, l'intersession propose « Je participe » sur sa page et sur "
                    "celle du chantier ; les inscrits sont listés en bas de cette page."
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
        return f"{obj.seats_taken} / {obj.capacity}"

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
        (None, {"fields": ("title", "chantiers", "slug", "status")}),
        (
            "Date et lieu",
            {"fields": ("starts_at", "ends_at", "place_name", "place_commune", "place_address")},
        ),
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


# ==== Participation: join requests and registrations (issue 6) ===========================
# Kept in one block at the end of the file, apart from the démarche's admin classes.
# A registration inline on the Intersession admin: RegistrationInline, below.

import csv  # noqa: E402

from django.contrib import admin  # noqa: E402
from django.http import HttpResponse  # noqa: E402

from chantiers.models import (  # noqa: E402
    JoinRequest,
    JoinRequestStatus,
    Registration,
)
from chantiers.services import touch_join_request  # noqa: E402


def csv_response(filename, header, rows):
    """A CSV file that spreadsheet software in French opens as is: UTF-8 with a BOM, « ; »."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    for row in rows:
        # A cell starting with = + - @ would run as a formula when the file is opened.
        writer.writerow(
            [f"'{cell}" if str(cell)[:1] in ("=", "+", "-", "@") else cell for cell in row]
        )
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
        return [("active", "Inscrit·e"), ("annulee", "Annulée")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "annulee":
            return queryset.cancelled()
        return queryset


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "meeting", "meeting_date", "created_at", "is_active"]
    list_filter = [RegistrationStateFilter, "meeting__chantier", "meeting"]
    list_select_related = ["meeting"]
    search_fields = ["name", "email", "meeting__title"]
    readonly_fields = ["meeting", "consented_at", "created_at", "cancelled_at", "anonymised_at"]
    fields = ["meeting", "name", "email", "consented_at", "created_at", "cancelled_at"]
    actions = ["export_csv", "cancel_selected"]

    def has_add_permission(self, request):
        # Registrations come from the public form, with the person's consent.
        return False

    @admin.display(description="date de la réunion", ordering="meeting__starts_at")
    def meeting_date(self, obj):
        return _local(obj.meeting.starts_at)

    @admin.display(description="inscrit·e", boolean=True)
    def is_active(self, obj):
        return not obj.is_cancelled

    @admin.action(description="Exporter en CSV (liste des inscrits)")
    def export_csv(self, request, queryset):
        header = ["réunion", "date", "nom", "courriel", "inscrit·e le", "annulée le"]
        rows = (
            [
                r.meeting.title,
                _local(r.meeting.starts_at),
                r.name,
                r.email,
                _local(r.created_at),
                _local(r.cancelled_at),
            ]
            for r in queryset.select_related("meeting").order_by("meeting__starts_at", "name")
        )
        stamp = timezone.localdate().isoformat()
        return csv_response(f"inscriptions-{stamp}.csv", header, rows)

    @admin.action(
        description="Annuler les inscriptions choisies (libère les places)", permissions=["change"]
    )
    def cancel_selected(self, request, queryset):
        count = queryset.active().update(cancelled_at=timezone.now())
        self.message_user(
            request,
            f"{count} inscription{'s' if count > 1 else ''} annulée{'s' if count > 1 else ''}.",
        )


class RegistrationInline(admin.TabularInline):
    """The registrations of a meeting, on its admin page (Intersession admin)."""

    model = Registration
    extra = 0
    can_delete = False
    fields = ["name", "email", "created_at", "cancelled_at"]
    readonly_fields = ["name", "email", "created_at", "cancelled_at"]
    ordering = ["cancelled_at", "created_at"]
    verbose_name_plural = "inscriptions du public"

    def get_queryset(self, request):
        # Each row is titled with str(registration), which names its meeting.
        return super().get_queryset(request).select_related("meeting")

    def has_add_permission(self, request, obj=None):
        return False


# ==== End of the participation block (issue 6) ============================================


# The team sees who registered on the intersession's own admin page.
IntersessionAdmin.inlines = [*IntersessionAdmin.inlines, RegistrationInline]
