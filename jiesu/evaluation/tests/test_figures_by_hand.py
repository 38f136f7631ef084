"""Each figure counted by hand on small histories (docs/dev/figures.md), through the facts and the naive path."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jiesu.evaluation.periods import Period
from jiesu.evaluation.tests.conftest import MARCH, read, value
from jiesu.tickets.models import Assignment
from jiesu.worktime.calendar import get_calendar

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)
M = timedelta(minutes=1)
DAY_2 = Period(date(2026, 3, 2), date(2026, 3, 2))


def lead(story) -> Assignment:  # type: ignore[no-untyped-def]
    return Assignment.objects.filter(ticket=story.ticket, role="lead").order_by("-id").first()


def handled(story, *, at=2 * H, who="heating_handler"):  # type: ignore[no-untyped-def]
    """Dispatched to the heating company and signed for."""
    return story.at(5 * M, "dispatcher", "dispatch", lead_unit="heating").at(at, who, "sign")


def test_intake_counts_and_the_closing_rate(story, city):
    story()  # still open
    story(kind="consultation").at(3 * M, "operator", "answer", answer="按政策办理")
    story().at(4 * M, "operator", "reject", reason="malicious", route="无效来电")
    main = story()
    story().at(6 * M, "operator", "merge", into=main.ticket.number)
    table = read()
    assert value(table, "accepted") == (0, 5)
    assert [value(table, c)[1] for c in ("answered_directly", "rejected", "merged")] == [1, 1, 1]
    assert value(table, "closing_rate") == (3, 5)  # answered, rejected and merged reached their end


def test_dispatch_rate_counts_the_first_clock(story, city):
    story().at(5 * M, "dispatcher", "dispatch", lead_unit="heating")
    late = story()
    late.at(late.ticket.dispatch_due_at - late.ticket.created_at + 10 * M, "dispatcher", "dispatch",
            lead_unit="heating")
    waiting = story()
    assert value(read(), "dispatch_timely") == (1, 2)  # the waiting one is not an item until its limit passes
    waiting.sweep(waiting.ticket.dispatch_due_at - waiting.ticket.created_at + M)
    assert value(read(), "dispatch_timely") == (1, 3)


def test_sign_for_in_time_late_and_overdue(story, city):
    handled(story())
    slow = story().at(5 * M, "dispatcher", "dispatch", lead_unit="heating")
    slow.at(lead(slow).sign_due_at + 10 * M, "heating_handler", "sign")
    unsigned = story().at(5 * M, "dispatcher", "dispatch", lead_unit="heating")
    table = read()
    assert value(table, "sign_timely") == (1, 2)
    assert value(table, "overdue") == (0, 1)
    unsigned.sweep(lead(unsigned).sign_due_at - unsigned.ticket.created_at + M)
    table = read()
    assert value(table, "sign_timely") == (1, 3) and value(table, "overdue") == (0, 2)
    assert value(table, "assigned") == (0, 3)


def test_an_extension_moves_the_limit_and_a_late_reply_counts_when_it_happens(story, city):
    extended = handled(story())
    extended.at(3 * H, "heating_handler", "request_extension", working_days=2, reason="需协调")
    extended.at(4 * H, "dispatcher", "review_extension", decision="approve")
    original_due = get_calendar().add_working_days(lead(extended).signed_at, 5)
    assert lead(extended).reply_due_at > original_due
    extended.at(original_due + H - extended.ticket.created_at, "heating_handler", "reply", result="已修复")
    late = handled(story())
    late.at(lead(late).reply_due_at + H - late.ticket.created_at, "heating_handler", "reply", result="已修复")
    table = read()
    assert value(table, "reply_timely") == (1, 2)
    assert value(table, "extension_rate") == (1, 2)
    assert value(table, "overdue") == (0, 1)  # the late reply's reply-overdue mark
    reply_day = timezone.localtime(lead(late).replied_at).date()
    day = read(period=Period(reply_day, reply_day))
    assert value(day, "reply_timely")[1] >= 1  # counted on the day of the reply


def test_a_pause_for_adjudication_moves_the_limit(story, city):
    paused = handled(story())
    paused.at(3 * H, "heating_handler", "request_return", reason="非本单位职责")
    paused.at(4 * H, "dispatcher", "review_return", decision="adjudicate", opinion="职责不清")
    signed_due = lead(paused).reply_due_at
    paused.at(3 * 24 * H, "adjudicator", "adjudicate", responsible_unit="heating", legal_basis="供热条例第十条")
    assert lead(paused).reply_due_at > signed_due
    paused.at(signed_due + H - paused.ticket.created_at, "heating_handler", "reply", result="已处理")
    table = read()
    assert value(table, "reply_timely") == (1, 1)  # after the signed-for limit, within the paused one
    assert value(table, "return_rate") == (1, 1)
    assert value(table, "returns_unjustified") == (0, 1)  # the ruling kept the ticket with the heating company


def test_a_redispatch_and_a_return_upheld_by_adjudication(story, city):
    moved = handled(story())
    moved.at(3 * H, "heating_handler", "request_return", reason="属城管职责")
    moved.at(4 * H, "dispatcher", "review_return", decision="approve", lead_unit="urban")
    upheld = handled(story())
    upheld.at(3 * H, "heating_handler", "request_return", reason="属城管职责")
    upheld.at(4 * H, "dispatcher", "review_return", decision="adjudicate")
    upheld.at(5 * H, "adjudicator", "adjudicate", responsible_unit="urban", legal_basis="城管条例",
              refusing_units=["urban"])
    refused = handled(story())
    refused.at(3 * H, "heating_handler", "request_return", reason="不归我们")
    refused.at(4 * H, "dispatcher", "review_return", decision="refuse", opinion="属供热职责")
    by_unit = {g.label: g.values for g in read(group_by="unit").groups}
    heating, urban = by_unit["供热公司"], by_unit["城管局"]
    assert (heating["return_rate"].numerator, heating["return_rate"].denominator) == (3, 3)
    assert heating["returns_unjustified"].denominator == 1  # only the refused one
    assert heating["sign_timely"].denominator == 3
    assert urban["assigned"].denominator == 2  # the re-dispatched and the adjudicated ticket
    assert urban["adjudication_refused"].denominator == 1


def test_re_handling_counts_each_round(story, city):
    t = handled(story())
    t.at(3 * H, "heating_handler", "reply", result="已调节阀门")
    t.at(4 * H, "supervisor", "review_reply", decision="approve")
    t.at(5 * H, "visitor", "visit", outcome="reached", resolution="unresolved", satisfaction="dissatisfied")
    t.at(6 * H, "visitor", "reopen", reason="仍不热")
    t.at(7 * H, "heating_handler", "sign")
    t.at(8 * H, "heating_handler", "reply", result="更换管道")
    t.at(24 * H, "supervisor", "review_reply", decision="approve")
    t.at(25 * H, "visitor", "visit", outcome="reached", resolution="resolved", satisfaction="basic")
    t.at(26 * H, "visitor", "close")
    table = read()
    assert value(table, "sign_timely")[1] == 2 and value(table, "reply_timely")[1] == 2
    assert value(table, "handling_satisfaction") == (1, 2)
    assert value(table, "resolution_rate") == (1, 2)
    assert value(table, "satisfaction_rate") == (0.8, 2)
    assert value(table, "reopen_rate") == (1, 2)
    assert value(table, "closing_rate") == (1, 1)


def test_response_counts_contact_within_the_limit(story, city):
    quick = handled(story())
    quick.at(3 * H, "heating_handler", "contact", method="phone")
    quick.at(4 * H, "heating_handler", "reply", result="已处理")
    silent = handled(story())
    silent.at(4 * H, "heating_handler", "reply", result="已处理")
    anonymous = handled(story(is_anonymous=True))
    anonymous.at(4 * H, "heating_handler", "reply", result="已处理")
    assert value(read(), "response_rate") == (1, 2)  # the anonymous requester cannot be contacted


def test_closing_counts_by_the_end_of_the_period(story, city):
    t = handled(story())
    t.at(3 * H, "heating_handler", "reply", result="已处理")
    t.at(4 * H, "supervisor", "review_reply", decision="approve")
    t.at(5 * H, "visitor", "visit", outcome="reached", resolution="resolved", satisfaction="satisfied")
    t.at(3 * 24 * H, "visitor", "close")
    assert value(read(period=DAY_2), "closing_rate") == (0, 1)  # not closed by the end of that day
    assert value(read(period=MARCH), "closing_rate") == (1, 1)


def test_supervision_steps_count_for_the_lead_unit(story, city):
    t = handled(story())
    t.at(3 * H, "supervisor", "prompt", text="请及时联系")
    t.at(4 * H, "supervisor", "warn", text="即将超期", working_days=1)
    t.at(5 * H, "supervisor", "supervise", text="限期办结", working_days=2)
    t.at(6 * H, "supervisor", "urge", message="请加快")
    t.sweep(10 * 24 * H)
    heating = {g.label: g.values for g in read(group_by="unit").groups}["供热公司"]
    assert [heating[c].denominator for c in ("prompted", "warned", "supervised", "urged")] == [1, 1, 1, 1]
    assert heating["supervision_overdue"].denominator == 3


def test_a_closed_day_does_not_change_when_later_events_arrive(story, city):
    t = handled(story())
    before = read(period=DAY_2)
    t.at(2 * 24 * H, "heating_handler", "reply", result="已处理")
    t.at(2 * 24 * H + H, "supervisor", "review_reply", decision="approve")
    t.at(2 * 24 * H + 2 * H, "visitor", "visit", outcome="reached", resolution="resolved", satisfaction="satisfied")
    t.at(2 * 24 * H + 3 * H, "visitor", "reopen", reason="复查")
    after = read(period=DAY_2)
    assert {c: value(after, c) for c in after.total} == {c: value(before, c) for c in before.total}
    assert value(read(period=MARCH), "reopen_rate") == (1, 1)


def test_groups_by_dimension_add_up_to_the_total(story, city):
    handled(story())
    handled(story(channel="web"))
    for group_by in ("category", "region", "channel", "kind", "day"):
        table = read(group_by=group_by)
        assert sum(g.values["sign_timely"].denominator for g in table.groups) == table.total["sign_timely"].denominator
    assert value(read(period=MARCH), "accepted") == (0, 2)
    assert MARCH.previous() == Period(date(2026, 2, 1), date(2026, 2, 28))
