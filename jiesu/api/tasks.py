"""Proactive tasks (未诉先办) over HTTP: create one by hand or from a hot issue, read one with its members.
Once created, a task is a ticket: it is acted on through `/tickets/{number}/actions/…` like any other."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from jiesu.api import bodies
from jiesu.api.auth import AUTH, actor_of
from jiesu.api.schemas import Coded, ErrorOut, Labelled
from jiesu.insights.proactive import create_task_from_issue
from jiesu.tickets import queries
from jiesu.tickets.inputs import CreateTaskInput
from jiesu.tickets.services.proactive import create_task

router = Router(auth=AUTH, tags=["主动治理 tasks"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
EXAMPLE = {"title": "阳光新城小区供暖不达标专项整治", "content": "排查小区管网和换热站，恢复室温并统一答复。",
           "lead_unit": "heating", "due_on": "2026-03-13", "members": ["SP20260302000001", "SP20260302000002"]}


class TaskMemberOut(Schema):
    number: str
    status: Labelled
    answers: bool
    answered_at: datetime | None


class TaskOut(Schema):
    number: str
    title: str
    status: Labelled
    lead_unit: Coded | None
    due_at: datetime
    hot_issue: int | None
    hot_issue_description: str
    members: list[TaskMemberOut]


def _out(user: Any, number: str) -> dict[str, Any]:
    view = queries.task_view(user, number)
    t, task = view["ticket"], view["task"]
    return {"number": t.number, "title": t.title, "status": {"value": t.status, "label": t.get_status_display()},
            "lead_unit": {"code": t.lead_unit.code, "name": t.lead_unit.name} if t.lead_unit else None,
            "due_at": task.due_at, "hot_issue": task.hot_issue_id, "hot_issue_description": task.hot_issue_description,
            "members": [{"number": m.ticket.number, "answers": m.answers, "answered_at": m.answered_at,
                         "status": {"value": m.ticket.status, "label": m.ticket.get_status_display()}}
                        for m in view["members"]]}


@router.post("/tasks", response={201: TaskOut, **ERRORS}, summary="创建主动治理任务",
             openapi_extra=bodies.body_doc(CreateTaskInput, example=EXAMPLE),
             description="派单员（全市）为单位创建任务：任务派给承办单位，待派单的关联工单同时派给该单位；"
                         "任务答复时一并答复这些工单，各工单仍各自审核、回访。")
def post_task(request: HttpRequest) -> Status[dict[str, Any]]:
    user = actor_of(request)
    task = create_task(user, bodies.read_json(request))
    return Status(201, _out(user, task.number))


@router.post("/hot-issues/{issue_id}/task", response={201: TaskOut, **ERRORS}, summary="由热点问题创建任务",
             description="以热点问题的描述、工单、常见分类和承办单位为默认值；请求体可覆盖其中任一项"
                         "（`due_on` 必填）。")
def post_issue_task(request: HttpRequest, issue_id: int) -> Status[dict[str, Any]]:
    user = actor_of(request)
    task = create_task_from_issue(user, issue_id, bodies.read_json(request))
    return Status(201, _out(user, task.number))


@router.get("/tasks/{number}", response={200: TaskOut, **ERRORS}, summary="主动治理任务及其关联工单")
def get_task(request: HttpRequest, number: str) -> dict[str, Any]:
    return _out(actor_of(request), number)
