"""The tickets' hot issues: rebuild groups a period's tickets; update lets new ones join or start an issue."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from jiesu.core import clock
from jiesu.core.models import Event
from jiesu.insights import services
from jiesu.insights.models import HotIssue, HotIssueMember
from jiesu.intelligence.tests.world import FIXED_NOW, accept, world  # noqa: F401  (fixture)

WATER = ["停水三天了，一直没人管", "突然停水，什么时候恢复供水", "停水严重影响生活，请尽快恢复", "又停水了，老人孩子没水用"]
OTHER = ["路灯不亮很久了", "垃圾没人清运", "电梯经常困人", "楼道墙皮脱落", "下水道堵塞", "占道经营", "乱收停车费",
         "井盖丢失", "小广告贴满单元门", "绿化带被毁"]


def _file(world, days_ago: float, title: str, phone: str, region: str = "220302001001", place: str = "阳光新城小区"):  # noqa: F811
    with clock.at(FIXED_NOW - timedelta(days=days_ago)):
        return accept(world, title=f"{place}{title}", content=f"{place}{title}，希望尽快处理。", region=region,
                      address=f"{place}1栋", requester_phone=phone)


def _history(world):  # noqa: F811
    water = [_file(world, 10 - i, WATER[i], f"1381234{i:04d}") for i in range(4)]
    others = [_file(world, 20 - i, text, f"1391234{i:04d}", "220303001001", "北二小区") for i, text in enumerate(OTHER)]
    return water, others


def test_rebuild_groups_the_period_s_tickets_and_writes_one_event(world):  # noqa: F811
    water, _ = _history(world)
    hot = services.rebuild(now=FIXED_NOW)
    issue = HotIssue.objects.get(members__ticket=water[0])
    assert hot == 1 and issue.requesters == 4 and issue.tickets == 4
    assert set(issue.members.values_list("ticket_id", flat=True)) == {t.pk for t in water}
    assert "停水" in issue.terms and issue.place == "阳光新城小区"
    assert HotIssueMember.objects.count() == 4 + len(OTHER)  # single tickets are kept, to be joined later
    assert Event.objects.filter(subject_type="insights.hot_issues", action="rebuild").count() == 1
    assert services.rebuild(now=FIXED_NOW) == 1 and HotIssueMember.objects.count() == 4 + len(OTHER)


def test_a_new_ticket_joins_its_issue_or_starts_one(world):  # noqa: F811
    water, _ = _history(world)
    services.rebuild(now=FIXED_NOW - timedelta(days=1))
    issue = HotIssue.objects.get(members__ticket=water[0])
    again = _file(world, 0.5, "停水到现在还没恢复", "13700000001")
    elsewhere = _file(world, 0.4, "停水三天了，一直没人管", "13700000002", "220303001001", "北二小区")
    counts = services.update(now=FIXED_NOW)
    assert counts == {"tickets": 2, "joined": 1, "started": 1, "rebuilt": 0}
    issue.refresh_from_db()
    assert issue.tickets == 5 and issue.requesters == 5 and issue.members.filter(ticket=again).exists()
    assert HotIssue.objects.get(members__ticket=elsewhere).pk != issue.pk
    assert services.update(now=FIXED_NOW)["tickets"] == 0  # nothing is added twice
    assert Event.objects.filter(subject_type="insights.hot_issues", action="update").count() == 2


def test_the_same_caller_again_is_not_another_requester(world):  # noqa: F811
    water, _ = _history(world)
    services.rebuild(now=FIXED_NOW - timedelta(days=1))
    _file(world, 0.5, "又停水了，还是没人管", "13812340000")  # the first caller's number
    services.update(now=FIXED_NOW)
    issue = HotIssue.objects.get(members__ticket=water[0])
    assert issue.tickets == 5 and issue.requesters == 4


def test_the_commands_rebuild_update_and_list(world):  # noqa: F811
    _history(world)
    out = StringIO()
    with clock.at(FIXED_NOW):
        call_command("hot", "rebuild", stdout=out, stderr=StringIO())
        call_command("hot", "update", stdout=out, stderr=StringIO())
        call_command("hot", "list", "--json", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "热点已重建：1 个热点问题" in text and "新工单 0 张" in text and '"requesters": 4' in text


def test_the_admin_lists_the_issues_read_only(world, admin_client):  # noqa: F811
    _history(world)
    services.rebuild(now=FIXED_NOW)
    page = admin_client.get("/admin/insights/hotissue/")
    assert page.status_code == 200 and "停水" in page.content.decode()
    assert admin_client.get("/admin/insights/hotissue/add/").status_code == 403


def test_the_demo_step_groups_the_city_s_tickets(world):  # noqa: F811
    from types import SimpleNamespace

    from jiesu.insights import demo

    _history(world)
    said: list[str] = []
    ctx = SimpleNamespace(progress=said.append, unit=lambda code: world.centre)
    with clock.at(FIXED_NOW):
        demo.load(ctx)
        demo.load(ctx)  # idempotent: rebuilt, not added
    assert HotIssue.objects.filter(requesters__gte=2).count() == 1
    assert said[-1].startswith("热点问题：1 个，最热：阳光新城小区：")


def test_update_writes_with_as_many_queries_for_three_issues_as_for_one(world):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _history(world)
    services.rebuild(now=FIXED_NOW - timedelta(days=1))
    _file(world, 0.5, "停水到现在还没恢复", "13700000001")
    with CaptureQueriesContext(connection) as one:
        assert services.update(now=FIXED_NOW)["joined"] == 1
    for i, text in enumerate(OTHER[:3]):
        _file(world, 0.4, text, f"1370000010{i}", "220303001001", "北二小区")
    with CaptureQueriesContext(connection) as three:
        counts = services.update(now=FIXED_NOW)
    assert counts["tickets"] == 3 and counts["joined"] + counts["started"] == 3
    assert HotIssue.objects.filter(members__ticket__title__startswith="北二小区", tickets=2).distinct().count() == counts["joined"]
    assert len(three) <= len(one)


def test_the_list_gives_each_issue_s_ticket_numbers_in_two_queries(world):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jiesu.insights import queries

    water, _ = _history(world)
    _file(world, 9.5, "停水，楼上楼下都没水", "13712340000", "220303001001", "北二小区")
    _file(world, 9.4, "北二小区也停水了，一直没人管", "13712340001", "220303001001", "北二小区")
    services.rebuild(now=FIXED_NOW)
    with CaptureQueriesContext(connection) as listed:
        issues = [queries.as_json(row) for row in queries.hot_issues()]
    assert len(issues) == 2 and len(listed) == 2  # not one query per issue
    assert [t.number for t in water] in [issue["members"] for issue in issues]
