"""The insights demo step on the demo city's tickets: it groups them and loads again to the same result."""

from __future__ import annotations

import io

import pytest

from jiesu.demo.runner import run_demo
from jiesu.insights.models import HotIssue, HotIssueMember
from jiesu.tickets.models import Ticket

STEPS = ["jiesu.org.demo", "jiesu.catalog.demo", "jiesu.tickets.demo", "jiesu.insights.demo"]


@pytest.mark.django_db
def test_the_demo_city_s_tickets_become_hot_issues(settings):
    settings.DEMO_PASSWORD = "demo-password-for-tests"
    out = io.StringIO()
    run_demo(out, steps=STEPS)
    assert "热点问题：" in out.getvalue()
    members = HotIssueMember.objects.count()
    assert 0 < members <= Ticket.objects.count()
    first = sorted(HotIssue.objects.values_list("description", "tickets"))
    run_demo(io.StringIO(), steps=STEPS)
    assert sorted(HotIssue.objects.values_list("description", "tickets")) == first
