"""A proactive task from a hot issue: the issue's tickets attached, the usual unit and category proposed."""

from __future__ import annotations

import pytest

from jiesu.core import clock
from jiesu.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from jiesu.insights import services
from jiesu.insights.models import HotIssue
from jiesu.insights.proactive import create_task_from_issue, draft
from jiesu.insights.tests.test_ticket_issues import _history
from jiesu.intelligence.tests.world import FIXED_NOW, world  # noqa: F401  (fixture)
from jiesu.org.tests.factories import UserFactory
from jiesu.tickets import services as ticket_services
from jiesu.tickets.models import ProactiveTask, Ticket
from jiesu.tickets.states import State

DUE = "2026-03-13"


def _issue(world):  # noqa: F811
    water, _ = _history(world)
    services.rebuild(now=FIXED_NOW)
    return water, HotIssue.objects.get(members__ticket=water[0])


def _dispatcher(world):  # noqa: F811
    return UserFactory(username="w-disp", role="dispatcher", unit=world.centre, scope="city")


def test_the_draft_proposes_the_issues_tickets_unit_and_category(world):  # noqa: F811
    water, issue = _issue(world)
    with clock.at(FIXED_NOW):
        ticket_services.dispatch(_dispatcher(world), water[0], lead_unit="heating")
    proposed = draft(issue)
    assert set(proposed["members"]) == {t.number for t in water}
    assert proposed["lead_unit"] == "heating" and proposed["category"] == "0101"
    assert issue.description in proposed["title"]


def test_a_task_from_the_issue_attaches_its_members_and_names_the_issue(world):  # noqa: F811
    water, issue = _issue(world)
    with clock.at(FIXED_NOW):
        task = create_task_from_issue(_dispatcher(world), issue.pk, {"lead_unit": "heating", "due_on": DUE})
    record = ProactiveTask.objects.get(ticket=task)
    assert record.hot_issue_id == issue.pk and record.hot_issue_description == issue.description
    assert set(record.members.values_list("ticket_id", flat=True)) == {t.pk for t in water}
    assert {Ticket.objects.get(pk=t.pk).status for t in water} == {State.ASSIGNED}
    assert draft(issue)["members"] == []  # its tickets are taken by the open task


def test_only_the_dispatcher_creates_one_and_a_missing_issue_is_404(world):  # noqa: F811
    _, issue = _issue(world)
    dispatcher = _dispatcher(world)
    with clock.at(FIXED_NOW):
        with pytest.raises(PermissionDeniedError):
            create_task_from_issue(world.operator, issue.pk, {"lead_unit": "heating", "due_on": DUE})
        with pytest.raises(NotFound):
            create_task_from_issue(dispatcher, 999_999, {"lead_unit": "heating", "due_on": DUE})
        with pytest.raises(ValidationFailed):
            create_task_from_issue(dispatcher, issue.pk, {"lead_unit": "heating"})
    assert not ProactiveTask.objects.exists()
