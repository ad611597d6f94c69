"""Chantiers, with their intersessions and the members of their ecosystem."""

from django import forms
from django.contrib import admin
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from chantiers.admin.base import HistoryAdmin, PortalAdminMixin
from chantiers.models import (
    Chantier,
    EcosystemMembership,
    Intersession,
    MeetingKind,
    Subscription,
)
from core.admin import DemoAdminMixin


def _confirmed_followers():
    """The number of confirmed subscriptions naming the chantier of the outer row."""
    return (
        Subscription.chantiers.through.objects.filter(
            chantier=OuterRef("pk"), subscription__confirmed_at__isnull=False
        )
        .values("chantier")
        .annotate(total=Count("pk"))
        .values("total")
    )


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
        "follower_count",
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
                # A subquery, not a third join: thousands of followers would multiply
                # the rows the two counts above go through.
                follower_total=Coalesce(Subquery(_confirmed_followers()), 0)
                + Subscription.objects.confirmed().filter(all_chantiers=True).count(),
            )
        )

    @admin.display(description="abonné·es confirmé·es", ordering="follower_total")
    def follower_count(self, obj):
        """Those following this chantier or every chantier: only a number, the addresses
        are Administration's."""
        return obj.follower_total

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
