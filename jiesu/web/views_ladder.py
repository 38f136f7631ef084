"""The supervision ladder page (督办五步): the candidates for each step with their reasons, issued in one action,
and the open unit steps (约谈, 问责) with their closing. The rules are in `evaluation.ladder` and
`evaluation.unit_steps`; this module only reads forms and renders."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jiesu.core import clock
from jiesu.core.errors import DomainError
from jiesu.core.permissions import Perm
from jiesu.core.scope import has_perm
from jiesu.evaluation import ladder, unit_steps
from jiesu.evaluation.models import UnitStep
from jiesu.evaluation.unit_step_document import step_pdf

TEMPLATE = "web/ladder.html"


def _context(user: Any, **extra: Any) -> dict[str, Any]:
    steps = unit_steps.open_steps(user, clock.now())
    return {"ticket_candidates": ladder.ticket_candidates(user), "unit_candidates": ladder.unit_candidates(user),
            "open_steps": list(steps), "recent_steps": list(unit_steps.visible_steps(user)
                                                            .filter(closed_at__isnull=False)[:10]),
            **extra}


def _render(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    if not has_perm(request.user, Perm.SUPERVISION_ISSUE):
        raise PermissionDenied(gettext("您没有执行此操作的权限。"))
    return render(request, TEMPLATE, _context(request.user, **extra), status=status)


@login_required
def ladder_page(request: HttpRequest) -> HttpResponse:
    return _render(request)


def _working_days(raw: str | None) -> int:
    """The posted deadline; not a number gives 0, which `issue_selected` refuses with a clear message."""
    try:
        return int((raw or "").strip())
    except ValueError:
        return 0


def _messages(exc: DomainError) -> list[str]:
    return [str(m) for ms in exc.field_errors.values() for m in ms]


@login_required
@require_POST
def ladder_issue(request: HttpRequest) -> HttpResponse:
    try:
        outcomes = ladder.issue_selected(request.user, request.POST.getlist("key"), request.POST.get("text", ""),
                                         _working_days(request.POST.get("working_days")))
    except DomainError as exc:
        return _render(request, exc.status, error=exc.message, errors=_messages(exc),
                       text=request.POST.get("text", ""))
    return _render(request, outcomes=outcomes)


@login_required
@require_POST
def unit_step_close(request: HttpRequest, step_id: int) -> HttpResponse:
    try:
        unit_steps.close(request.user, step_id, {"outcome": request.POST.get("outcome", "")})
    except DomainError as exc:
        return _render(request, exc.status, error=exc.message, closing=step_id)
    return _render(request, closed=UnitStep.objects.get(pk=step_id))


@login_required
def unit_step_pdf(request: HttpRequest, step_id: int) -> HttpResponse:
    """The step's notice, for the supervisors and for the unit concerned (others get 404)."""
    step = unit_steps.visible_steps(request.user).filter(pk=step_id).first()
    if step is None:
        raise Http404(gettext("找不到该记录，或您无权查看。"))
    response = HttpResponse(step_pdf(step), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{step.level}-{step.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
