"""factory_boy factories for the chantiers models (other apps keep theirs beside their tests)."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from chantiers import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.django.Password("mot-de-passe-solide")


class ChantierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Chantier

    title = factory.Sequence(lambda n: f"Chantier numéro {n}")
    slug = factory.Sequence(lambda n: f"chantier-{n}")
    order = factory.Sequence(lambda n: n)
    summary = "Un chantier du projet de territoire."
    description = "Une description **en Markdown**."
    status = models.ChantierStatus.IN_ACTION


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Actor

    name = factory.Sequence(lambda n: f"Acteur {n}")
    kind = models.ActorKind.CITIZEN
    commune = "Figeac"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EcosystemMembership

    chantier = factory.SubFactory(ChantierFactory)
    actor = factory.SubFactory(ActorFactory)
    role = models.MembershipRole.MEMBER


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.TeamMember

    name = factory.Sequence(lambda n: f"Membre {n}")
    role = "Coordination"


class MeetingFactory(factory.django.DjangoModelFactory):
    """An upcoming intersession by default; pass kind=SESSION, chantier=None for a session."""

    class Meta:
        model = models.Meeting

    kind = models.MeetingKind.INTERSESSION
    title = factory.Sequence(lambda n: f"Réunion {n}")
    slug = factory.Sequence(lambda n: f"reunion-{n}")
    chantier = factory.SubFactory(ChantierFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2, minutes=30))
    place_name = "Salle des fêtes"
    place_commune = "Figeac"
    agenda = "- Point d'étape\n- Suite du travail"
    status = models.MeetingStatus.PLANNED


class SessionFactory(MeetingFactory):
    kind = models.MeetingKind.SESSION
    chantier = None
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=8))
