"""restrict(): a user sees the rows of the units their roles reach, and nothing else."""

import pytest
from django.contrib.auth.models import AnonymousUser

from jiesu.core.errors import NotFound, PermissionDeniedError
from jiesu.core.permissions import Perm
from jiesu.core.scope import get_restricted, has_perm, require_perm, restrict
from jiesu.org.models import Unit
from jiesu.org.tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """centre; heating company; district sub-centre → street → community; another district."""
    root = UnitFactory(code="gov", kind=Unit.Kind.OTHER)
    return {
        "root": root,
        "centre": UnitFactory(code="centre", parent=root, kind=Unit.Kind.CENTRE),
        "heating": UnitFactory(code="heating", parent=root, kind=Unit.Kind.UTILITY),
        "tiexi": (tiexi := UnitFactory(code="tiexi", parent=root, kind=Unit.Kind.SUBCENTRE)),
        "street": (street := UnitFactory(code="renxing", parent=tiexi, kind=Unit.Kind.STREET)),
        "community": UnitFactory(code="yangguang", parent=street, kind=Unit.Kind.COMMUNITY),
        "tiedong": UnitFactory(code="tiedong", parent=root, kind=Unit.Kind.SUBCENTRE),
    }


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def test_a_handler_sees_only_their_own_units_rows(tree):
    handler = UserFactory(role="handler", unit=tree["heating"])
    assert codes(restrict(Unit.objects.all(), handler, Perm.TICKET_VIEW)) == {"heating"}


def test_a_subtree_scope_reaches_the_sub_units_but_not_siblings_or_parents(tree):
    handler = UserFactory(role="handler", unit=tree["tiexi"], scope="subtree")
    assert codes(restrict(Unit.objects.all(), handler)) == {"tiexi", "renxing", "yangguang"}


def test_a_subtree_scope_leaves_out_deactivated_sub_units(tree):
    tree["street"].is_active = False
    tree["street"].save()
    handler = UserFactory(role="handler", unit=tree["tiexi"], scope="subtree")
    assert codes(restrict(Unit.objects.all(), handler)) == {"tiexi", "yangguang"}


def test_a_unit_scope_on_a_parent_does_not_reach_its_children(tree):
    handler = UserFactory(role="handler", unit=tree["tiexi"], scope="unit")
    assert codes(restrict(Unit.objects.all(), handler)) == {"tiexi"}


def test_a_city_scope_sees_every_row(tree):
    operator = UserFactory(role="operator", unit=tree["centre"], scope="city")
    assert codes(restrict(Unit.objects.all(), operator)) == {u.code for u in tree.values()}


def test_roles_in_several_units_add_up(tree):
    handler = UserFactory(role="handler", unit=tree["heating"])
    MembershipFactory(user=handler, unit=tree["tiedong"], role="handler")
    assert codes(restrict(Unit.objects.all(), handler)) == {"heating", "tiedong"}


def test_an_inactive_membership_gives_nothing(tree):
    handler = UserFactory(username="h")
    MembershipFactory(user=handler, unit=tree["heating"], is_active=False)
    assert not restrict(Unit.objects.all(), handler).exists()


def test_a_deactivated_unit_gives_its_staff_nothing(tree):
    handler = UserFactory(role="handler", unit=tree["heating"])
    Unit.objects.filter(pk=tree["heating"].pk).update(is_active=False)
    handler.refresh_from_db()
    assert not restrict(Unit.objects.all(), handler).exists()


def test_a_deactivated_user_sees_nothing_even_with_a_city_scope(tree):
    operator = UserFactory(role="operator", unit=tree["centre"], scope="city", is_active=False)
    assert not restrict(Unit.objects.all(), operator).exists()


def test_a_permission_the_role_does_not_grant_gives_nothing(tree):
    handler = UserFactory(role="handler", unit=tree["heating"], scope="city")
    assert not restrict(Unit.objects.all(), handler, Perm.STATS_VIEW).exists()
    assert not has_perm(handler, Perm.ORG_MANAGE)
    with pytest.raises(PermissionDeniedError):
        require_perm(handler, Perm.CATALOG_MANAGE)


def test_only_the_role_that_grants_the_permission_counts(tree):
    user = UserFactory(role="handler", unit=tree["heating"])
    MembershipFactory(user=user, unit=tree["centre"], role="analyst", scope="city")
    assert codes(restrict(Unit.objects.all(), user, Perm.STATS_VIEW)) == {u.code for u in tree.values()}
    assert codes(restrict(Unit.objects.all(), user, Perm.PERSONAL_DATA_REVEAL)) == {"heating"}


def test_anonymous_visitors_see_nothing(tree):
    assert not restrict(Unit.objects.all(), AnonymousUser()).exists()
    assert not restrict(Unit.objects.all(), None).exists()


def test_a_superuser_sees_only_what_their_roles_show(tree):
    """Superuser status is for configuration; tickets and units are seen through roles like anyone's."""
    root = UserFactory(is_superuser=True)
    assert not restrict(Unit.objects.all(), root).exists()
    MembershipFactory(user=root, unit=tree["heating"], role="handler", scope="unit")
    root = type(root).objects.get(pk=root.pk)
    assert codes(restrict(Unit.objects.all(), root)) == {"heating"}


def test_get_restricted_hides_another_units_row_as_not_found(tree):
    handler = UserFactory(role="handler", unit=tree["heating"])
    assert get_restricted(Unit.objects.all(), handler, code="heating") == tree["heating"]
    with pytest.raises(NotFound):
        get_restricted(Unit.objects.all(), handler, code="tiexi")
