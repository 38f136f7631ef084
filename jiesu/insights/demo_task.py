"""Demo step: one proactive task (未诉先办) from the demo city's hottest issue with a usual unit, given by the
demo dispatcher through the same service as a real one, due in ten working days; marked as demo data in its
text. Loaded once: a second run finds it and adds nothing."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from jiesu.core import clock
from jiesu.evaluation import facts
from jiesu.insights import proactive, queries
from jiesu.tickets.models import ProactiveTask
from jiesu.worktime.calendar import get_calendar

DEMO_MARK = "（演示数据）"


def load(ctx: Any) -> None:
    existing = ProactiveTask.objects.filter(ticket__content__endswith=DEMO_MARK).select_related("ticket").first()
    if existing is not None:
        ctx.progress(f"主动治理任务：{existing.ticket.number} 已有")
        return
    for issue in queries.hot_issues(limit=20):
        draft = proactive.draft(issue)
        if draft["lead_unit"] and draft["members"] and draft["category"]:
            break
    else:
        ctx.progress("主动治理任务：没有可派的热点问题，未创建")
        return
    due = timezone.localtime(get_calendar().add_working_days(clock.now(), 10)).date()
    task = proactive.create_task_from_issue(ctx.user("dispatcher"), issue.pk, {
        "content": f"{draft['content']}{DEMO_MARK}", "due_on": due.isoformat()})
    facts.refresh()  # the figures' step ran before: count the task now
    ctx.progress(f"主动治理任务：{task.number}（{issue.description}，{len(draft['members'])} 件关联工单）")
