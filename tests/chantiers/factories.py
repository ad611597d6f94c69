"""Factories of the chantiers tests that tests/factories.py does not have."""

from datetime import date

import factory

from chantiers import models


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
