"""`ready_actions` (what a page offers) and the queue names the workbench shows."""

from __future__ import annotations

import pytest

from jiesu.tickets import queries, services
from jiesu.tickets.states import State
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = pytest.mark.django_db


def offered(user, ticket) -> set[str]:  # type: ignore[no-untyped-def]
    return {row.action.value for row in queries.ready_actions(user, ticket)}


def test_signing_is_offered_only_while_an_assignment_waits_for_it(city):
    ticket = ticket_in_state(city, State.ASSIGNED)
    assert {"sign", "request_return"} <= offered(city.heating_handler, ticket)
    assert "contact" not in offered(city.heating_handler, ticket)
    ticket = services.sign(city.heating_handler, ticket)
    ready = offered(city.heating_handler, ticket)
    assert "sign" not in ready and {"contact", "reply", "request_extension"} <= ready
    assert "sign" in {row.action.value for row in queries.allowed_actions(city.heating_handler, ticket)}


def test_passing_down_is_offered_to_units_with_sub_units_only(city):
    ticket = ticket_in_state(city, State.ASSIGNED)
    assert "redispatch" not in offered(city.heating_handler, ticket)
    to_district = services.dispatch(city.dispatcher, services.accept(city.operator, city.ticket_data()),
                                    lead_unit="tiexi")
    assert "redispatch" in offered(city.subcentre_handler, to_district)


UNIT_WORK = {"sign", "contact", "reply", "request_extension", "request_return", "redispatch"}


def test_after_passing_the_ticket_down_only_the_sub_unit_holding_it_is_offered_the_units_work(city):
    ticket = services.dispatch(city.dispatcher, services.accept(city.operator, city.ticket_data()), lead_unit="tiexi")
    ticket = services.sign(city.subcentre_handler, ticket)
    assert {"contact", "reply", "request_extension", "request_return", "redispatch"} <= offered(
        city.subcentre_handler, ticket)
    ticket = services.redispatch(city.subcentre_handler, ticket, lead_unit="renxing", note="请仁兴街道办理")
    assert not UNIT_WORK & offered(city.subcentre_handler, ticket)
    assert "sign" in offered(city.street_handler, ticket)
    ticket = services.sign(city.street_handler, ticket)
    assert not UNIT_WORK & offered(city.subcentre_handler, ticket)
    assert {"contact", "reply", "request_extension", "request_return"} <= offered(city.street_handler, ticket)


def test_an_extension_under_review_holds_the_reply_and_shows_the_review(city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    assert "review_extension" not in offered(city.dispatcher, ticket)
    ticket = services.request_extension(city.heating_handler, ticket, working_days=2, reason="需要更换管道")
    assert not {"reply", "request_extension"} & offered(city.heating_handler, ticket)
    assert "review_extension" in offered(city.dispatcher, ticket)


def test_a_direct_answer_is_offered_for_consultations_only(city):
    complaint = services.accept(city.operator, city.ticket_data())
    consultation = services.accept(city.operator, city.ticket_data(kind="consultation"))
    assert "answer" not in offered(city.operator, complaint)
    assert "answer" in offered(city.operator, consultation)


def test_closing_a_ticket_awaiting_its_call_is_offered_after_an_unreachable_call(city):
    ticket = ticket_in_state(city, State.VISITING)
    assert "close" not in offered(city.visitor, ticket) and "visit" in offered(city.visitor, ticket)
    ticket = services.visit(city.visitor, ticket, outcome="unreachable")
    assert "close" in offered(city.visitor, ticket)


def test_a_directly_answered_ticket_is_not_offered_for_re_handling(city):
    answered = services.accept(city.operator, city.ticket_data(kind="consultation"))
    answered = services.answer(city.operator, answered, answer="低保申请条件见民政局公告")
    assert "reopen" not in offered(city.supervisor, answered)
    assert "reopen" in offered(city.supervisor, ticket_in_state(city, State.CLOSED))


def test_the_supervised_queue_holds_tickets_with_an_open_supervision_order(city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    assert not queries.queue(city.supervisor, "supervised").exists()
    services.supervise(city.supervisor, ticket, text="限期办结", working_days=2)
    assert list(queries.queue(city.supervisor, "supervised")) == [ticket]
    assert list(queries.queue(city.heating_handler, "supervised")) == [ticket]
    assert not queries.queue(city.urban_handler, "supervised").exists()


def test_every_queue_has_a_chinese_name():
    for name in [*queries.QUEUES, *queries.TIMED_QUEUES]:
        label = queries.queue_label(name)
        assert label and all("\u4e00" <= ch <= "\u9fff" for ch in label)
    with pytest.raises(KeyError):
        queries.queue_label("nonsense")


def test_a_units_timed_queues_follow_its_own_clocks_not_the_centres(city):
    from datetime import timedelta

    from jiesu.core import clock

    signing = ticket_in_state(city, State.ASSIGNED)
    visiting = ticket_in_state(city, State.VISITING)  # the centre's visit-by clock is running
    lead = queries.lead_assignment(signing)
    assert lead is not None and visiting.visit_due_at is not None
    with clock.at(lead.sign_warn_at + timedelta(minutes=1)):
        assert list(queries.queue(city.heating_handler, "warning")) == [signing]
        assert not queries.queue(city.heating_handler, "overdue").exists()
    later = max(lead.sign_due_at, visiting.visit_due_at) + timedelta(minutes=1)
    with clock.at(later):
        assert list(queries.queue(city.heating_handler, "overdue")) == [signing]
        assert not queries.queue(city.heating_handler, "warning").exists()
        assert set(queries.queue(city.supervisor, "overdue")) == {signing, visiting}
        assert not queries.queue(city.urban_handler, "overdue").exists()
