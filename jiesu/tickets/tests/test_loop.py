"""The closed loop through the services, with one event per action and a replay that gives the state."""

from __future__ import annotations

import pytest

from jiesu.core.errors import ActionNotAllowed, PermissionDeniedError, StaleVersion, ValidationFailed
from jiesu.tickets import services
from jiesu.tickets.models import Ticket
from jiesu.tickets.queries import ticket_events
from jiesu.tickets.snapshot import replay, snapshot
from jiesu.tickets.states import AssignmentStatus, ClosingType, State

pytestmark = pytest.mark.django_db


def assert_replays(ticket: Ticket) -> None:
    ticket.refresh_from_db()
    assert replay(list(ticket_events(ticket))) == snapshot(ticket)


def test_whole_loop_writes_one_event_per_action_and_replays(city):
    t = services.accept(city.operator, city.ticket_data())
    assert t.status == State.RECEIVED and t.number.startswith("SP") and len(t.query_code) == 6
    assert t.dispatch_due_at is not None and t.next_due_at == t.dispatch_due_at
    services.dispatch(city.dispatcher, t, lead_unit="heating", version=t.version)
    services.sign(city.heating_handler, t)
    services.contact(city.heating_handler, t, note="已电话联系")
    services.reply(city.heating_handler, t, result="已维修管道，室温恢复到20度", basis="《吉林省城市供热条例》")
    services.review_reply(city.supervisor, t, decision="approve")
    services.visit(city.visitor, t, outcome="reached", resolution="resolved", satisfaction="satisfied")
    t = services.close(city.visitor, t)
    assert t.status == State.CLOSED and t.closing_type == ClosingType.HANDLED and t.next_due_at is None
    actions = [e.action for e in ticket_events(t)]
    assert actions == ["accept", "dispatch", "sign", "contact", "reply", "review_reply", "visit", "close"]
    assert t.version == 8
    assert_replays(t)


def test_stale_version_is_refused_and_changes_nothing(city):
    t = services.accept(city.operator, city.ticket_data())
    with pytest.raises(StaleVersion):
        services.dispatch(city.dispatcher, t, lead_unit="heating", version=t.version + 1)
    t.refresh_from_db()
    assert t.status == State.RECEIVED and ticket_events(t).count() == 1


def test_a_unit_cannot_act_on_a_ticket_of_another_unit(city):
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="heating")
    with pytest.raises(PermissionDeniedError):
        services.sign(city.urban_handler, t)
    with pytest.raises(PermissionDeniedError):
        services.dispatch(city.heating_handler, t, lead_unit="urban")


def test_return_adjudication_and_redispatch_feed_the_catalog(city):
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="urban")
    services.sign(city.urban_handler, t)
    services.request_return(city.urban_handler, t, reason="供热问题不属于城管职责")
    t = services.review_return(city.dispatcher, t, decision="adjudicate", opinion="双方职责不清")
    assert t.status == State.ADJUDICATING and t.next_due_at is None
    t = services.adjudicate(city.adjudicator, t, responsible_unit="heating", legal_basis="《吉林省城市供热条例》第二十条",
                            refusing_units=["urban"], add_to_catalog=True)
    assert t.status == State.ASSIGNED and t.lead_unit == city.heating
    statuses = dict(t.assignments.values_list("unit__code", "status"))
    assert statuses == {"urban": AssignmentStatus.RETURNED, "heating": AssignmentStatus.PENDING_SIGN}
    adjudication = t.adjudications.get()
    assert list(adjudication.refusing_units.values_list("code", flat=True)) == ["urban"]
    assert adjudication.added_rule_id is not None
    from jiesu.catalog.queries import suggest_units

    suggestions = suggest_units(category=city.category, region=city.district)
    assert suggestions[0].unit == city.heating
    assert_replays(t)


