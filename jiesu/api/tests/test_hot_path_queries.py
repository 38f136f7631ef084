"""The create-and-dispatch path asks the database only what it must: the statements are pinned here.

What each request needs (docs/benchmarks.md, "Create + dispatch: where the time goes"): the token and the user's
memberships, the configuration token (calendar, catalogue, units and regions come from the process's copies),
and the rows the action writes. A new query on this path fails a test and must be justified or removed.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiesu.api.tests.conftest import expect

pytestmark = pytest.mark.django_db

# what the event subscriber of notify (the outbox, written in the event's transaction) reads and writes
OUTBOX = [
    "select tickets_ticket",
    "select notify_ticketpreference",
    "select notify_outboxmessage",
    "select notify_messagetemplate",
    "insert notify_outboxmessage",
]
CREATE = [
    "select api_apitoken",  # the bearer token and its user
    "select org_membership",  # the user's roles
    "select core_configstamp",  # is the process's copy of the configuration current?
    "insert tickets_ticket",  # under a provisional number
    "insert intelligence_ticketsignature",  # merge-candidate keys, durable with the ticket
    "insert intelligence_duplicatekey",
    "insert tickets_ticketcounter",  # the day's next number (an upsert), held to the commit
    "update tickets_ticket",  # the real number
    "insert core_event",
    *OUTBOX,
]
DISPATCH = [
    "select api_apitoken",
    "select org_membership",
    "select tickets_ticket",  # locked (FOR UPDATE on PostgreSQL)
    "select core_configstamp",
    "select tickets_assignment",  # the snapshot before
    "insert tickets_assignment",
    "select tickets_assignment",  # as the action left them: next deadline, event, response
    "select tickets_supervisionorder",  # running supervision deadlines
    "update tickets_ticket",
    "insert core_event",
    *OUTBOX,  # the citizen's "dispatched" message
    "select tickets_assignment",  # and the unit's contacts, for theirs
    "select notify_unitcontact",
]


def _statements(captured: CaptureQueriesContext) -> list[str]:
    """Each statement as "verb table", without transaction control (BEGIN, SAVEPOINT …)."""
    out = []
    for query in captured.captured_queries:
        sql = query["sql"].replace('"', "").lower()
        verb = sql.split(None, 1)[0]
        if verb not in {"select", "insert", "update", "delete"}:
            continue
        table = re.search(r"\b(?:from|into|update)\s+([a-z_]+)", sql)
        out.append(f"{verb} {table.group(1) if table else '?'}")
    return out


def _create(apis, city):  # type: ignore[no-untyped-def]
    return expect(apis.operator.post("/tickets", city.ticket_data(), headers={"Idempotency-Key": uuid.uuid4().hex}),
                  201)


def test_create_and_dispatch_ask_the_database_only_what_they_must(apis, city):
    first = _create(apis, city)  # warms the process's copies and the clients
    expect(apis.dispatcher.act(first["number"], "dispatch", first["version"], lead_unit="heating"), 200)
    with CaptureQueriesContext(connection) as created:
        ticket = _create(apis, city)
    with CaptureQueriesContext(connection) as dispatched:
        done = expect(apis.dispatcher.act(ticket["number"], "dispatch", ticket["version"], lead_unit="heating"), 200)
    assert _statements(created) == CREATE, "\n".join(_statements(created))
    assert _statements(dispatched) == DISPATCH, "\n".join(_statements(dispatched))
    assert done["assignments"][0]["unit"]["code"] == "heating" and done["status"]["value"] == "assigned"
    assert ticket["channel"]["code"] == city.ticket_data().get("channel", "phone")


def test_a_changed_configuration_is_read_again_once(apis, city):
    _create(apis, city)
    city.category.name = "供暖"
    city.category.save()  # the admin's change: the next request loads the catalogue again, then no more
    with CaptureQueriesContext(connection) as reloaded:
        ticket = _create(apis, city)
    assert "select catalog_category" in _statements(reloaded)
    assert ticket["category"]["name"].endswith("供暖")
    with CaptureQueriesContext(connection) as again:
        _create(apis, city)
    assert "select catalog_category" not in _statements(again)
