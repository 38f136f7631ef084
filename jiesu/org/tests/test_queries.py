import pytest

from jiesu.core.events import events_of
from jiesu.org.models import Region, Unit
from jiesu.org.queries import (
    find_regions_by_name,
    has_history,
    region_name_index,
    region_path,
    unit_tree,
    visible_units,
)
from jiesu.org.tests.factories import MembershipFactory, RegionFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def yitong():
    city = RegionFactory(code="220300", name="四平市", level=Region.Level.CITY, aliases=["四平"])
    county = RegionFactory(code="220323", name="伊通满族自治县", level=Region.Level.DISTRICT, parent=city,
                           aliases=["伊通县", "伊通"])
    street = RegionFactory(code="220323001", name="永宁街道", level=Region.Level.STREET, parent=county)
    RegionFactory(code="220323001001", name="育才小区", parent=street, aliases=["育才社区"])
    return county


@pytest.mark.parametrize("name", ["伊通满族自治县", "伊通县", "伊通", " 伊通 县 "])
def test_a_county_is_found_by_its_name_and_by_each_alias(yitong, name):
    assert find_regions_by_name(name) == [yitong]


def test_a_community_is_found_by_its_community_variant(yitong):
    [found] = find_regions_by_name("育才社区")
    assert found.name == "育才小区"
    assert [r.name for r in region_path(found)] == ["四平市", "伊通满族自治县", "永宁街道", "育才小区"]
    assert found.full_name == "四平市伊通满族自治县永宁街道育才小区"


def test_only_exact_names_match_and_inactive_regions_are_left_out(yitong):
    assert find_regions_by_name("伊通县的") == []
    assert find_regions_by_name("") == []
    Region.objects.filter(pk=yitong.pk).update(is_active=False)
    assert find_regions_by_name("伊通县") == []
    assert find_regions_by_name("伊通县", include_inactive=True) == [yitong]


def test_an_ambiguous_name_returns_every_match_higher_levels_first(yitong):
    other = RegionFactory(code="220302001009", name="永宁街道", level=Region.Level.COMMUNITY)
    assert [r.pk for r in find_regions_by_name("永宁街道")][-1] == other.pk
    assert len(find_regions_by_name("永宁街道")) == 2


def test_the_name_index_holds_names_and_aliases(yitong):
    index = region_name_index()
    assert index["伊通"] == [yitong.pk] == index["伊通满族自治县"]
    assert "育才社区" in index and "四平" in index


def test_unit_tree_is_in_tree_order_with_depths():
    root = UnitFactory(code="root")
    a = UnitFactory(code="a", parent=root)
    UnitFactory(code="b", parent=root)
    UnitFactory(code="a1", parent=a)
    tree = [(u.code, depth) for u, depth in unit_tree()]
    assert tree[0] == ("root", 0)
    assert tree.index(("a1", 2)) == tree.index(("a", 1)) + 1
    assert ("b", 1) in tree


def test_moving_a_unit_moves_its_subtree():
    old, new = UnitFactory(code="old"), UnitFactory(code="new")
    unit = UnitFactory(code="u", parent=old)
    child = UnitFactory(code="c", parent=unit)
    unit.parent = new
    unit.save()
    child.refresh_from_db()
    assert child.path.startswith(new.path)
    assert set(new.descendants_and_self().values_list("code", flat=True)) == {"new", "u", "c"}


def test_history_is_anything_that_refers_to_the_row():
    unit = UnitFactory()
    assert not has_history(unit)
    user = UserFactory()
    assert not has_history(user)
    MembershipFactory(user=user, unit=unit)
    assert has_history(unit) and has_history(user)
    region = RegionFactory(aliases=["别名"])
    assert not has_history(region, ignore=("aliases",))
    assert has_history(region)
    assert not events_of("unit", unit.pk).exists()
    UnitFactory(parent=Unit.objects.get(pk=unit.pk))
    assert has_history(unit)


def test_visible_units_are_the_active_units_a_user_reaches():
    root = UnitFactory(code="sub")
    street = UnitFactory(code="street", parent=root)
    UnitFactory(code="closed", parent=root, is_active=False)
    UnitFactory(code="elsewhere")
    chief = UserFactory(role="handler", unit=root, scope="subtree")
    assert [u.code for u in visible_units(chief)] == ["sub", "street"]
    assert street in visible_units(UserFactory(role="handler", unit=street))
