"""The hot-issue pages: for 统计查看 only; the list's filter in the URL, the districts' bars from the regions
table, the warnings; an issue's trend and tickets; a unit sees only the issues and tickets it may see."""

from __future__ import annotations

import json
import re

import pytest

from jiesu.core import clock
from jiesu.insights.models import HotIssueWarning
from jiesu.insights.tests.conftest import NOW
from jiesu.org.tests.factories import UserFactory


def get(client, user, url: str, status: int = 200) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    with clock.at(NOW):
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode() if status == 200 else ""


def chart(html: str, name: str) -> dict:  # type: ignore[type-arg]
    match = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', html, re.S)
    assert match, name
    return json.loads(match.group(1))


def test_the_analyst_sees_the_list_its_warning_and_the_districts(client, world, hot, analyst):  # noqa: F811
    issue, _ = hot
    assert HotIssueWarning.objects.filter(issue=issue).count() == 1
    html = get(client, analyst, "/hot/")
    assert f'data-issue="{issue.pk}"' in html and issue.description in html
    assert 'id="warnings"' in html and "近期 6 人反映" in html
    assert 'href="/hot/"' in html  # the navigation's link
    bars = chart(html, "hot-regions")
    assert "铁西区" in bars["labels"] and bars["data"][bars["labels"].index("铁西区")] == 1
    assert "<script>" not in html.replace('type="application/json"', "")  # no inline script (CSP)


@pytest.mark.parametrize(("query", "shown"), [("days=7", True), ("area=220302", True), ("area=220303", False),
                                              ("q=阳光新城", True), ("q=垃圾", False), ("warned=1", True)])
def test_the_filter_is_in_the_url(client, hot, analyst, query, shown):  # type: ignore[no-untyped-def]
    issue, _ = hot
    html = get(client, analyst, f"/hot/?{query}")
    assert (f'data-issue="{issue.pk}"' in html) is shown


def test_a_bad_filter_is_said_and_the_default_shown(client, hot, analyst):  # type: ignore[no-untyped-def]
    html = get(client, analyst, "/hot/?days=abc")
    assert "时间范围应为最近 7、30 或 90 天" in html and f'data-issue="{hot[0].pk}"' in html
    assert "六位区划代码" in get(client, analyst, "/hot/?area=铁西区")


def test_the_issue_page_has_its_trend_and_links_to_every_ticket(client, hot, analyst):  # type: ignore[no-untyped-def]
    issue, tickets = hot
    html = get(client, analyst, f"/hot/{issue.pk}/")
    trend = chart(html, "hot-trend")
    assert sum(trend["series"][0]["data"]) == 7 and sum(trend["series"][1]["data"]) == 7
    assert trend["days"][0] == "01-31" and trend["days"][-1] == "03-01" and len(trend["days"]) == 30
    for t in tickets:
        assert f'href="/tickets/{t.number}/"' in html
    assert "按自身历史预期约" in html and "供热" in html  # the warning; the members' category


def test_a_unit_sees_only_its_own_tickets_of_an_issue(client, world, hot):  # type: ignore[no-untyped-def]  # noqa: F811
    issue, tickets = hot
    heating = UserFactory(username="w-heat-sup", role="supervisor", unit=world.heating)
    html = get(client, heating, f"/hot/{issue.pk}/")
    assert [t.number for t in tickets if f"/tickets/{t.number}/" in html] == [t.number for t in tickets[-2:]]
    assert "其他单位的工单不显示" in html
    listing = get(client, heating, "/hot/")
    assert re.search(rf'data-issue="{issue.pk}".*?2 / 7', listing, re.S)
    tiexi = UserFactory(username="w-tiexi-sup", role="supervisor", unit=world.tiexi)
    assert f'data-issue="{issue.pk}"' not in get(client, tiexi, "/hot/")
    get(client, tiexi, f"/hot/{issue.pk}/", status=404)
    assert "近期 6 人反映" not in get(client, tiexi, "/hot/")


def test_only_statistics_staff_open_the_pages(client, world, hot):  # type: ignore[no-untyped-def]  # noqa: F811
    get(client, world.handler, "/hot/", status=403)
    get(client, world.handler, f"/hot/{hot[0].pk}/", status=403)
    assert 'href="/hot/"' not in get(client, world.handler, "/")
    get(client, world.operator, "/hot/999999/", status=403)


def test_the_supervisor_s_home_page_shows_the_warnings(client, world, hot):  # type: ignore[no-untyped-def]  # noqa: F811
    supervisor = UserFactory(username="w-sup", role="supervisor", unit=world.centre, scope="city")
    html = get(client, supervisor, "/")
    assert "热点预警" in html and f'href="/hot/{hot[0].pk}/"' in html
