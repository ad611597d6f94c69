"""core.numbers.share_of_total and core.roles.is_elu: the one place each is computed."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from core.numbers import share_of_total
from core.roles import ELUS, TEAM, is_elu
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("part", "total", "expected"),
    [
        (1, 3, Decimal("33.3")),
        (1, 8, Decimal("12.5")),
        (1, 16, Decimal("6.3")),  # 6.25 rounds half up, not to even
        (Decimal("214000000"), Decimal("214000000"), Decimal("100.0")),
        (None, 10, None),
        (5, 0, None),
        (5, None, None),
    ],
)
def test_share_of_total(part, total, expected):
    assert share_of_total(part, total) == expected


@pytest.mark.django_db
def test_is_elu_asks_the_groups_once_per_user(django_assert_num_queries):
    elu = UserFactory()
    elu.groups.add(Group.objects.get_or_create(name=ELUS)[0])
    team = UserFactory()
    team.groups.add(Group.objects.get_or_create(name=TEAM)[0])
    with django_assert_num_queries(2):
        assert is_elu(elu) and is_elu(elu)
        assert not is_elu(team) and not is_elu(team)
    elu.is_active = False
    assert not is_elu(elu)
