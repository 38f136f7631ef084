"""Proactive tasks (未诉先办): created with their members, answered once for all, reviewed once, each member
followed up on its own; refused inputs change nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from jiesu.core.errors import ActionNotAllowed, PermissionDeniedError, ValidationFailed
from jiesu.core.models import Event
from jiesu.tickets import services
from jiesu.tickets.models import ProactiveTask, TaskMember, Ticket
from jiesu.tickets.queries import ticket_events
from jiesu.tickets.services.proactive import create_task
from jiesu.tickets.states import State
from jiesu.tickets.tests.builders import ticket_in_state
from jiesu.worktime.calendar import get_calendar

pytestmark = pytest.mark.django_db

DUE = date(2026, 3, 13)  # the fixed clock is Monday 2 March 2026


def _task(city, tickets, **overrides):  # type: ignore[no-untyped-def]
    data = {"title": "阳光新城小区供暖不达标专项整治", "content": "排查全小区管网，两周内恢复室温。",
            "lead_unit": "heating", "due_on": DUE.isoformat(), "members": [t.number for t in tickets], **overrides}
    return create_task(city.dispatcher, data)


def _members(city, n=3):  # type: ignore[no-untyped-def]
    return [services.accept(city.operator, city.ticket_data(requester_phone=f"1381234567{k}")) for k in range(n)]


def _fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def test_a_task_is_dispatched_to_its_unit_with_the_centres_deadline_and_its_members(city):
    members = _members(city)
    task = _task(city, members)
    assert task.kind == "task" and task.status == State.ASSIGNED and task.channel.code == "task"
    assert task.lead_unit == city.heating and task.is_anonymous
    assert set(TaskMember.objects.filter(task__ticket=task).values_list("ticket_id", flat=True)) == {
        m.pk for m in members}
    for m in members:
        assert _fresh(m).status == State.ASSIGNED and _fresh(m).lead_unit == city.heating
    assert [e.action for e in ticket_events(task)] == ["accept", "dispatch"]
    task = services.sign(city.heating_handler, task)
    due = ProactiveTask.objects.get(ticket=task).due_at
    assert task.assignments.get(is_current=True).reply_due_at == due
    local = timezone.localtime(due)
    assert (local.date(), local.time()) == (DUE, get_calendar().periods[-1][1])  # the close of business


def test_the_tasks_reply_answers_every_member_with_its_own_events(city):
    members = _members(city)
    task = services.sign(city.heating_handler, _task(city, members))
    task = services.reply(city.heating_handler, task, result="更换了二号换热站的循环泵，全小区室温已达 20 度。")
    assert task.status == State.REPLIED
    for m in members:
        m = _fresh(m)
        assert m.status == State.REPLIED
        assert [e.action for e in ticket_events(m)][-2:] == ["sign", "reply"]
        reply = m.assignments.get(is_current=True).replies.get()
        assert reply.result.startswith("更换了二号换热站")
    event = ticket_events(task).last()
    assert event.action == "reply" and sorted(event.data["members_answered"]) == sorted(m.number for m in members)


def test_the_review_of_the_task_reviews_the_members_and_each_is_followed_up(city):
    members = _members(city, 2)
    task = services.sign(city.heating_handler, _task(city, members))
    services.reply(city.heating_handler, task, result="已全部修复。")
    task = services.review_reply(city.supervisor, task, decision="approve")
    assert task.status == State.CLOSED and task.closing_type == "handled"
    for m in members:
        m = _fresh(m)
        assert m.status == State.VISITING and m.visit_due_at is not None
        m = services.visit(city.visitor, m, outcome="reached", resolution="resolved", satisfaction="satisfied")
        assert m.status == State.VISITED


def test_sending_the_tasks_reply_back_sends_the_members_back(city):
    members = _members(city, 2)
    task = services.sign(city.heating_handler, _task(city, members))
    services.reply(city.heating_handler, task, result="已修复。")
    task = services.review_reply(city.supervisor, task, decision="send_back", opinion="未附照片")
    assert task.status == State.IN_PROGRESS
    assert {_fresh(m).status for m in members} == {State.IN_PROGRESS}
    services.reply(city.heating_handler, task, result="已修复，附照片。")
    assert {_fresh(m).status for m in members} == {State.REPLIED}


def test_a_member_of_another_unit_is_attached_for_reference_and_not_answered(city):
    elsewhere = ticket_in_state(city, State.ASSIGNED)
    other = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, other, lead_unit="urban")
    task = services.sign(city.heating_handler, _task(city, [elsewhere, other]))
    memberships = {m.ticket_id: m.answers for m in TaskMember.objects.filter(task__ticket=task)}
    assert memberships == {elsewhere.pk: True, other.pk: False}  # heating holds the first already
    services.reply(city.heating_handler, task, result="已修复。")
    assert _fresh(elsewhere).status == State.REPLIED and _fresh(other).status == State.ASSIGNED


def test_a_member_waiting_for_an_extension_review_keeps_its_own_way(city):
    waiting = ticket_in_state(city, State.IN_PROGRESS)
    services.request_extension(city.heating_handler, waiting, working_days=2, reason="等配件")
    task = services.sign(city.heating_handler, _task(city, [waiting]))
    task = services.reply(city.heating_handler, task, result="已修复。")
    assert _fresh(waiting).status == State.IN_PROGRESS
    assert ticket_events(task).last().data["members_left"] == [waiting.number]


def test_only_the_centres_dispatcher_creates_a_task(city):
    members = _members(city, 1)
    before = Event.objects.count()
    for who in (city.operator, city.supervisor, city.heating_handler, city.visitor):
        with pytest.raises(PermissionDeniedError):
            create_task(who, {"title": "t", "content": "c", "lead_unit": "heating", "due_on": DUE.isoformat(),
                              "members": [members[0].number]})
    assert Event.objects.count() == before and not ProactiveTask.objects.exists()
    assert _fresh(members[0]).status == State.RECEIVED


def test_only_the_units_handler_replies_to_a_task(city):
    task = services.sign(city.heating_handler, _task(city, _members(city, 1)))
    with pytest.raises(PermissionDeniedError):
        services.reply(city.urban_handler, task, result="不是我们的")


@pytest.mark.parametrize("overrides, field", [
    ({"members": ["SP20260302999999"]}, "members"),
    ({"members": ["x"] * 501}, "members"),
    ({"lead_unit": "nowhere"}, "lead_unit"),
    ({"due_on": "2026-03-01"}, "due_on"),
    ({"due_on": "not a date"}, "due_on"),
    ({"title": ""}, "title"),
])
def test_bad_input_changes_nothing(city, overrides, field):
    members = _members(city, 2)
    before = Event.objects.count()
    with pytest.raises(ValidationFailed) as raised:
        _task(city, members, **overrides)
    assert field in raised.value.field_errors
    assert Event.objects.count() == before and not ProactiveTask.objects.exists()
    assert Ticket.objects.filter(kind="task").count() == 0
    assert {_fresh(m).status for m in members} == {State.RECEIVED}


def test_a_ticket_is_in_one_open_task_at_a_time_and_a_task_is_no_member(city):
    members = _members(city, 1)
    first = _task(city, members)
    with pytest.raises(ValidationFailed):
        _task(city, members)
    with pytest.raises(ValidationFailed):
        _task(city, [first])
    assert Ticket.objects.filter(kind="task").count() == 1


def test_a_member_without_category_takes_the_tasks_and_a_task_needs_one(city):
    bare = services.accept(city.operator, city.ticket_data(category=None))
    with pytest.raises(ValidationFailed) as raised:
        _task(city, [bare])
    assert "category" in raised.value.field_errors
    task = _task(city, [bare], category=city.category.code)
    assert _fresh(bare).category == city.category and task.category == city.category


def test_a_failing_member_rolls_the_whole_reply_back(city, monkeypatch):
    members = _members(city, 2)
    task = services.sign(city.heating_handler, _task(city, members))
    events = Event.objects.count()
    from jiesu.tickets.services import handling

    original = handling.reply
    calls = []

    def failing(act, data):  # type: ignore[no-untyped-def]
        calls.append(act.ticket.number)
        if len(calls) == 3:  # the task, the first member, then the second fails
            raise ActionNotAllowed("模拟失败")
        original(act, data)

    monkeypatch.setitem(services.HANDLERS, services.Action.REPLY, failing)
    with pytest.raises(ActionNotAllowed):
        services.reply(city.heating_handler, task, result="已修复。")
    assert _fresh(task).status == State.IN_PROGRESS
    assert {_fresh(m).status for m in members} == {State.ASSIGNED}  # their signing is undone too
    assert Event.objects.count() == events
