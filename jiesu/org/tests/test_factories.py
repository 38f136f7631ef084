import pytest

from jiesu.org.tests.factories import TEST_PASSWORD, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_factory_creates_the_memberships_asked_for():
    unit = UnitFactory()
    user = UserFactory(role=["operator", "dispatcher"], unit=unit, scope="city")
    assert user.roles() == {"operator", "dispatcher"}
    assert {m.unit for m in user.active_memberships()} == {unit}
    assert user.scope_for_role("operator").city_wide
    assert user.check_password(TEST_PASSWORD)


def test_user_factory_without_a_role_creates_no_membership_and_build_saves_nothing():
    assert not UserFactory().memberships.exists()
    assert UserFactory.build(unit=UnitFactory()).pk is None
