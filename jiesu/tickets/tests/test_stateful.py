"""Random sequences of actions by random people never leave a ticket inconsistent, and events replay to it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from jiesu.core.errors import DomainError
from jiesu.tickets import services
from jiesu.tickets.models import Assignment, Ticket
from jiesu.tickets.queries import allowed_actions, ticket_events
from jiesu.tickets.snapshot import replay, snapshot
from jiesu.tickets.states import ACTIVE_ASSIGNMENT_STATUSES, OPEN_STATES, AssignmentRole, State

PEOPLE = ["operator", "dispatcher", "supervisor", "visitor", "adjudicator", "heating_handler", "urban_handler",
          "subcentre_handler", "street_handler"]
UNITS = ["heating", "urban", "tiexi", "renxing"]

STEPS = [
    ("answer", {"answer": "答复内容"}),
    ("reject", {"reason": "other", "route": "告知当事人"}),
    ("handover", {}),
    *[("dispatch", {"lead_unit": u}) for u in UNITS],
    ("dispatch", {"lead_unit": "heating", "assist_units": ["urban"]}),
    ("redispatch", {"lead_unit": "renxing"}),
    ("sign", {}),
    ("request_return", {"reason": "非本单位职责"}),
    *[("review_return", {"decision": d}) for d in ("approve", "refuse", "adjudicate")],
    ("review_return", {"decision": "approve", "lead_unit": "urban"}),
    *[("adjudicate", {"responsible_unit": u, "legal_basis": "依据"}) for u in ("heating", "urban")],
    ("request_extension", {"working_days": 2, "reason": "需要时间"}),
    *[("review_extension", {"decision": d}) for d in ("approve", "refuse")],
    ("contact", {}),
    ("reply", {"result": "已办理"}),
    *[("review_reply", {"decision": d}) for d in ("approve", "send_back")],
    ("visit", {"outcome": "reached", "resolution": "resolved", "satisfaction": "satisfied"}),
    ("visit", {"outcome": "reached", "resolution": "unresolved", "satisfaction": "dissatisfied"}),
    ("visit", {"outcome": "unreachable"}),
    ("reopen", {"reason": "不满意"}),
    ("close", {}),
    ("merge", {"into": "?"}),
    ("urge", {"message": "请加快"}),
    ("supervise", {"text": "限期办理", "working_days": 2}),
]


class TicketMachine(RuleBasedStateMachine):
    city = None  # set by the test
    reached: set[str] = set()

    @initialize(kind=st.sampled_from(["complaint", "consultation"]))
    def accept(self, kind):  # type: ignore[no-untyped-def]
        self.other = services.accept(self.city.operator, self.city.ticket_data())
        self.ticket = services.accept(self.city.operator, self.city.ticket_data(kind=kind))

    @rule(data=st.data())
    def act(self, data):  # type: ignore[no-untyped-def]
        """Mostly actions the table offers in this state by someone in an allowed role; sometimes anything."""
        if data.draw(st.integers(0, 7)) == 0:
            action, inputs = data.draw(st.sampled_from(STEPS))
            who = data.draw(st.sampled_from(PEOPLE))
        else:
            offered = {p: {row.action for row in allowed_actions(getattr(self.city, p), self.ticket)} for p in PEOPLE}
            fitting = [(p, step) for p in PEOPLE for step in STEPS if step[0] in offered[p]]
            who, (action, inputs) = data.draw(st.sampled_from(fitting or [("operator", STEPS[0])]))
            if action == "merge":
                inputs = {"into": self.other.number}
        self._perform(who, action, inputs)

    def _perform(self, who, action, data):  # type: ignore[no-untyped-def]
        version, events = self.ticket.version, ticket_events(self.ticket).count()
        try:
            self.ticket = services.perform(getattr(self.city, who), self.ticket.number, action, dict(data))
        except DomainError:
            self.ticket.refresh_from_db()
            assert self.ticket.version == version and ticket_events(self.ticket).count() == events
            return
        assert self.ticket.version == version + 1 and ticket_events(self.ticket).count() == events + 1

    @invariant()
    def consistent(self):  # type: ignore[no-untyped-def]
        t = Ticket.objects.get(pk=self.ticket.pk)
        TicketMachine.reached.add((t.status, t.closing_type))
        assert replay(list(ticket_events(t))) == snapshot(t)
        assert ticket_events(t).count() == t.version
        leads = Assignment.objects.filter(ticket=t, is_current=True, role=AssignmentRole.LEAD,
                                          status__in=ACTIVE_ASSIGNMENT_STATUSES)
        if t.status in (State.ASSIGNED, State.IN_PROGRESS, State.RETURN_REVIEW, State.ADJUDICATING, State.REPLIED):
            assert leads.count() == 1 and leads.get().unit_id == t.lead_unit_id
        if t.status not in OPEN_STATES:
            assert t.next_due_at is None and t.closed_at is not None
            assert not leads.exists()
        if t.status in (State.RECEIVED, State.DISPATCHING):
            assert not leads.exists()


@pytest.mark.django_db
def test_random_action_sequences_keep_tickets_consistent(city):
    TicketMachine.city = city
    TicketMachine.reached = set()
    run_state_machine_as_test(
        TicketMachine,
        settings=settings(max_examples=8, stateful_step_count=45, deadline=None, derandomize=True,
                          suppress_health_check=list(HealthCheck)),
    )
    reached = {status for status, _ in TicketMachine.reached}
    assert {State.CLOSED, State.VISITING, State.ADJUDICATING, State.REPLIED, State.MERGED} <= reached
