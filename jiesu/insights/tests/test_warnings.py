"""Early warnings on synthetic histories: a burst at one estate raises one warning, a steady issue none, a rerun
the same day nothing; the season replaces the issue's own history when earlier years had that month."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from jiesu.core import clock
from jiesu.core.models import Event
from jiesu.insights import early_warnings
from jiesu.insights.early_warnings import Thresholds, Voice, raise_warnings, rise_of
from jiesu.insights.models import HotIssue, HotIssueMember, HotIssueWarning
from jiesu.intelligence.tests.world import accept, world  # noqa: F401  (fixture)
from jiesu.notify.models import OutboxMessage, UnitContact
from jiesu.org.models import Unit

NOW = datetime(2026, 11, 30, 16, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
T = Thresholds()
_ticket_ids = count(1000)


def _issue(description: str, days_ago: list[float], *, place: str = "丽景花园") -> HotIssue:
    """An issue whose requesters (one each) came ``days_ago`` before NOW; members refer to ticket ids only."""
    times = sorted(NOW - timedelta(days=d) for d in days_ago)
    issue = HotIssue.objects.create(place_key=f"n:{place}", area="铁西区", place=place, description=description,
                                    heat=float(len(times)), requesters=len(times), tickets=len(times),
                                    first_at=times[0], last_at=times[-1], vector=b"", word_vector=b"")
    HotIssueMember.objects.bulk_create([HotIssueMember(issue=issue, ticket_id=next(_ticket_ids),
                                                       requester=f"{description}-{i}", created_at=at)
                                        for i, at in enumerate(times)])
    return issue


def _burst() -> HotIssue:
    return _issue("丽景花园：停水", [40, 4.5, 4, 3, 2.5, 2, 1.5, 1, 0.5])  # 8 people in 5 days, one before


def _steady() -> HotIssue:
    return _issue("金桥家园：暖气", [w * 7 + d for w in range(10) for d in (0.5, 1.5, 2.5, 3.5, 4.5, 5.5)],
                  place="金桥家园")  # six new people every week for ten weeks


@pytest.fixture
def centre(db):  # type: ignore[no-untyped-def]
    unit = Unit.objects.create(code="centre", name="热线中心", kind=Unit.Kind.CENTRE)
    UnitContact.objects.create(unit=unit, name="督办科值班", mobile="13900000001")
    return unit


def test_a_burst_at_one_estate_raises_one_warning_a_steady_issue_none(centre):
    burst, steady = _burst(), _steady()
    with clock.at(NOW):
        raised = raise_warnings(now=NOW)
    assert [w.issue_id for w in raised] == [burst.pk]
    warning = raised[0]
    assert warning.recent == 8 and warning.basis == HotIssueWarning.Basis.HISTORY
    assert warning.expected == pytest.approx(1 * 7 / 56)
    assert warning.description == "丽景花园：停水" and len(warning.ticket_ids) == 8
    assert not HotIssueWarning.objects.filter(issue=steady).exists()
    assert Event.objects.filter(subject_type="insights.hot_issues", action="warn").count() == 1
    message = OutboxMessage.objects.get(template=early_warnings.TEMPLATE)
    assert message.unit == centre and "丽景花园：停水" in message.body and "8人" in message.body


def test_a_rerun_the_same_day_adds_nothing_and_a_later_day_only_when_more_people_came(centre):
    burst = _burst()
    with clock.at(NOW):
        assert len(raise_warnings(now=NOW)) == 1
        assert raise_warnings(now=NOW + timedelta(hours=2)) == []
    assert HotIssueWarning.objects.count() == 1 and OutboxMessage.objects.count() == 1
    tomorrow = NOW + timedelta(days=1)
    assert raise_warnings(now=tomorrow) == []  # the same people: no new warning
    HotIssueMember.objects.create(issue=burst, ticket_id=next(_ticket_ids), requester="new-caller",
                                  created_at=tomorrow - timedelta(hours=1))
    assert [w.recent for w in raise_warnings(now=tomorrow)] == [9]
    assert Event.objects.filter(action="warn").count() == 2


def test_a_warning_outlives_a_rebuild_and_finds_its_issue_again(centre):
    burst = _burst()
    [warning] = raise_warnings(now=NOW)
    members = list(burst.members.values_list("ticket_id", "requester", "created_at"))
    burst.delete()  # what a rebuild does; it then groups the same tickets into a new issue
    warning.refresh_from_db()
    assert warning.issue is None and warning.description == "丽景花园：停水"
    again = HotIssue.objects.create(place_key="n:丽景花园", area="铁西区", place="丽景花园", description="丽景花园：停水",
                                    heat=9, requesters=9, tickets=9, first_at=members[0][2], last_at=members[-1][2],
                                    vector=b"", word_vector=b"")
    HotIssueMember.objects.bulk_create([HotIssueMember(issue=again, ticket_id=t, requester=r, created_at=at)
                                        for t, r, at in members])
    assert raise_warnings(now=NOW + timedelta(hours=1)) == []
    warning.refresh_from_db()
    assert warning.issue == again and HotIssueWarning.objects.count() == 1


def test_few_people_never_warn_and_the_thresholds_come_from_settings(centre, settings):
    _issue("翠湖苑：噪音", [3, 2, 1, 0.5], place="翠湖苑")  # four people, all new: below the minimum of five
    assert raise_warnings(now=NOW) == []
    settings.JIESU_HOT_WARNING_MIN_REQUESTERS = 4
    assert len(raise_warnings(now=NOW)) == 1


def test_the_season_replaces_the_issue_s_own_history():
    def voices(days: list[float]) -> list[Voice]:
        return [Voice(f"r{i}", NOW - timedelta(days=d), i) for i, d in enumerate(days)]

    heating = voices([6, 5, 4, 3, 2, 1, 0.5])  # seven people this week, nobody in the eight weeks before
    assert rise_of(heating, NOW, T).basis == HotIssueWarning.Basis.HISTORY
    assert rise_of(heating, NOW, T, season=6.0) is None  # earlier Novembers: six a week — as usual
    rise = rise_of(heating, NOW, T, season=1.5)  # earlier Novembers: one or two a week
    assert rise is not None and rise.basis == HotIssueWarning.Basis.SEASON and rise.expected == 1.5


def test_the_season_is_the_same_month_of_earlier_years_at_the_issue_s_region_and_category(world):  # noqa: F811
    last_november = datetime(2025, 11, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with clock.at(last_november):
        old = [accept(world, requester_phone=f"1381111{i:04d}") for i in range(6)]
        accept(world, region="220303001001", requester_phone="13822220000")  # another region: not counted
    with clock.at(NOW - timedelta(days=1)):
        now_tickets = [accept(world, requester_phone=f"1383333{i:04d}") for i in range(2)]
    expected = early_warnings.season_expected([t.pk for t in now_tickets], NOW, T)
    assert expected == pytest.approx(6 * 7 / 30)
    assert early_warnings.season_expected([t.pk for t in now_tickets], NOW - timedelta(days=31), T) is None
    assert old  # October 2025 had no tickets at all: no season to compare with
