"""Who may see the requester in full: a unit only while it has signed for the ticket and handles it; the centre's
staff always; an anonymous requester or a whistle-blower never a unit. A refused reveal is an error, not a log."""

from __future__ import annotations

import pytest

from jiesu.core.models import RevealLog
from jiesu.tickets import queries, services
from jiesu.tickets.privacy import RevealNotAllowed
from jiesu.tickets.states import State
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = pytest.mark.django_db


def assert_refused(user, ticket, why: str) -> None:  # type: ignore[no-untyped-def]
    logged = RevealLog.objects.count()
    with pytest.raises(RevealNotAllowed) as refused:
        queries.requester_view(user, ticket, reveal=True)
    assert refused.value.status == 403 and why in str(refused.value.message)
    assert RevealLog.objects.count() == logged  # a refusal is not a reveal
    seen = queries.requester_view(user, ticket)
    assert seen["may_reveal"] is False and "13812345678" not in seen["phone"] and seen["name"] != "张三"


def assert_revealed(user, ticket) -> None:  # type: ignore[no-untyped-def]
    logged = RevealLog.objects.filter(user=user).count()
    assert queries.requester_view(user, ticket)["may_reveal"] is True
    seen = queries.requester_view(user, ticket, reveal=True)
    assert (seen["name"], seen["phone"], seen["masked"]) == ("张三", "13812345678", False)
    assert RevealLog.objects.filter(user=user).count() == logged + 1


def test_the_unit_may_reveal_once_it_has_signed_for_the_ticket(city):
    ticket = ticket_in_state(city, State.ASSIGNED)
    assert_refused(city.heating_handler, ticket, "签收后")
    ticket = services.sign(city.heating_handler, ticket)
    assert_revealed(city.heating_handler, ticket)
    log = RevealLog.objects.get()
    assert log.user == city.heating_handler and log.fields == ["name", "phone"]


def test_no_reveal_while_the_units_return_request_is_reviewed_or_adjudicated(city):
    ticket = ticket_in_state(city, State.RETURN_REVIEW)
    assert_refused(city.heating_handler, ticket, "退单申请")
    ticket = services.review_return(city.dispatcher, ticket, decision="adjudicate", opinion="职责不清")
    assert ticket.status == State.ADJUDICATING
    assert_refused(city.heating_handler, ticket, "退单申请")
    ticket = services.adjudicate(city.adjudicator, ticket, responsible_unit="heating", legal_basis="供热条例")
    assert ticket.status == State.IN_PROGRESS  # the ruling keeps it with the unit, signed: it may again
    assert_revealed(city.heating_handler, ticket)


def test_a_refused_return_gives_the_unit_its_view_back(city):
    ticket = ticket_in_state(city, State.RETURN_REVIEW)
    ticket = services.review_return(city.dispatcher, ticket, decision="refuse", opinion="属本单位职责")
    assert_revealed(city.heating_handler, ticket)


def test_no_reveal_after_the_ticket_has_left_the_unit(city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    ticket = services.request_return(city.heating_handler, ticket, reason="非本单位职责")
    ticket = services.review_return(city.dispatcher, ticket, decision="approve", lead_unit="urban")
    assert_refused(city.heating_handler, ticket, "不在本单位办理")
    assert_refused(city.urban_handler, ticket, "签收后")


def test_a_unit_that_passed_the_ticket_down_no_longer_reveals_and_its_sub_unit_does_once_signed(city):
    ticket = services.dispatch(city.dispatcher, services.accept(city.operator, city.ticket_data()), lead_unit="tiexi")
    ticket = services.sign(city.subcentre_handler, ticket)
    assert_revealed(city.subcentre_handler, ticket)
    ticket = services.redispatch(city.subcentre_handler, ticket, lead_unit="renxing", note="请仁兴街道办理")
    assert_refused(city.subcentre_handler, ticket, "不在本单位办理")
    assert_refused(city.street_handler, ticket, "签收后")
    ticket = services.sign(city.street_handler, ticket)
    assert_refused(city.subcentre_handler, ticket, "不在本单位办理")  # its wider scope lets it see, not reveal
    assert_revealed(city.street_handler, ticket)


def test_no_reveal_once_the_unit_has_replied_until_its_reply_is_sent_back(city):
    ticket = ticket_in_state(city, State.REPLIED)
    assert_refused(city.heating_handler, ticket, "不在本单位办理")
    ticket = services.review_reply(city.supervisor, ticket, decision="send_back", opinion="未答复诉求")
    assert_revealed(city.heating_handler, ticket)


def test_an_assisting_unit_reveals_while_it_handles_its_part(city):
    ticket = services.accept(city.operator, city.ticket_data())
    ticket = services.dispatch(city.dispatcher, ticket, lead_unit="heating", assist_units=["urban"])
    services.sign(city.heating_handler, ticket)
    assert_refused(city.urban_handler, ticket, "签收后")
    ticket = services.sign(city.urban_handler, ticket)
    assert_revealed(city.urban_handler, ticket)


@pytest.mark.parametrize("state", [State.RECEIVED, State.ASSIGNED, State.RETURN_REVIEW, State.ADJUDICATING,
                                   State.REPLIED, State.CLOSED])
def test_the_centres_staff_keep_their_view_in_every_state(city, state):
    ticket = ticket_in_state(city, state)
    for user in (city.operator, city.dispatcher, city.supervisor, city.visitor):
        assert_revealed(user, ticket)


@pytest.mark.parametrize("protected", [{"is_anonymous": True}, {"is_whistleblower": True, "kind": "report"}])
def test_an_anonymous_requester_or_a_whistleblower_is_never_shown_to_the_unit(city, protected):
    ticket = services.accept(city.operator, city.ticket_data(**protected))
    ticket = services.dispatch(city.dispatcher, ticket, lead_unit="heating")
    ticket = services.sign(city.heating_handler, ticket)
    assert_refused(city.heating_handler, ticket, "身份对承办单位保密")
    seen = queries.requester_view(city.heating_handler, ticket)
    assert (seen["name"], seen["phone"]) == ("", "")  # not even masked
    assert_revealed(city.supervisor, ticket)  # the centre still may


def test_contacting_a_requester_the_unit_may_not_see_is_neither_offered_nor_done(city):
    ticket = services.accept(city.operator, city.ticket_data(is_anonymous=True))
    ticket = services.dispatch(city.dispatcher, ticket, lead_unit="heating")
    ticket = services.sign(city.heating_handler, ticket)
    offered = {row.action.value for row in queries.ready_actions(city.heating_handler, ticket)}
    assert "contact" not in offered and "reply" in offered
    with pytest.raises(RevealNotAllowed):
        services.contact(city.heating_handler, ticket, method="phone", note="已电话联系")
    ticket.refresh_from_db()
    assert ticket.version == 3 and ticket.assignments.get().contacted_at is None


def test_contact_is_offered_exactly_when_the_unit_may_reveal(city):
    def contact_offered_and_reveal_allowed(ticket):  # type: ignore[no-untyped-def]
        offered = "contact" in {row.action.value for row in queries.ready_actions(city.heating_handler, ticket)}
        return offered, queries.reveal_refusal(city.heating_handler, ticket) is None

    ticket = ticket_in_state(city, State.ASSIGNED)
    assert contact_offered_and_reveal_allowed(ticket) == (False, False)
    ticket = services.sign(city.heating_handler, ticket)
    assert contact_offered_and_reveal_allowed(ticket) == (True, True)
    ticket = services.request_return(city.heating_handler, ticket, reason="非本单位职责")
    assert contact_offered_and_reveal_allowed(ticket) == (False, False)
