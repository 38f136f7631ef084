"""A small city for lifecycle tests: the centre's staff, a heating company, a district sub-centre with a street."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from jiesu.catalog.models import Category
from jiesu.core import clock
from jiesu.org.models import Region, Unit, User
from jiesu.org.tests.factories import RegionFactory, UnitFactory, UserFactory


@dataclass
class City:
    centre: Unit
    heating: Unit
    urban: Unit
    subcentre: Unit
    street: Unit
    district: Region
    category: Category
    operator: User
    dispatcher: User
    supervisor: User
    visitor: User
    adjudicator: User
    heating_handler: User
    urban_handler: User
    subcentre_handler: User
    street_handler: User

    def ticket_data(self, **overrides: Any) -> dict[str, Any]:
        data = {
            "title": "阳光新城小区暖气不热", "content": "家里暖气一直不热，室温只有十二度。", "kind": "complaint",
            "channel": "phone", "category": self.category.code, "region": self.district.code,
            "address": "阳光新城小区3号楼", "requester_name": "张三", "requester_phone": "13812345678",
        }
        return {**data, **overrides}


FIXED_NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def fixed_clock():  # type: ignore[no-untyped-def]
    """Lifecycle tests run on a fixed working Monday, so they never depend on today's calendar year."""
    with clock.at(FIXED_NOW):
        yield


@pytest.fixture
def city(db) -> City:  # type: ignore[no-untyped-def]
    centre = UnitFactory(code="centre", name="热线中心", kind=Unit.Kind.CENTRE)
    heating = UnitFactory(code="heating", name="供热公司", kind=Unit.Kind.UTILITY)
    urban = UnitFactory(code="urban", name="城管局")
    subcentre = UnitFactory(code="tiexi", name="铁西区分中心", kind=Unit.Kind.SUBCENTRE)
    street = UnitFactory(code="renxing", name="仁兴街道", kind=Unit.Kind.STREET, parent=subcentre)
    district = RegionFactory(code="220302", name="铁西区", level=Region.Level.DISTRICT)
    parent = Category.objects.create(code="T1", name="城乡建设", level=1)
    category = Category.objects.create(code="T1-01", name="供热", level=2, parent=parent)

    def centre_user(name: str, role: str) -> User:
        return UserFactory(username=name, role=role, unit=centre, scope="city")

    return City(
        centre=centre, heating=heating, urban=urban, subcentre=subcentre, street=street, district=district,
        category=category, operator=centre_user("op", "operator"), dispatcher=centre_user("disp", "dispatcher"),
        supervisor=centre_user("sup", "supervisor"), visitor=centre_user("vis", "visitor"),
        adjudicator=UserFactory(username="adj", role="adjudicator", unit=UnitFactory(code="justice"), scope="city"),
        heating_handler=UserFactory(username="h-heat", role="handler", unit=heating),
        urban_handler=UserFactory(username="h-urban", role="handler", unit=urban),
        subcentre_handler=UserFactory(username="h-tiexi", role="handler", unit=subcentre, scope="subtree"),
        street_handler=UserFactory(username="h-renxing", role="handler", unit=street),
    )
