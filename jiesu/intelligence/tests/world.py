"""A small intake world on the demo city's regions: categories, units, a catalog rule, staff and tickets."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from jiesu.catalog import services as catalog_services
from jiesu.catalog.models import Category
from jiesu.core import clock
from jiesu.intelligence.tests.regions import load_demo_regions
from jiesu.org.tests.factories import UnitFactory, UserFactory
from jiesu.tickets import services as ticket_services

FIXED_NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def ticket_data(**overrides: Any) -> dict[str, Any]:
    data = {"title": "阳光新城小区暖气不热", "content": "家里暖气一直不热，室温只有十二度，供热公司电话打不通。",
            "kind": "complaint", "channel": "phone", "category": "0101", "region": "220302001001",
            "address": "铁西区阳光新城小区3栋", "requester_name": "张三", "requester_phone": "13812345678"}
    return {**data, **overrides}


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    with clock.at(FIXED_NOW):
        regions = load_demo_regions()
        top = Category.objects.create(code="01", name="城乡建设", level=1)
        heating_cat = Category.objects.create(code="0101", name="供热", level=2, parent=top)
        centre = UnitFactory(code="centre", name="四平市12345热线中心", kind="centre")
        heating = UnitFactory(code="heating", name="四平市供热公司", kind="utility")
        tiexi = UnitFactory(code="tiexi", name="铁西区12345分中心", kind="subcentre")
        admin = UserFactory(username="w-admin", role="admin", unit=centre, scope="city")
        catalog_services.create_rule(admin, category=heating_cat, region=regions["220302"], lead_unit=heating,
                                     co_units=[tiexi], legal_basis="《吉林省城市供热条例》第五条",
                                     valid_from=date(2025, 1, 1))
        yield SimpleNamespace(
            regions=regions, top=top, heating_cat=heating_cat, centre=centre, heating=heating, tiexi=tiexi,
            admin=admin, operator=UserFactory(username="w-op", role="operator", unit=centre, scope="city"),
            handler=UserFactory(username="w-heat", role="handler", unit=heating),
            outsider=UserFactory(username="w-tiexi", role="operator", unit=tiexi),  # sees only tiexi's tickets
        )


def accept(world, **overrides: Any):  # type: ignore[no-untyped-def]
    return ticket_services.accept(world.operator, ticket_data(**overrides))
