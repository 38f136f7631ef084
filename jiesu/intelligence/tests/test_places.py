"""Place extraction on addresses of the demo city, written the way callers say them."""

from __future__ import annotations

import pytest

from jiesu.intelligence.places import extract_place, mentions
from jiesu.intelligence.tests.regions import siping  # noqa: F401  (fixture)
from jiesu.org.models import Region, RegionAlias

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("address", "code", "path"), [
    ("铁西区阳光新城小区3栋", "220302001001", ["四平市", "铁西区", "仁兴街道", "阳光新城小区"]),
    ("四平市铁东区北二小区门口", "220303001001", ["四平市", "铁东区", "北门街道", "北二小区"]),
    ("伊通县永宁街道育才小区", "220323001001", ["四平市", "伊通满族自治县", "永宁街道", "育才小区"]),
    ("伊通县城里，靠近汽车站", "220323", ["四平市", "伊通满族自治县"]),
    ("阳光新城", "220302001001", ["四平市", "铁西区", "仁兴街道", "阳光新城小区"]),
    ("梨树县郭家店镇", "220322101", ["四平市", "梨树县", "郭家店镇"]),
    ("双辽郑家屯", "220382001", ["四平市", "双辽市", "郑家屯街道"]),
    ("四平市", "220300", ["四平市"]),
])
def test_typed_addresses_resolve_to_the_deepest_region(siping, address, code, path):  # noqa: F811
    place = extract_place(address=address)
    assert place is not None
    assert (place.code, place.path, place.ambiguous) == (code, path, False)


def test_a_place_in_the_free_text_is_found(siping):  # noqa: F811
    place = extract_place("我住在铁东区北二小区，楼道灯坏了半个月没人修")
    assert place is not None and place.code == "220303001001"
    assert place.matched == ["铁东区", "北二小区"]
    assert place.matched_text == "铁东区 · 北二小区"


def test_the_longest_name_wins_at_a_position(siping):  # noqa: F811
    assert mentions("伊通满族自治县伊通镇") == ["伊通满族自治县", "伊通镇"]
    place = extract_place(address="伊通县伊通镇")
    assert place is not None and place.code == "220323100"


def test_text_without_a_place_gives_none(siping):  # noqa: F811
    assert extract_place("暖气不热，室温只有十二度", "3栋2单元") is None
    assert extract_place("", "") is None


def test_the_address_outweighs_the_free_text(siping):  # noqa: F811
    place = extract_place("上周去铁东区办事时看到的", "铁西区阳光新城小区")
    assert place is not None and place.code == "220302001001"


def test_a_community_name_in_two_streets_is_ambiguous_until_the_district_is_said(siping):  # noqa: F811
    street_w, street_e = Region.objects.get(code="220302002"), Region.objects.get(code="220303002")
    a = Region.objects.create(code="220302002009", name="新华社区", level=5, parent=street_w)
    b = Region.objects.create(code="220303002009", name="新华社区", level=5, parent=street_e)
    RegionAlias.objects.create(region=a, alias="新华小区")
    RegionAlias.objects.create(region=b, alias="新华小区")
    alone = extract_place(address="新华小区5号楼")
    assert alone is not None and alone.ambiguous
    assert sorted(alone.alternatives) == [a.code, b.code]
    said = extract_place(address="铁东区新华小区5号楼")
    assert said is not None and (said.code, said.ambiguous) == (b.code, False)
    within = extract_place(address="新华小区5号楼", within="220302")
    assert within is not None and (within.code, within.ambiguous) == (a.code, False)


def test_ambiguous_communities_of_one_street_resolve_to_the_street(siping):  # noqa: F811
    street = Region.objects.get(code="220302001")
    for code in ("220302001091", "220302001092"):
        Region.objects.create(code=code, name="幸福里", level=5, parent=street)
    place = extract_place(address="幸福里")
    assert place is not None and place.code == "220302001" and place.ambiguous


def test_the_region_chosen_on_the_form_excludes_other_districts(siping):  # noqa: F811
    # 红旗社区 is in 铁西区; 红旗街道 is in 双辽市: with 双辽市 chosen only the street fits.
    place = extract_place(address="红旗街道", within="220382")
    assert place is not None and place.code == "220382004"


def test_inactive_regions_are_not_found(siping):  # noqa: F811
    Region.objects.filter(code="220303001001").update(is_active=False)
    place = extract_place(address="铁东区北二小区")
    assert place is not None and place.code == "220303"
