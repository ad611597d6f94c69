"""Fixtures of the chantiers tests."""

import pytest

from tests.chantiers.factories import OpenIntersessionFactory
from tests.factories import ChantierFactory


@pytest.fixture
def meeting():
    """An intersession of « Dessine-moi ton agriculture ! » open to three people."""
    chantier = ChantierFactory(title="Dessine-moi ton agriculture !", slug="agriculture")
    return OpenIntersessionFactory(
        chantier=chantier, title="Intersession de printemps", slug="printemps", capacity=3
    )
