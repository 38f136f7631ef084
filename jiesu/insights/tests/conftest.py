"""The hot-issue fixture of the pages and digest tests: seven callers about one water cut at 阳光新城小区, six of
them in the last four days (a warning), the last two dispatched to the heating company."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jiesu.core import clock
from jiesu.insights import services
from jiesu.insights.models import HotIssue
from jiesu.intelligence.tests.world import FIXED_NOW, accept, world  # noqa: F401  (fixture)
from jiesu.org.tests.factories import UserFactory
from jiesu.tickets import services as ticket_services

WATER = ["停水三天了，一直没人管", "突然停水，什么时候恢复供水", "停水严重影响生活，请尽快恢复", "又停水了，老人孩子没水用",
         "停水好几天了，水龙头没水", "从周一开始停水到现在", "长时间停水，请自来水公司处理"]
NOW = FIXED_NOW + timedelta(hours=1)


@pytest.fixture
def hot(world):  # type: ignore[no-untyped-def]  # noqa: F811
    tickets = []
    for i, (days, text) in enumerate(zip([30, 4, 3.5, 3, 2, 1.5, 1], WATER, strict=True)):
        with clock.at(FIXED_NOW - timedelta(days=days)):
            tickets.append(accept(world, title=f"阳光新城小区{text}", content=f"阳光新城小区{text}，希望尽快处理。",
                                  region="220302001001", address="阳光新城小区1栋", requester_phone=f"1381234{i:04d}"))
    dispatcher = UserFactory(username="w-disp", role="dispatcher", unit=world.centre, scope="city")
    with clock.at(FIXED_NOW - timedelta(hours=2)):
        for t in tickets[-2:]:
            ticket_services.dispatch(dispatcher, t.number, lead_unit="heating")
    services.rebuild(now=FIXED_NOW)
    issue = HotIssue.objects.get(members__ticket=tickets[0])
    return issue, tickets


@pytest.fixture
def analyst(world):  # type: ignore[no-untyped-def]  # noqa: F811
    return UserFactory(username="w-ana", role="analyst", unit=world.centre, scope="city")
