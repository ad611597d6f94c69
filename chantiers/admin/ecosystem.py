"""Actors, the project team, the timeline and the partners."""

from django.contrib import admin

from chantiers.admin.base import PortalAdminMixin
from chantiers.models import (
    Actor,
    EcosystemMembership,
    Partner,
    Phase,
    TeamMember,
)
from core.admin import DemoAdminMixin


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
