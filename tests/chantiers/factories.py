"""Factories of the chantiers tests that tests/factories.py does not have."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from chantiers import models
from tests.factories import MeetingFactory


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Phase

    key = factory.Sequence(lambda n: f"etape-{n}")
    title = factory.Sequence(lambda n: f"Étape {n}")
    period = "2019"
    starts_on = date(2019, 1, 1)
    text = "Texte de l'étape."


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Partner

    key = factory.Sequence(lambda n: f"partenaire-{n}")
    name = factory.Sequence(lambda n: f"Partenaire {n}")
    kind = models.PartnerKind.BODY


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MeetingAttachment

    meeting = factory.SubFactory("tests.factories.MeetingFactory")
    title = "Support de présentation"
    file = factory.django.FileField(filename="support.pdf", data=b"%PDF-1.4 test")


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.JoinRequest

    name = factory.Sequence(lambda n: f"Habitante {n}")
    email = factory.Sequence(lambda n: f"habitante{n}@example.org")
    commune = "Figeac"
    participation = models.Participation.ECOSYSTEM
    message = "Je voudrais participer."
    consented_at = factory.LazyFunction(timezone.now)


class OpenIntersessionFactory(MeetingFactory):
    """An upcoming intersession open to the public, 3 seats."""

    registration_open = True
    capacity = 3


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Registration

    meeting = factory.SubFactory(OpenIntersessionFactory)
    name = factory.Sequence(lambda n: f"Inscrite {n}")
    email = factory.Sequence(lambda n: f"inscrite{n}@example.org")
    consented_at = factory.LazyFunction(timezone.now)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Action

    chantier = factory.SubFactory("tests.factories.ChantierFactory")
    title = factory.Sequence(lambda n: f"Action {n}")
    slug = factory.Sequence(lambda n: f"action-{n}")
    description = "Une *action*."
    status = models.ActionStatus.IN_PROGRESS
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    planned_end_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))


class PointEtapeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PointEtape

    action = factory.SubFactory(ActionFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=2))
    title = factory.Sequence(lambda n: f"Point d'étape {n}")
    text = "Ce qui s'est **passé**."
