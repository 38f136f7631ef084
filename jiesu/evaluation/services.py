"""Changes of evaluation's state: each with an explicit actor, in one transaction, writing one event.

`close_month` stores a month's ranking so that it never moves (the circular and next month's change read it);
`close_last_month` does it on schedule (a periodic job of the sweep, on the Nth working day of the new month);
`save_scheme` records an edit of the scoring scheme (the admin calls it).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from jiesu.core import clock
from jiesu.core.errors import CalendarMissing, Conflict, PermissionDeniedError, ValidationFailed
from jiesu.core.events import record_event
from jiesu.core.permissions import Perm
from jiesu.core.scope import configuration_role, scope_of
from jiesu.evaluation import facts, scoring
from jiesu.evaluation.models import Ranking, RankingEntry, Scheme
from jiesu.evaluation.periods import Period, month_of
from jiesu.worktime.calendar import as_local, get_calendar

log = logging.getLogger(__name__)


def _require_city_stats(actor: Any) -> str:
    """Closing a month is the centre's: city-wide 统计查看; returns the role it is done in. ``None`` is the
    system (command line, tasks)."""
    if actor is None:
        return ""
    scope = scope_of(actor, Perm.STATS_VIEW)
    if not scope.city_wide:
        raise PermissionDeniedError("只有热线中心的统计人员可以结束月度排名。")
    return min(scope.roles, default="")


def close_month(actor: Any, month: Period) -> Ranking:
    """Stores the month's ranking as computed now (after bringing the figures up to date). Only a month that is
    over can be closed, and only once."""
    role = _require_city_stats(actor)
    if not month.is_month:
        raise ValidationFailed("只能结束整月的排名。", field_errors={"month": ["格式：YYYY-MM。"]})
    today = clock.now().astimezone(month.since.tzinfo).date()
    if month.end >= today:
        raise ValidationFailed(f"{month.label()}尚未结束，不能结束排名。", field_errors={"month": ["月份尚未结束。"]})
    facts.refresh()
    with transaction.atomic():
        if Ranking.objects.select_for_update().filter(month=month.start).exists():
            raise Conflict(f"{month.label()}的排名已经结束，不能再改。")
        result = scoring.compute_ranking(month)
        previous, _ = scoring.previous_ranks(month)
        ranking = Ranking.objects.create(month=month.start, scheme=result.scheme if result.scheme.pk else None,
                                         computed_at=clock.now(),
                                         computed_by=actor if getattr(actor, "pk", None) else None)
        RankingEntry.objects.bulk_create([
            RankingEntry(ranking=ranking, unit_id=e.unit_id, group=e.group, rank=e.rank, score=e.score,
                         figures={c: [v[0], v[1]] for c, v in e.figures.items()}, list=e.list,
                         previous_rank=previous.get((e.unit_id, e.group)))
            for e in result.entries])
        ranked = sum(1 for e in result.entries if e.rank is not None)
        record_event(subject_type="ranking", subject_id=ranking.pk, action="close_month", actor=actor,
                     actor_role=role,
                     data={"month": f"{month.start:%Y-%m}", "entries": len(result.entries), "ranked": ranked,
                           "scheme": ranking.scheme_id})
    return ranking


def closing_day(month: Period, working_day: int | None = None) -> date:
    """The day last month's ranking is closed on: the Nth working day of ``month`` on the working calendar
    (N = ``JIESU_RANKING_CLOSE_WORKING_DAY``, default 3), so a holiday at the start of the month moves it."""
    n = working_day or settings.JIESU_RANKING_CLOSE_WORKING_DAY
    calendar = get_calendar()
    day = month.start if calendar.is_working_day(month.start) else calendar.next_working_day(month.start)
    for _ in range(n - 1):
        day = calendar.next_working_day(day)
    return day


def close_last_month(now: datetime | None = None) -> int:
    """Closes last month's ranking (by the system) from its closing day on; 1 if this run closed it, 0 if it
    is not yet the day, the month is already closed (by hand or an earlier run), the calendar is missing, or no
    unit is ranked (closed empty, a month whose history is imported later could never be ranked)."""
    today = as_local(now or clock.now()).date()
    this_month = month_of(today)
    last = this_month.previous()
    if Ranking.objects.filter(month=last.start).exists():
        return 0
    try:
        if today < closing_day(this_month):
            return 0
    except CalendarMissing:
        log.warning("%s: no working calendar for %s, last month's ranking not closed", today, today.year)
        return 0
    if not any(e.rank is not None for e in scoring.compute_ranking(last).entries):  # a new hotline's first month, or history not imported
        log.info("%s: no unit to rank yet, the ranking is left open", last.label())
        return 0
    try:
        close_month(None, last)
    except (Conflict, IntegrityError):  # another run closed it in the meantime
        return 0
    log.info("%s ranking closed on schedule", last.label())
    return 1


SCHEME_FIELDS = ("name", "valid_from", "weight_response", "weight_resolution", "weight_satisfaction",
                 "points_overdue", "points_refused", "points_unjustified", "points_praise", "praise_cap",
                 "minimum_assignments", "list_size")


def _values(scheme: Scheme | None) -> dict[str, Any]:
    """The scheme's fields as compared (Decimal("10") equals the stored "10.00"); {} for a new one."""
    if scheme is None or scheme.pk is None:
        return {}
    return model_to_dict(scheme, fields=SCHEME_FIELDS)


def _state(values: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in values.items()}


def check_scheme(scheme: Scheme) -> None:
    """The rules of a scheme, for the service and the admin form alike: the weights sum to more than 0, and a
    scheme that scored a closed month is not edited (its stored ranking, the circular's parameters and the
    sheet's score formula read it; a change of the rules is a new scheme from a later date)."""
    if sum((scheme.weight_response, scheme.weight_resolution, scheme.weight_satisfaction)) <= 0:
        raise ValidationFailed("权重之和必须大于 0。", field_errors={"weight_response": ["权重之和必须大于 0。"]})
    if scheme.pk is None:
        return
    closed = Ranking.objects.filter(scheme_id=scheme.pk).order_by("month").values_list("month", flat=True)
    if closed and _values(Scheme.objects.filter(pk=scheme.pk).first()) != _values(scheme):
        months = "、".join(f"{m:%Y-%m}" for m in closed)
        raise Conflict(f"该考核办法已用于已结束月份（{months}）的排名，不能修改；请新增一个生效日期更晚的考核办法。")


@transaction.atomic
def save_scheme(actor: Any, scheme: Scheme, reason: str = "") -> Scheme:
    """Saves a new or edited scheme (see `check_scheme`); the edit applies to the months not yet closed."""
    check_scheme(scheme)
    before = _values(Scheme.objects.filter(pk=scheme.pk).first() if scheme.pk else None)
    scheme.save()
    after = _values(scheme)
    if before != after:
        record_event(subject_type="scheme", subject_id=scheme.pk, action="changed" if before else "created",
                     actor=actor, actor_role=configuration_role(actor), before=_state(before), after=_state(after),
                     reason=reason)
    return scheme
