"""A small world for catalog tests: a city with a district and a street, a 3-level category branch, units."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from jiesu.catalog.models import Category
from jiesu.org.models import Region
from jiesu.org.tests.factories import RegionFactory, UnitFactory, UserFactory


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    city = RegionFactory(code="220300", name="四平市", level=Region.Level.CITY)
    district = RegionFactory(code="220302", name="铁西区", level=Region.Level.DISTRICT, parent=city)
    street = RegionFactory(code="220302001", name="仁兴街道", level=Region.Level.STREET, parent=district)
    other_district = RegionFactory(code="220303", name="铁东区", level=Region.Level.DISTRICT, parent=city)
    top = Category.objects.create(code="01", name="城乡建设", level=1)
    mid = Category.objects.create(code="0101", name="供热", level=2, parent=top)
    leaf = Category.objects.create(code="010101", name="暖气不热", level=3, parent=mid)
    other_leaf = Category.objects.create(code="010102", name="停暖", level=3, parent=mid)
    units = SimpleNamespace(**{code: UnitFactory(code=code, name=name) for code, name in [
        ("heating", "四平市供热公司"), ("housing", "四平市住建局"), ("tiexi", "铁西区12345分中心"),
        ("urban", "四平市城管执法局"), ("centre", "四平市12345热线中心")]})
    admin = UserFactory(username="catalog-admin", role="admin", unit=units.centre, scope="city")
    return SimpleNamespace(city=city, district=district, street=street, other_district=other_district,
                           top=top, mid=mid, leaf=leaf, other_leaf=other_leaf, units=units, admin=admin)
