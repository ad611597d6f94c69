"""Sample content for the bad-input tests, and a fingerprint of the whole database."""

import hashlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.utils import timezone

from diagnostic.models import Visibility
from tests.accessibilite.factories import published_audit
from tests.chantiers.factories import ActionFactory, PointEtapeFactory
from tests.diagnostic.factories import DocumentFactory, odt_bytes
from tests.factories import (
    ActorFactory,
    ChantierFactory,
    MeetingFactory,
    MembershipFactory,
    SessionFactory,
    TeamMemberFactory,
)


@pytest.fixture
def sample_content(db):
    chantier = ChantierFactory(title="Dessine-moi ton agriculture !", slug="agriculture")
    MembershipFactory(chantier=chantier, actor=ActorFactory(name="Ferme du Causse"))
    member = TeamMemberFactory(name="Camille Martin")
    member.coordinated_chantiers.add(chantier)
    intersession = MeetingFactory(chantier=chantier, title="Intersession de printemps")
    past = MeetingFactory(
        chantier=chantier,
        title="Intersession passée",
        starts_at=timezone.now() - timedelta(days=40),
    )
    session = SessionFactory(title="Session de l'équipe")
    session.chantiers.add(chantier)
    document = DocumentFactory(
        title="Diagnostic public",
        chantier=chantier,
        accessible_file=ContentFile(odt_bytes(), name="version-accessible.odt"),
    )
    reserved = DocumentFactory(title="Note réservée", visibility=Visibility.RESERVED)
    action = ActionFactory(chantier=chantier, title="Des fermes ouvertes")
    PointEtapeFactory(action=action, meeting=past, title="Trois fermes volontaires")
    # The declaration's grid files exist once an audit is published.
    published_audit()
    return {
        "action": action,
        "chantier": chantier,
        "intersession": intersession,
        "past": past,
        "session": session,
        "document": document,
        "reserved": reserved,
    }


def database_fingerprint():
    """A digest of every row of every table: equal before and after means nothing changed.
    Left out: the public forms' post counts (core.abuse), which every post moves, by
    design, whatever becomes of it."""
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.label):
        if (
            model._meta.proxy
            or not model._meta.managed
            or model._meta.label == "core.FormPostCount"
        ):
            continue
        digest.update(model._meta.label.encode())
        for row in model._default_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def unchanged_database(db):
    """Use as `with unchanged_database():` around requests that must change nothing."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        before = database_fingerprint()
        yield
        assert database_fingerprint() == before, "la base de données a changé"

    return check
