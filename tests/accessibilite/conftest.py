import pytest

from tests.accessibilite.factories import rgaa_version


@pytest.fixture
def rgaa(db):
    return rgaa_version()
