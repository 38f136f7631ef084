"""Proactive tasks in the figures: counted by their own figures, left out of the citizens' requests, whose
members still count each once (docs/dev/figures.md, "Proactive tasks")."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jiesu.core import clock
from jiesu.evaluation.tests.conftest import FIXED_NOW, read, value
from jiesu.tickets import services
from jiesu.tickets.services.proactive import create_task

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)


def _task_with_members(city, n: int = 2):  # type: ignore[no-untyped-def]
    with clock.at(FIXED_NOW):
        members = [services.accept(city.operator, city.ticket_data(requester_phone=f"1381234560{k}"))
                   for k in range(n)]
        task = create_task(city.dispatcher, {"title": "供暖专项整治", "content": "排查管网", "lead_unit": "heating",
                                             "due_on": "2026-03-13", "members": [m.number for m in members]})
    with clock.at(FIXED_NOW + H):
        task = services.sign(city.heating_handler, task)
    with clock.at(FIXED_NOW + 2 * H):
        task = services.reply(city.heating_handler, task, result="已更换循环泵")
    return task, members


def test_a_task_is_counted_by_its_own_figures_and_not_as_a_request(city):
    _task_with_members(city)
    table = read()
    assert value(table, "tasks_assigned") == (0, 1)
    assert value(table, "task_timely") == (1, 1)
    assert value(table, "task_members") == (0, 2)
    assert value(table, "accepted") == (0, 2)  # the two citizens, not the task
    assert value(table, "assigned") == (0, 2)
    assert value(table, "reply_timely") == (2, 2)  # each member's own reply, in time
    assert value(table, "dispatch_timely") == (2, 2)


def test_the_task_figures_belong_to_the_tasks_unit(city):
    _task_with_members(city, 1)
    heating = read(group_by="unit")
    by_unit = {g.key: g.values for g in heating.groups}
    counts = {key: values["tasks_assigned"].denominator for key, values in by_unit.items()
              if "tasks_assigned" in values}
    assert counts.get(str(city.heating.pk)) == 1 and sum(counts.values()) == 1
