"""Demo step: the ladder's unit steps (约谈), issued and closed through the services at past moments.

One interview of the city-management bureau is past its rectification deadline and still open, so the
supervisor's ladder page offers 问责 for it; one of the heating company was closed with its outcome. Both say
they are demo data. Running the demo again adds nothing (a demo step is found by its reason).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from jiesu.core import clock
from jiesu.evaluation import unit_steps
from jiesu.evaluation.models import UnitStep
from jiesu.tickets.models import Assignment

DEMO = "（演示数据）"
STEPS = (
    ("urban", 15, None, "本月督办 3 件，超期未签收 2 件", "请单位分管负责人到热线中心说明超期原因，提交整改方案。"),
    ("heating", 25, "已建立供热投诉日报制度，超期件全部办结。", "供暖季投诉集中、答复超期",
     "请单位说明供暖投诉积压原因，并于期限内完成整改。"),
)


def _tickets(unit: Any, before: datetime) -> list[str]:
    rows = Assignment.objects.filter(unit=unit, role="lead", dispatched_at__lt=before).order_by("-dispatched_at")
    return list(dict.fromkeys(rows.values_list("ticket__number", flat=True)))[:3]


def load(ctx: Any) -> None:
    supervisor, made = ctx.user("supervisor"), 0
    for code, days_ago, outcome, reason, document in STEPS:
        if UnitStep.objects.filter(reason=f"{DEMO}{reason}").exists():
            continue
        unit = ctx.unit(code)
        moment = clock.now() - timedelta(days=days_ago)
        with clock.at(moment):
            step = unit_steps.issue(supervisor, {"unit": code, "level": "interview", "reason": f"{DEMO}{reason}",
                                                 "document": document, "tickets": _tickets(unit, moment),
                                                 "working_days": 5})
        if outcome:
            with clock.at(step.due_at - timedelta(days=1)):
                unit_steps.close(supervisor, step.pk, {"outcome": f"{DEMO}{outcome}"})
        made += 1
    ctx.progress(f"约谈 {made} 次新下达（城管执法局的约谈逾期未整改，督办五步页面提示问责）" if made
                 else "约谈演示已存在")
