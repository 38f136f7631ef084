"""Demo step: the leader message board. Three boards; four messages through the services at past moments — one
published and closed with its reply, one published still being handled, one waiting for moderation, one a
report kept private. All say they are demo data; running again adds nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from jiesu.channels import board
from jiesu.channels.models import Board, BoardMessage
from jiesu.core import clock
from jiesu.tickets import services

DEMO = "（演示数据）"
BOARDS = (("mayor", "市长信箱", None, 1), ("tiexi-head", "铁西区区长信箱", "tiexi", 2), ("housing", "市住建局局长信箱", "housing", 3))
CLOSED_STEPS: tuple[tuple[str, str, dict[str, Any]], ...] = (("dispatcher", "dispatch", {"lead_unit": "urban", "category": "020501"}), ("handler-urban", "sign", {}),
                ("handler-urban", "reply", {"result": "已于当日更换损坏的路灯灯头，并将该路段纳入每周夜查。"}),
                ("supervisor", "review_reply", {"decision": "approve"}),
                ("visitor", "visit", {"outcome": "reached", "resolution": "resolved", "satisfaction": "satisfied"}),
                ("visitor", "close", {}))
MESSAGES = (
    ("mayor", 9, "海丰大街路灯一到晚上就不亮", "海丰大街北段路灯晚上全部不亮，走夜路很危险，希望尽快修。", "help", "publish", CLOSED_STEPS),
    ("tiexi-head", 3, "建议英雄广场增设公共厕所", "英雄广场晚上跳舞锻炼的人很多，附近没有公共厕所，建议增设。", "suggestion", "publish", ()),
    ("housing", 1, "老旧小区改造什么时候轮到北二小区", "北二小区楼体外墙脱落，想问今年老旧小区改造计划里有没有我们小区。", "consultation", None, ()),
    ("mayor", 2, "举报某建材市场夜间违规施工", "某建材市场每天夜里施工到凌晨，噪声扰民，我是附近居民，请为我保密。", "report", None, ()),
)


def _boards(ctx: Any) -> dict[str, Board]:
    found = {}
    for code, name, unit, sort in BOARDS:
        found[code] = ctx.upsert(Board, "code", code, {"name": name, "unit": ctx.unit(unit) if unit else None,
                                                        "sort": sort})
    return found


def _message(ctx: Any, boards: dict[str, Board], spec: tuple) -> None:
    code, days_ago, title, content, kind, decision, steps = spec
    operator, moment = ctx.user("operator"), clock.now() - timedelta(days=days_ago)
    with clock.at(moment):
        ticket = services.accept(operator, {"title": title, "content": f"{DEMO}{content}", "kind": kind,
                                            "channel": "board", "requester_name": "市民（演示）",
                                            "requester_phone": "13800000000"})
        message = board.post(ticket, boards[code], wants_private=False)
    for n, (who, action, data) in enumerate(steps, start=1):
        with clock.at(moment + timedelta(hours=n)):
            ticket = services.perform(ctx.user(who), ticket.number, action, data)
    if decision:
        with clock.at(moment + timedelta(minutes=30)):
            board.moderate(ctx.user("supervisor"), message.pk, {"decision": decision})


def load(ctx: Any) -> None:
    boards = _boards(ctx)
    if BoardMessage.objects.filter(ticket__content__startswith=DEMO).exists():
        return
    for spec in MESSAGES:
        _message(ctx, boards, spec)
    ctx.progress(f"领导留言板 {len(boards)} 个，演示留言 {len(MESSAGES)} 条（/board/；待审核在 留言审核）")
