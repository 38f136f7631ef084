"""The figures pages: the dashboard (统计分析, for 统计查看), each unit's own page against the city's, and the
tickets (for a call figure, the call records) behind a figure's numerator or denominator. Views read the filter,
ask `pages` and render; every figure comes from the engine (`queries.compute`) and the scope from
`queries.scope_for`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiesu.calls.queries import listed
from jiesu.catalog.models import Channel
from jiesu.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from jiesu.core.permissions import Perm
from jiesu.core.scope import has_perm, scope_of
from jiesu.evaluation import pages, queries, registry
from jiesu.evaluation.periods import Period, period_from
from jiesu.evaluation.queries import FigureScope
from jiesu.org.models import Unit
from jiesu.org.queries import memberships_of, visible_units

PAGE_SIZE = 30


def _scope(user: Any, unit: str | None, subunits: bool = False) -> FigureScope:
    """The engine's scope rule as pages answer it: another unit's page is not found (as tickets are)."""
    try:
        return queries.scope_for(user, unit or None, subunits)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc.message)) from exc


def _filters(request: HttpRequest, unit: str = "") -> pages.Filters:
    """The filter in the URL; a bad one is said on the page, which shows this month instead."""
    try:
        return pages.filters_from(request.GET, unit=unit)
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
        return pages.default_filters(unit)


def _sort(request: HttpRequest) -> tuple[str, bool]:
    sort = request.GET.get("sort", "assigned")
    return (sort.removeprefix("-"), sort.startswith("-") or sort == "assigned")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not has_perm(user, Perm.STATS_VIEW):
        raise PermissionDenied("统计分析页面只对统计查看岗位开放。")
    f = _filters(request)
    scope = _scope(user, f.unit, f.subunits)
    count_code = "accepted" if scope.is_city else "assigned"
    sort, descending = _sort(request)
    with queries.one_refresh():
        context = _dashboard_context(request, f, scope, count_code, sort, descending)
    return render(request, "evaluation/dashboard.html", context)


def _dashboard_context(request: HttpRequest, f: pages.Filters, scope: FigureScope, count_code: str, sort: str,
                       descending: bool) -> dict[str, Any]:
    user = request.user
    compared, _table = pages.headline(scope, f.period, pages.CITY_HEADLINE if scope.is_city else pages.UNIT_HEADLINE)
    return {
        "filters": f, "scope": scope, "headline": compared, "trend": pages.trend(scope, f.period, count_code),
        "breakdowns": [pages.breakdown(scope, f.period, "category", count_code, _("按诉求大类")),
                       pages.breakdown(scope, f.period, "region", count_code, _("按区县"))],
        "lines": pages.call_lines(scope, f.period),
        "units": pages.unit_table(scope, f.period, f, sort, descending,
                                  None if request.GET.get("units") == "all" else pages.UNIT_ROWS),
        "unit_choices": visible_units(user).filter(is_active=True).order_by("path"),
        "periods": pages.periods_menu(f),
        "ranking": pages.ranking_view(f.period) if scope.viewer_city_wide else None,
    }


@login_required
def own_unit(request: HttpRequest) -> HttpResponse:
    """本单位指标: the page of the unit the user works in (their first role's unit)."""
    memberships = memberships_of(request.user)  # type: ignore[arg-type]
    if not memberships:
        raise Http404("您没有所属单位。")
    query = request.GET.urlencode()
    return redirect(pages.unit_page_path(memberships[0].unit.code) + (f"?{query}" if query else ""))


@login_required
def unit_page(request: HttpRequest, code: str) -> HttpResponse:
    f = _filters(request, unit=code)
    scope = _scope(request.user, code, f.subunits)
    assert scope.unit is not None
    with queries.one_refresh():
        context = _unit_context(request, f, scope)
    return render(request, "evaluation/unit.html", context)


def _unit_context(request: HttpRequest, f: pages.Filters, scope: FigureScope) -> dict[str, Any]:
    assert scope.unit is not None
    return {
        "filters": f, "scope": scope, "unit": scope.unit,
        "comparison": pages.unit_against_city(scope, f.period),
        "trend": pages.trend(scope, f.period, "assigned"),
        "breakdowns": [pages.breakdown(scope, f.period, "category", "assigned", _("按诉求大类"))],
        "has_subunits": Unit.objects.filter(parent=scope.unit).exists(),
        "periods": pages.periods_menu(f), "rank": pages.unit_rank(scope.unit, f.period),
        "city_wide": scope.viewer_city_wide and has_perm(request.user, Perm.STATS_VIEW),
    }


@dataclass(frozen=True)
class Drill:
    """What a list behind a figure is asked for: the figure, numerator or denominator, the period and scope."""

    code: str
    part: str
    period: Period
    scope: FigureScope


def _drill(request: HttpRequest) -> Drill:
    g = request.GET
    code, part = g.get("figure", ""), g.get("part", "denominator")
    if code not in registry.FIGURES or part not in {"numerator", "denominator"}:
        raise Http404("没有这项指标。")
    try:
        period = period_from(g.get("from") or None, g.get("to") or None)
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
        period = period_from(None, None)
    return Drill(code, part, period, _scope(request.user, g.get("unit"), g.get("subunits", "") in {"1", "on", "true"}))


def _list_context(request: HttpRequest, drill: Drill, rows: Any, items: int) -> dict[str, Any]:
    """The page of rows, the counts and the labels both lists show."""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    figure = registry.get(drill.code)
    return {
        "figure": figure, "part": drill.part, "period": drill.period, "scope": drill.scope, "items": items,
        "page": page, "visible": page.paginator.count, "page_query": kept.urlencode(),
        "part_label": figure.numerator_label if drill.part == "numerator" else (figure.denominator_label
                                                                                or figure.label),
        "back": _back_link(request.user, drill.scope, drill.period),
    }


def _items_behind(request: HttpRequest, drill: Drill, item_query: Callable[..., Any]) -> tuple[Any, int]:
    """``queries.item_tickets`` or ``item_calls`` for the link's group; a bad or unlisted one is not found."""
    g = request.GET
    try:
        return item_query(request.user, drill.scope, drill.period, drill.code, drill.part,  # type: ignore[no-any-return]
                          g.get("group_by") or None, g.get("key"))
    except (ValidationFailed, NotFound) as exc:
        raise Http404(str(exc.message)) from exc


@login_required
def figure_tickets(request: HttpRequest) -> HttpResponse:
    """The tickets behind a figure's numerator or denominator (the links of every figure on the pages and in
    the API), those this user may see, newest first."""
    drill = _drill(request)
    tickets, items = _items_behind(request, drill, queries.item_tickets)
    rows = tickets.select_related("category", "lead_unit").order_by("-created_at", "-id")
    return render(request, "evaluation/tickets.html", _list_context(request, drill, rows, items))


@login_required
def figure_calls(request: HttpRequest) -> HttpResponse:
    """The call records behind a call figure's numerator or denominator (its links on the pages and in the
    API), those this user may see, newest first, the caller's number masked."""
    drill = _drill(request)
    calls, items = _items_behind(request, drill, queries.item_calls)
    context = _list_context(request, drill, calls.select_related("line").order_by("-offered_at", "-id"), items)
    context["calls"] = listed(request.user, context["page"].object_list)
    key = request.GET.get("key", "")
    if request.GET.get("group_by") == "channel" and key.isdigit():  # one line's calls: its name in the title
        context["line"] = Channel.objects.filter(pk=int(key)).values_list("name", flat=True).first()
    return render(request, "evaluation/calls.html", context)


def _back_link(user: Any, scope: FigureScope, period: Any) -> str:
    """Back to the page the figure was read on: the unit's, the dashboard, or the user's own unit's."""
    query = f"period=range&from={period.start.isoformat()}&to={period.end.isoformat()}"
    if scope.unit is not None:
        return f"{pages.unit_page_path(scope.unit.code)}?{query}"
    if has_perm(user, Perm.STATS_VIEW) and scope_of(user, Perm.STATS_VIEW).city_wide:
        return f"{reverse('evaluation:dashboard')}?{query}"
    return f"{reverse('evaluation:own_unit')}?{query}"

