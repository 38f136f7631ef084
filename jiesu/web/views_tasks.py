"""The page creating a proactive task (主动治理任务, 未诉先办): by hand at /tasks/new/, or from a hot issue at
/tasks/from-issue/<id>/ with the issue's draft filled in. The rules are in `tickets.services.proactive` and
`insights.proactive`; this module only reads the form and renders."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from jiesu.catalog.queries import categories_tree
from jiesu.core.errors import DomainError, NotFound
from jiesu.core.permissions import Perm
from jiesu.core.scope import has_perm
from jiesu.insights import proactive as issue_tasks
from jiesu.tickets.queries import filter_units
from jiesu.tickets.services.proactive import create_task

TEMPLATE = "web/task_new.html"
FIELDS = ("title", "content", "lead_unit", "due_on", "category")


def _category_codes() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def walk(nodes: list[dict[str, Any]], prefix: str) -> None:
        for node in nodes:
            label = f"{prefix} / {node['name']}" if prefix else node["name"]
            out.append((node["code"], label))
            walk(node["children"], label)

    walk(categories_tree(), "")
    return out


def _posted(request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {name: request.POST.get(name, "").strip() for name in FIELDS}
    data["members"] = [n for n in re.split(r"[\s,，、;；]+", request.POST.get("members", "")) if n]
    return data


def _render(request: HttpRequest, values: dict[str, Any], status: int = 200, **extra: Any) -> HttpResponse:
    context = {"values": {**values, "members": "\n".join(values.get("members") or [])},
               "units": filter_units(request.user), "categories": _category_codes(), **extra}
    return render(request, TEMPLATE, context, status=status)


@login_required
def task_new(request: HttpRequest, issue_id: int | None = None) -> HttpResponse:
    if not has_perm(request.user, Perm.TASK_CREATE):
        raise PermissionDenied(gettext("您没有执行此操作的权限。"))
    try:
        issue = issue_tasks.issue_or_404(issue_id) if issue_id is not None else None
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    if request.method != "POST":
        return _render(request, issue_tasks.draft(issue) if issue else {}, issue=issue)
    data = _posted(request)
    try:
        if issue is not None:
            task = issue_tasks.create_task_from_issue(request.user, issue.pk, data)
        else:
            task = create_task(request.user, data)
    except DomainError as exc:
        errors = {k: [str(m) for m in v] for k, v in exc.field_errors.items()}
        return _render(request, data, exc.status, issue=issue, error=str(exc.message), errors=errors)
    return redirect("web:ticket", number=task.number)
