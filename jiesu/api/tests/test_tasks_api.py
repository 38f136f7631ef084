"""The proactive-task operations: create (201), read with the members one may see, the refusals as 4xx."""

from __future__ import annotations

import pytest

from jiesu.api.tests.conftest import apis, expect  # noqa: F401
from jiesu.core.models import Event
from jiesu.tickets import services
from jiesu.tickets.models import ProactiveTask

pytestmark = pytest.mark.django_db


def _body(members, **overrides):  # type: ignore[no-untyped-def]
    return {"title": "供暖专项整治", "content": "排查管网", "lead_unit": "heating", "due_on": "2026-03-13",
            "members": [m.number for m in members], **overrides}


def test_the_dispatcher_creates_a_task_and_the_unit_answers_it_through_the_actions(apis, city):  # noqa: F811
    members = [services.accept(city.operator, city.ticket_data()) for _ in range(2)]
    created = expect(apis.dispatcher.post("/tasks", _body(members)), 201)
    assert created["status"]["value"] == "assigned" and created["lead_unit"]["code"] == "heating"
    assert sorted(m["number"] for m in created["members"]) == sorted(m.number for m in members)
    number = created["number"]
    signed = expect(apis.heating_handler.act(number, "sign", 2), 200)
    expect(apis.heating_handler.act(number, "reply", signed["version"], result="已修复"), 200)
    seen = expect(apis.heating_handler.get(f"/tasks/{number}"), 200)
    assert {m["status"]["value"] for m in seen["members"]} == {"replied"}
    assert all(m["answered_at"] for m in seen["members"])


def test_refusals_are_4xx_and_change_nothing(apis, city):  # noqa: F811
    members = [services.accept(city.operator, city.ticket_data())]
    before = Event.objects.filter(subject_type="ticket").count()
    assert expect(apis.operator.post("/tasks", _body(members)), 403)["code"] == "permission_denied"
    bad = expect(apis.dispatcher.post("/tasks", _body(members, due_on="soon")), 400)
    assert "due_on" in bad["field_errors"]
    expect(apis.dispatcher.post("/tasks", _body(members, extra=1)), 400)
    expect(apis.dispatcher.post("/hot-issues/424242/task", {"due_on": "2026-03-13"}), 404)
    expect(apis.dispatcher.get(f"/tasks/{members[0].number}"), 404)  # not a task
    assert Event.objects.filter(subject_type="ticket").count() == before and not ProactiveTask.objects.exists()


def test_a_unit_sees_a_task_only_when_it_is_theirs(apis, city):  # noqa: F811
    created = expect(apis.dispatcher.post("/tasks", _body([], category=city.category.code)), 201)
    expect(apis.urban_handler.get(f"/tasks/{created['number']}"), 404)
    expect(apis.heating_handler.get(f"/tasks/{created['number']}"), 200)


def test_a_form_body_is_refused_as_not_json_not_a_server_error(apis, city):  # noqa: F811
    # found by schemathesis: a multipart body passes the input guard (uploads) and the body was then unreadable
    api = apis.dispatcher
    response = api.client.post("/api/v1/hot-issues/424242/task", {"due_on": "2026-03-13"},
                               headers=api._headers(None))
    assert response.status_code == 400 and response.json()["code"] == "validation_failed"
    assert not ProactiveTask.objects.exists()