def test_return_refused_keeps_the_unit_responsible(city):
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="heating")
    services.sign(city.heating_handler, t)
    services.request_return(city.heating_handler, t, reason="不是我们的管网")
    t = services.review_return(city.dispatcher, t, decision="refuse", opinion="属供热公司管网")
    assert t.status == State.IN_PROGRESS
    assert t.assignments.get().status == AssignmentStatus.SIGNED


def test_return_approved_goes_back_to_dispatch_or_straight_to_a_new_unit(city):
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="urban")
    services.request_return(city.urban_handler, t, reason="非本单位职责")
    t = services.review_return(city.dispatcher, t, decision="approve", lead_unit="heating")
    assert t.status == State.ASSIGNED and t.lead_unit == city.heating
    assert_replays(t)


def test_extension_moves_the_reply_deadline_once(city):
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="heating")
    services.sign(city.heating_handler, t)
    before = t.assignments.get().reply_due_at
    services.request_extension(city.heating_handler, t, working_days=3, reason="需要更换主管道")
    with pytest.raises(ActionNotAllowed):
        services.reply(city.heating_handler, t, result="已修好")
    services.review_extension(city.dispatcher, t, decision="approve")
    after = t.assignments.get()
    assert after.reply_due_at > before and after.extension_count == 1
    with pytest.raises(ActionNotAllowed):
        services.request_extension(city.heating_handler, t, working_days=1, reason="再延一次")


def test_extension_longer_than_the_original_limit_is_refused(city):
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="heating")
    services.sign(city.heating_handler, t)
    with pytest.raises(ValidationFailed) as err:
        services.request_extension(city.heating_handler, t, working_days=6, reason="太忙")
    assert "working_days" in err.value.field_errors


def test_dissatisfied_citizen_gets_the_ticket_handled_again(city):
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="heating")
    services.sign(city.heating_handler, t)
    services.reply(city.heating_handler, t, result="已处理")
    services.review_reply(city.supervisor, t, decision="approve")
    services.visit(city.visitor, t, outcome="reached", resolution="unresolved", satisfaction="dissatisfied")
    t = services.reopen(city.supervisor, t, reason="群众反映仍不热")
    assert t.status == State.ASSIGNED and t.reopen_count == 1
    assert t.assignments.filter(is_current=True).count() == 1
    services.sign(city.heating_handler, t)
    t = services.reply(city.heating_handler, t, result="更换暖气片")
    assert t.status == State.REPLIED
    assert_replays(t)


def test_sub_centre_passes_the_ticket_down_to_its_street(city):
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="tiexi")
    services.sign(city.subcentre_handler, t)
    t = services.redispatch(city.subcentre_handler, t, lead_unit="renxing", note="请仁兴街道办理")
    assert t.status == State.ASSIGNED and t.lead_unit == city.street
    with pytest.raises(ValidationFailed):
        services.redispatch(city.street_handler, t, lead_unit="heating")
    services.sign(city.street_handler, t)
    t = services.reply(city.street_handler, t, result="已协调物业")
    assert t.status == State.REPLIED
    assert_replays(t)


@pytest.mark.parametrize("action, data", [
    ("sign", {}), ("contact", {"note": "已联系"}), ("reply", {"result": "已协调物业"}),
    ("request_extension", {"working_days": 1, "reason": "需要时间"}), ("request_return", {"reason": "非本单位职责"}),
    ("redispatch", {"lead_unit": "renxing"}),
])
def test_a_unit_does_not_act_in_its_sub_units_name(city, action, data):
    """Its wider scope (本单位及下级单位) lets the sub-centre see the ticket it passed down, not handle it."""
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="tiexi")
    services.sign(city.subcentre_handler, t)
    t = services.redispatch(city.subcentre_handler, t, lead_unit="renxing", note="请仁兴街道办理")
    if action != "sign":
        t = services.sign(city.street_handler, t)
    with pytest.raises(PermissionDeniedError):
        services.perform(city.subcentre_handler, t, action, data)
    assert ticket_events(t).count() == t.version


