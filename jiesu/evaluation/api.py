"""Figures over HTTP: `GET /api/v1/figures` (every figure with value, numerator and denominator), the tickets
(or call records) behind a figure, and the monthly ranking `GET /api/v1/rankings`. Scope as everywhere: a unit sees its own
figures and the city's totals (and, of the ranking, its own entry and the published red and black lists)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from jiesu.api.auth import AUTH, actor_of
from jiesu.api.schemas import ErrorOut
from jiesu.calls.queries import listed
from jiesu.core import clock
from jiesu.core.errors import NotFound, ValidationFailed
from jiesu.evaluation import present, queries, registry, scoring
from jiesu.evaluation.periods import month_of, parse_month, period_from

router = Router(auth=AUTH, tags=["考核评价 figures"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
PAGE = 100


def _params(request: HttpRequest) -> dict[str, Any]:
    g = request.GET
    return {"start": g.get("from") or None, "end": g.get("to") or None, "unit": g.get("unit") or None,
            "subunits": g.get("subunits", "") in {"1", "true", "yes"}, "group_by": g.get("group_by") or None,
            "codes": [c for c in (g.get("figures") or "").split(",") if c] or None}


@router.get("/figures", response={200: dict, **ERRORS}, summary="指标（分子、分母、比率）",
            description="每项指标给出 value、numerator、denominator 及分子、分母工单清单的链接。"
                        "参数：from、to（YYYY-MM-DD，或 from=YYYY-MM 表示整月）、unit（单位代码）、subunits、"
                        "group_by（unit、category、region、channel、kind、day）、figures（逗号分隔的指标代码）。")
def figures(request: HttpRequest) -> dict[str, Any]:
    p = _params(request)
    period = period_from(p["start"], p["end"])
    scope = queries.scope_for(actor_of(request), p["unit"], p["subunits"])
    table = queries.compute(scope, period, group_by=p["group_by"], codes=p["codes"])
    return present.table_dict(table)


@router.get("/figures/definitions", response={200: list, **ERRORS}, summary="指标定义")
def definitions(request: HttpRequest) -> list[dict[str, Any]]:
    return [present.definition(f) for f in registry.all_figures()]


def _drill(request: HttpRequest, code: str) -> tuple[Any, queries.FigureScope, Any, str, int, dict[str, Any]]:
    """The user, scope, period, part and page a list behind a figure is asked for."""
    if code not in registry.FIGURES:
        raise NotFound()
    p = _params(request)
    part = request.GET.get("part", "denominator")
    if part not in {"numerator", "denominator"}:
        raise ValidationFailed("part 应为 numerator 或 denominator。", field_errors={"part": ["numerator/denominator"]})
    period = period_from(p["start"], p["end"])
    user = actor_of(request)
    scope = queries.scope_for(user, p["unit"], p["subunits"])
    raw_page = request.GET.get("page") or "1"
    page = min(int(raw_page), 10_000) if raw_page.isdigit() and int(raw_page) > 0 else 1
    return user, scope, period, part, page, p


@router.get("/figures/{code}/tickets", response={200: dict, **ERRORS}, summary="指标分子或分母背后的工单")
def figure_tickets(request: HttpRequest, code: str) -> dict[str, Any]:
    user, scope, period, part, page, p = _drill(request, code)
    tickets, items = queries.item_tickets(user, scope, period, code, part, p["group_by"], request.GET.get("key"))
    rows = tickets.order_by("-created_at", "-id").values_list("number", flat=True)[(page - 1) * PAGE:page * PAGE]
    return {"figure": code, "part": part, "items": items, "visible": tickets.count(), "page": page,
            "tickets": list(rows)}


@router.get("/figures/{code}/calls", response={200: dict, **ERRORS}, summary="话务指标分子或分母背后的话单",
            description="话务指标（接通率、15 秒接通率、平均等待时长、放弃呼叫、话务满意率）的分子或分母所计入的话单，"
                        "参数同工单清单（from、to、part、group_by=channel 与 key 为线路）；每页 100 条，新的在前；"
                        "主叫号码隐去中间数字。话单属于热线中心，只对全市统计查看人员列出（其他人 visible 为 0）。")
def figure_calls(request: HttpRequest, code: str) -> dict[str, Any]:
    user, scope, period, part, page, p = _drill(request, code)
    calls, items = queries.item_calls(user, scope, period, code, part, p["group_by"], request.GET.get("key"))
    rows = calls.select_related("line").order_by("-offered_at", "-id")[(page - 1) * PAGE:page * PAGE]
    return {"figure": code, "part": part, "items": items, "visible": calls.count(), "page": page,
            "calls": [c.as_dict() for c in listed(user, rows)]}


@router.get("/rankings", response={200: dict, **ERRORS}, summary="单位月度综合评分与排名（红榜、黑榜）",
            description="参数 month=YYYY-MM（默认本月）。已结束的月份读取存档的排名（不再变化），本月实时计算；"
                        "change 为较上月上升的名次。热线中心统计人员看到全部单位；其他单位只看到本单位的得分与名次，"
                        "以及各组红榜、黑榜。")
def rankings(request: HttpRequest) -> dict[str, Any]:
    month = request.GET.get("month") or None
    period = parse_month(month) if month else month_of(timezone.localtime(clock.now()).date())
    scope = queries.scope_for(actor_of(request))
    return present.ranking_dict(scoring.ranking_for(period), scope.units)
