"""Demo step: the citizens' query page. One demo ticket waiting for its follow-up is rated by its citizen on
the web (as the follow-up, through `channels.rating`); the step prints a ticket to try /track/ with."""

from __future__ import annotations

from typing import Any

from jiesu.channels.rating import NOTE_PREFIX, RATER_NAME, RATER_USERNAME, rate
from jiesu.core.permissions import Role
from jiesu.org.models import User
from jiesu.org.services import system_account
from jiesu.tickets.models import Ticket, Visit
from jiesu.tickets.states import State


def _demo_rater() -> None:
    """The rating's system account, marked as demo data like every account the demo makes."""
    system_account(RATER_USERNAME, RATER_NAME, Role.VISITOR)
    User.objects.filter(username=RATER_USERNAME).update(is_demo=True)


def load(ctx: Any) -> None:
    _demo_rater()
    waiting = list(Ticket.objects.filter(status=State.VISITING).order_by("number"))
    if not Visit.objects.filter(note__startswith=NOTE_PREFIX).exists() and len(waiting) > 1:
        rate(waiting[0], {"satisfaction": "satisfied", "resolution": "resolved",
                          "comment": "（演示数据）处理及时，谢谢。"})
        waiting = waiting[1:]
    if waiting:
        t = waiting[0]
        ctx.progress(f"市民查询页 /track/：工单 {t.number}，查询码 {t.query_code}（已答复，可评价）")