def test_the_sub_units_acts_are_recorded_in_its_own_name(city):
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="tiexi")
    services.sign(city.subcentre_handler, t)
    t = services.redispatch(city.subcentre_handler, t, lead_unit="renxing", note="请仁兴街道办理")
    services.sign(city.street_handler, t)
    t = services.reply(city.street_handler, t, result="已协调物业")
    units = [(e.action, e.actor_unit_id) for e in ticket_events(t).order_by("id")]
    assert units[-2:] == [("sign", city.street.pk), ("reply", city.street.pk)]


def test_redispatch_only_to_own_sub_units(city):
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="tiexi")
    with pytest.raises(ValidationFailed):
        services.redispatch(city.subcentre_handler, t, lead_unit="heating")


def test_assist_unit_replies_to_the_lead_without_moving_the_ticket(city):
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="heating", assist_units=["urban"])
    services.sign(city.heating_handler, t)
    services.sign(city.urban_handler, t)
    t = services.reply(city.urban_handler, t, result="已清理违章搭建")
    assert t.status == State.IN_PROGRESS
    t = services.reply(city.heating_handler, t, result="供热恢复")
    assert t.status == State.REPLIED


def test_merge_links_a_repeat_to_the_open_ticket(city):
    first = services.accept(city.operator, city.ticket_data())
    repeat = services.accept(city.operator, city.ticket_data(requester_phone="13900000000"))
    repeat = services.merge(city.operator, repeat, into=first.number)
    assert repeat.status == State.MERGED and repeat.merged_into == first
    with pytest.raises(ActionNotAllowed):
        services.merge(city.operator, repeat, into=first.number)


def test_answer_closes_a_consultation_only(city):
    t = services.accept(city.operator, city.ticket_data(kind="consultation"))
    t = services.answer(city.operator, t, answer="低保标准为每月710元。")
    assert t.status == State.CLOSED and t.closing_type == ClosingType.ANSWERED
    complaint = services.accept(city.operator, city.ticket_data())
    with pytest.raises(ActionNotAllowed):
        services.answer(city.operator, complaint, answer="好的")


def test_emergency_reject_needs_the_line_it_was_transferred_to(city):
    t = services.accept(city.operator, city.ticket_data())
    with pytest.raises(ValidationFailed) as err:
        services.reject(city.operator, t, reason="emergency", route="已转110")
    assert "transferred_to" in err.value.field_errors
    t = services.reject(city.operator, t, reason="emergency", route="已转接110", transferred_to="110")
    assert t.status == State.REJECTED


def test_bad_input_names_the_fields_and_changes_nothing(city):
    with pytest.raises(ValidationFailed) as err:
        services.accept(city.operator, {"title": "", "kind": "complaint", "channel": "nope"})
    assert {"title", "content"} <= set(err.value.field_errors)
    assert Ticket.objects.count() == 0
    t = services.accept(city.operator, city.ticket_data())
    with pytest.raises(ValidationFailed) as err:
        services.dispatch(city.dispatcher, t, lead_unit="no-such-unit")
    assert "lead_unit" in err.value.field_errors
    t.refresh_from_db()
    assert t.status == State.RECEIVED and t.assignments.count() == 0


def test_unreachable_citizen_can_be_closed_after_a_failed_call(city):
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="heating")
    services.sign(city.heating_handler, t)
    services.reply(city.heating_handler, t, result="已处理")
    services.review_reply(city.supervisor, t, decision="approve")
    with pytest.raises(ActionNotAllowed):
        services.close(city.visitor, t)
    services.visit(city.visitor, t, outcome="unreachable")
    t = services.close(city.visitor, t)
    assert t.closing_type == ClosingType.UNREACHABLE


def test_urge_and_supervision_order(city):
    t = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, t, lead_unit="heating")
    services.urge(city.supervisor, t, message="请尽快签收")
    t = services.supervise(city.supervisor, t, text="限期解决", working_days=2)
    assert t.assignments.get().urge_count == 1
    order = t.supervision_orders.get()
    assert order.unit == city.heating and t.next_due_at <= order.due_at
