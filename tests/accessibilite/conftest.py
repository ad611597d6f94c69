import pytest

from accessibilite import referentiel
from accessibilite.models import RgaaVersion


@pytest.fixture
def rgaa(db):
    """RGAA 4.1.2 as the data migration loads it. Loaded again after a test that empties
    the database (transactional tests flush every table, migration data included)."""
    if not RgaaVersion.objects.filter(number="4.1.2").exists():
        referentiel.load_all()
    return RgaaVersion.objects.get(number="4.1.2")
