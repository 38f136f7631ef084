"""The call figures (接通率, 15 秒接通率, 平均等待时长, 放弃呼叫, 话务满意率) from the call centre's records
(`jiesu.calls.Call`, rows never changed once imported); how each counts: docs/dev/figures.md.

Every call is an item on the day it was offered, attributed to no unit and grouped by its line (the channel
dimension: 12345 itself or a merged sub-line, which keeps its own counts). The calls behind a numerator or a
denominator are listed like tickets (`queries.item_calls`, `/figures/calls/`, `GET /api/v1/figures/{code}/calls`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from jiesu.calls.models import Call
from jiesu.evaluation.facts import id_source, register_source
from jiesu.evaluation.registry import COUNT, MEAN, RATE, Figure, Part, register
from jiesu.tickets.states import Satisfaction

FULL = 1000
SOURCE = "calls"
# GB/T 33358: the share of calls answered within this many seconds, calls abandoned within it not counted.
ANSWER_SECONDS: int = getattr(settings, "JIESU_CALL_ANSWER_SECONDS", 15)
ANSWERED = Q(answered_at__isnull=False)


def _when(condition: Q) -> Case:
    return Case(When(condition, then=Value(FULL)), default=Value(0))


def _line() -> dict[str, Any]:
    return {"channel": F("line_id")}


def _calls(condition: Q | None = None, **kw: Any) -> Part:
    rows = (lambda: Call.objects.filter(condition)) if condition is not None else Call.objects.all
    return Part(rows, "pk", at="offered_at", dims=_line, **kw)


def _figures() -> list[Figure]:
    limit_ms = ANSWER_SECONDS * 1000
    common: dict[str, Any] = {"source": SOURCE, "unit_level": False}  # the items are listed at /figures/calls/
    return [
        Figure("call_answer_rate", _("接通率"), "calls", RATE, (_calls(num=_when(ANSWERED)),),
               description=_("接通的呼叫（人工或语音系统应答）/ 呼入的呼叫"), numerator_label=_("接通"),
               denominator_label=_("呼入"), order=1, **common),
        Figure("call_answer_15s", _("15 秒接通率"), "calls", RATE,
               (_calls(ANSWERED | Q(wait_ms__gt=limit_ms), num=_when(ANSWERED & Q(wait_ms__lte=limit_ms))),),
               description=_("15 秒内接通的呼叫 / 呼入的呼叫（15 秒内放弃的不计，GB/T 33358）"),
               numerator_label=_("15 秒内接通"), denominator_label=_("呼入（不含 15 秒内放弃）"), order=2, **common),
        Figure("call_wait", _("平均等待时长（秒）"), "calls", MEAN, (_calls(ANSWERED, num="wait_ms"),),
               description=_("接通的呼叫从呼入到接通的平均秒数"), numerator_label=_("等待秒数合计"),
               denominator_label=_("接通"), higher_is_better=False, order=3, **common),
        Figure("call_abandoned", _("放弃呼叫"), "calls", COUNT, (_calls(Q(answered_at__isnull=True)),),
               description=_("未接通即挂机的呼叫"), higher_is_better=False, order=4, **common),
        Figure("call_satisfaction", _("话务满意率"), "calls", RATE,
               (_calls(~Q(survey=""), num=_when(Q(survey__in=[Satisfaction.SATISFIED, Satisfaction.BASIC]))),),
               description=_("（满意 + 基本满意）/ 作出话后评价的呼叫"), numerator_label=_("满意与基本满意"),
               denominator_label=_("已评价"), order=5, **common),
    ]


register_source(id_source(SOURCE, Call, written_at="imported_at"))
for _figure in _figures():
    register(_figure)
