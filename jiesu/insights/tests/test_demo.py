"""The insights demo step on the demo city's tickets: it groups them, raises one early warning (to the centre's
contact) and loads again to the same result, the warning found again and not repeated."""

from __future__ import annotations

import io

import pytest

from jiesu.demo.runner import run_demo
from jiesu.insights.models import HotIssue, HotIssueMember, HotIssueWarning
from jiesu.notify.models import OutboxMessage
from jiesu.tickets.models import Ticket

STEPS = ["jiesu.org.demo", "jiesu.catalog.demo", "jiesu.notify.demo", "jiesu.tickets.demo", "jiesu.insights.demo"]


@pytest.mark.django_db
def test_the_demo_city_s_tickets_become_hot_issues(settings):
    settings.DEMO_PASSWORD = "demo-password-for-tests"
    out = io.StringIO()
    run_demo(out, steps=STEPS)
    assert "热点问题：" in out.getvalue()
    members = HotIssueMember.objects.count()
    assert 0 < members <= Ticket.objects.count()
    first = sorted(HotIssue.objects.values_list("description", "tickets"))
    warning = HotIssueWarning.objects.get()  # 阳光新城小区's heating: five callers this week, hardly any before
    assert "阳光新城小区" in warning.description and warning.recent >= 5 and "今日预警 1 个" in out.getvalue()
    assert OutboxMessage.objects.filter(template="hot_issue_warning", unit__code="centre").count() == 2
    run_demo(io.StringIO(), steps=STEPS)
    assert sorted(HotIssue.objects.values_list("description", "tickets")) == first
    assert HotIssueWarning.objects.get().issue == HotIssue.objects.get(members__ticket_id=warning.ticket_ids[0])


@pytest.mark.django_db
def test_the_demo_city_has_one_proactive_task_from_a_hot_issue(settings):
    from jiesu.tickets.models import ProactiveTask

    settings.DEMO_PASSWORD = "demo-password-for-tests"
    steps = [*STEPS, "jiesu.insights.demo_task"]
    out = io.StringIO()
    run_demo(out, steps=steps)
    task = ProactiveTask.objects.select_related("ticket").get()
    assert task.hot_issue_id is not None and task.members.exists() and "演示数据" in task.ticket.content
    assert task.ticket.kind == "task" and task.ticket.lead_unit is not None
    run_demo(io.StringIO(), steps=steps)
    assert ProactiveTask.objects.count() == 1
