"""The people of the démarche: actors of the ecosystems, the project team, partners."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Value, When

from chantiers.models.chantiers import Chantier
from core.demo import DemoFlag


class ActorKind(models.TextChoices):
    ELECTED = "elu", "Élu·e"
    TECHNICIAN = "technicien", "Technicien·ne"
    CITIZEN = "citoyen", "Citoyen·ne"
    BUSINESS = "entreprise", "Entreprise"
    ASSOCIATION = "association", "Association"
    SCHOOL = "enseignement", "Établissement d'enseignement"
    INSTITUTION = "institution", "Institution"
    OTHER = "autre", "Autre"


class Actor(DemoFlag):
    """A person or an organisation taking part in an ecosystem."""

    name = models.CharField("nom", max_length=200)
    kind = models.CharField("catégorie", max_length=20, choices=ActorKind.choices)
    is_organisation = models.BooleanField("organisation", default=False)
    organisation = models.CharField("structure", max_length=200, blank=True)
    commune = models.CharField("commune", max_length=120, blank=True)

    class Meta:
        verbose_name = "acteur"
        verbose_name_plural = "acteurs"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class MembershipRole(models.TextChoices):
    FACILITATION = "animation", "Animation"
    MEMBER = "membre", "Membre"
    RESOURCE = "ressource", "Personne ressource"


class MembershipQuerySet(models.QuerySet):
    def by_actor_kind(self):
        """With their actor, by kind of actor in the order the kinds are declared, then by
        name: what `{% regroup memberships by actor.get_kind_display %}` groups."""
        kind_order = Case(
            *(When(actor__kind=kind, then=Value(rank)) for rank, kind in enumerate(ActorKind)),
            default=Value(len(ActorKind)),
        )
        return self.select_related("actor").order_by(kind_order, "actor__name")


class EcosystemMembership(DemoFlag):
    """An actor's place in a chantier's écosystème hybride."""

    chantier = models.ForeignKey(Chantier, on_delete=models.CASCADE, related_name="memberships")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        "rôle", max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined_on = models.DateField("depuis", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "membre de l'écosystème"
        verbose_name_plural = "membres de l'écosystème"
        ordering = ["chantier", "actor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["chantier", "actor"], name="unique_membership_per_chantier"
            )
        ]

    def __str__(self):
        return f"{self.actor} – {self.chantier}"


class TeamMember(DemoFlag):
    """A member of the équipe-projet (about fifteen people)."""

    name = models.CharField("nom", max_length=200)
    role = models.CharField("rôle dans l'équipe", max_length=200, blank=True)
    organisation = models.CharField("structure", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("ordre d'affichage", default=0)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_member",
    )
    coordinated_chantiers = models.ManyToManyField(
        Chantier, verbose_name="chantiers coordonnés", related_name="coordinators", blank=True
    )

    class Meta:
        verbose_name = "membre de l'équipe-projet"
        verbose_name_plural = "équipe-projet"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class PartnerKind(models.TextChoices):
    BODY = "instance", "Instance du PETR"
    CONSULTANCY = "accompagnement", "Accompagnement"
    RESEARCH = "recherche", "Recherche"
    OTHER = "autre", "Autre"


class Partner(DemoFlag):
    key = models.SlugField("identifiant", max_length=60, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=20, choices=PartnerKind.choices)
    description = models.TextField("description", blank=True)
    url = models.URLField("site", blank=True)
    order = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    class Meta:
        verbose_name = "partenaire"
        verbose_name_plural = "partenaires"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name
