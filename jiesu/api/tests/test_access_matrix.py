"""Every operation of the OpenAPI document × every demo role (and a superuser without roles, and no one): the
status each gets follows from the permission the operation asks for, the scope rule and the lifecycle table, a
hidden ticket's number never appears in an answer, and nothing answers 500 or a status the document does not
declare."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from jiesu.api.main import api
from jiesu.api.tests.access import Subject, World, build_world, no_hidden_number
from jiesu.api.tokens import create_token
from jiesu.core.permissions import Perm
from jiesu.evaluation import registry
from jiesu.knowledge import services as knowledge
from jiesu.knowledge.models import AnswerLog
from jiesu.tickets.attachments import add_attachment
from jiesu.tickets.lifecycle import BY_ACTION, Action
from jiesu.tickets.models import Ticket
from jiesu.tickets.tests.conftest import City

pytestmark = pytest.mark.django_db

PUBLIC, SIGNED_IN = "public", "signed in"
# What each operation asks of its caller, one line per operation (the ticket actions' come from the lifecycle
# table). A Perm: its callers need it (else 403); SIGNED_IN: any account (what it shows is restricted to the
# caller's scope). An operation on one ticket ({number} in its path) also needs the ticket in the caller's scope.
GATES: dict[str, str | Perm] = {
    "jiesu_api_main_health": PUBLIC,
    "jiesu_api_tickets_create_ticket": Perm.TICKET_CREATE,
    "jiesu_api_tickets_list_tickets": SIGNED_IN,
    "jiesu_api_tickets_get_ticket": Perm.TICKET_VIEW,
    "jiesu_api_tickets_ticket_events": Perm.TICKET_VIEW,
    "jiesu_api_tickets_queue_counts": SIGNED_IN,
    "jiesu_api_attachments_upload": Perm.TICKET_VIEW,
    "jiesu_api_attachments_list_attachments": Perm.TICKET_VIEW,
    "jiesu_api_attachments_download": Perm.TICKET_VIEW,
    "jiesu_api_catalog_categories": SIGNED_IN,
    "jiesu_api_catalog_channels": SIGNED_IN,
    "jiesu_api_catalog_dispatch_rules": Perm.UNIT_VIEW,
    "jiesu_api_catalog_time_limits": Perm.UNIT_VIEW,
    "jiesu_api_catalog_suggest": Perm.UNIT_VIEW,
    "jiesu_api_suggest_suggest": Perm.TICKET_CREATE,
    "jiesu_knowledge_api_answer": Perm.KNOWLEDGE_VIEW,
    "jiesu_knowledge_api_handover": Perm.KNOWLEDGE_VIEW,
    "jiesu_knowledge_api_feedback": Perm.KNOWLEDGE_VIEW,
    "jiesu_knowledge_api_knowledge_figures": Perm.STATS_VIEW,
    "jiesu_evaluation_api_figures": Perm.TICKET_VIEW,
    "jiesu_evaluation_api_definitions": SIGNED_IN,
    "jiesu_evaluation_api_figure_tickets": Perm.TICKET_VIEW,
    "jiesu_evaluation_api_rankings": Perm.TICKET_VIEW,
    "jiesu_calls_api_post_calls": Perm.CALLS_IMPORT,
    "jiesu_evaluation_api_figure_calls": Perm.TICKET_VIEW,
    "jiesu_api_tasks_post_task": Perm.TASK_CREATE,
    "jiesu_api_tasks_post_issue_task": Perm.TASK_CREATE,
    "jiesu_api_tasks_get_task": Perm.TICKET_VIEW,
}
ONLY_TASKS = {"jiesu_api_tasks_get_task"}  # on a ticket that is not a proactive task: not found
NO_SUCH_ISSUE = 999_999  # the matrix's city has no hot issue: past the permission, a task from one is not found
ACTION_ID = re.compile(r"^ticket_(?P<action>\w+)$")
LET_THROUGH = "let through"  # past every access check: the operation's own answer (2xx, or its 400/409)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    id: str
    doc: dict[str, Any]

    @property
    def action(self) -> Action | None:
        found = ACTION_ID.match(self.id)
        return Action(found["action"]) if found else None

    @property
    def declared(self) -> set[int]:
        return {int(code) for code in self.doc["responses"]}

    def example_body(self) -> dict[str, Any]:
        content = self.doc.get("requestBody", {}).get("content", {}).get("application/json", {})
        return dict(content.get("example") or {})


def operations() -> list[Operation]:
    """Every operation of the OpenAPI document, as an integrator sees it."""
    schema = api.get_openapi_schema()
    return [Operation(method.upper(), path, doc["operationId"], doc)
            for path, methods in schema["paths"].items() for method, doc in methods.items()]


def expected(op: Operation, subject: Subject, ticket: Ticket | None) -> int | str:
    """The status the rules give ``subject`` calling ``op`` (on ``ticket`` when it names one)."""
    gate = GATES.get(op.id, PUBLIC if op.action is None else Perm.TICKET_VIEW)
    if gate == PUBLIC:
        return LET_THROUGH
    if subject.user is None:
        return 401
    if isinstance(gate, Perm) and not subject.holds(gate):
        return 404 if ticket is not None else 403  # a ticket out of scope is not found, not forbidden
    if ticket is not None and not subject.sees(ticket):
        return 404
    if op.id in ONLY_TASKS and ticket is not None and ticket.kind != "task":
        return 404
    if "{issue_id}" in op.path:
        return 404
    if op.action is not None and ticket is not None:
        row = BY_ACTION[op.action]
        if not subject.holds_role_for(row):
            return 403
        if ticket.status not in row.from_states:
            return 409
        if not subject.acts_for(row, ticket):
            return 403
    return LET_THROUGH


class Caller:
    """Calls operations as one subject (a bearer token each), every call rolled back so none changes the next."""

    def __init__(self, subject: Subject, world: World, refs: dict[str, Any]):
        self.subject, self.world, self.refs = subject, world, refs
        self.client = Client()
        self.headers = {}
        if subject.user is not None:
            self.headers["Authorization"] = f"Bearer {create_token(subject.user, name='matrix')[1]}"

    def call(self, op: Operation, ticket: Ticket | None) -> Any:
        path = op.path.replace("{number}", ticket.number if ticket else "")
        path = path.replace("{code}", self.refs["call_code" if path.endswith("/calls") else "code"])
        path = path.replace("{issue_id}", str(NO_SUCH_ISSUE))
        if "{attachment_id}" in path and ticket is not None:
            path = path.replace("{attachment_id}", str(ticket.attachments.get().pk))
        with transaction.atomic():
            if op.id == "jiesu_api_attachments_upload":
                upload = SimpleUploadedFile("note.txt", "现场情况说明".encode(), content_type="text/plain")
                response = self.client.post(path, {"file": upload}, headers=self.headers)
            elif op.method == "POST":
                body = op.example_body()
                if "answer_id" in body:
                    body["answer_id"] = self.refs["answer_id"]
                if op.action is not None and ticket is not None:
                    body["version"] = ticket.version
                response = self.client.post(path, json.dumps(body), content_type="application/json",
                                            headers=self.headers)
            else:
                response = self.client.get(path, headers=self.headers)
            transaction.set_rollback(True)
        return response


def _text(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="replace")


def _tickets_for(op: Operation, world: World) -> list[Ticket | None]:
    return list(world.tickets.values()) if "{number}" in op.path else [None]


@pytest.fixture
def world(city: City) -> World:
    return build_world(city)


def _refs(world: World) -> dict[str, Any]:
    """The records the operations' paths and bodies name: an attachment on each ticket, a figure, an answer."""
    city = world.city
    for ticket in world.tickets.values():
        upload = SimpleUploadedFile("note.txt", "供热管道漏水".encode(), content_type="text/plain")
        add_attachment(city.dispatcher, ticket, upload)
    draft = knowledge.create_draft(city.heating_handler, unit=city.heating, kind="policy", title="供暖期",
                                   body_html="<p>本市供暖期为每年10月25日至次年4月5日。</p>")
    knowledge.submit(city.heating_handler, draft)
    version = knowledge.publish(city.supervisor, draft)
    log = AnswerLog.objects.create(channel="voice", question="供暖期是哪天到哪天", article=version.article,
                                   version=version, confidence=0.9, answered=True)
    return {"code": next(iter(registry.FIGURES)), "call_code": "call_answer_rate", "answer_id": log.pk}


def test_the_gates_name_every_operation_of_the_document() -> None:
    ops = operations()
    named = {op.id for op in ops if op.action is None}
    assert named == set(GATES), "each new operation says what it asks of its callers in GATES"
    assert {op.action for op in ops if op.action is not None} == set(BY_ACTION)


def test_every_operation_answers_every_role_as_the_rules_say(world: World) -> None:
    refs, ops, cells, wrong = _refs(world), operations(), Counter(), []
    for subject in world.subjects:
        caller = Caller(subject, world, refs)
        for op in ops:
            for ticket in _tickets_for(op, world):
                want = expected(op, subject, ticket)
                response = caller.call(op, ticket)
                got, text = response.status_code, _text(response)
                cells[want if isinstance(want, int) else "through"] += 1
                fine = got in (200, 201, 400, 409) if want == LET_THROUGH else got == want
                leaks = no_hidden_number(subject, world, text) if got < 300 else []
                if not fine or got not in op.declared or leaks:
                    wrong.append((subject.name, op.id, ticket and ticket.status, want, got, leaks, text[:200]))
    assert not wrong, "\n".join(map(str, wrong))
    assert cells[403] and cells[404] and cells[401] and cells[409] and cells["through"]
