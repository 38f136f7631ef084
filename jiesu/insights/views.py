"""The hot-issue pages (热点问题) for 统计查看 staff: the list with its filter in the URL and the districts' bars,
one issue's page with its daily trend, warnings and the tickets behind it. Views read the filter, ask
``queries`` and render; which issues and tickets a user sees is the queries' (``visible_tickets``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from jiesu.core.errors import NotFound, ValidationFailed
from jiesu.core.permissions import Perm
from jiesu.core.scope import has_perm
from jiesu.insights import queries

PAGE_SIZE = 30
MEMBERS_PAGE_SIZE = 50


def _require(request: HttpRequest) -> None:
    if not has_perm(request.user, Perm.STATS_VIEW):
        raise PermissionDenied("热点问题页面只对统计查看岗位开放。")


def _filters(request: HttpRequest) -> queries.HotFilters:
    """The filter in the URL; a bad one is said on the page, which shows the default instead."""
    try:
        return queries.filters_from(request.GET)
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
        return queries.HotFilters()


@login_required
def issue_list(request: HttpRequest) -> HttpResponse:
    _require(request)
    f = _filters(request)
    user = request.user
    page = Paginator(queries.issue_list(user, f), PAGE_SIZE).get_page(request.GET.get("page"))
    regions = queries.region_bars(user, f)
    names = queries.district_names(list(page.object_list))
    return render(request, "insights/list.html", {
        "filters": f, "page": page, "page_query": f.query(), "days_choices": queries.DAYS_CHOICES,
        "regions": regions, "warnings": queries.recent_warnings(user),
        "rows": [(i, names[i.pk]) for i in page.object_list],
        "area_links": [(code, label, n, f.query(area=code)) for code, label, n
                       in zip(regions["codes"], regions["labels"], regions["data"], strict=True) if code],
        "area_name": dict(zip(regions["codes"], regions["labels"], strict=True)).get(f.area, f.area),
    })


@login_required
def issue_page(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    try:
        issue = queries.issue_for(request.user, pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    tickets = queries.member_tickets(request.user, issue)
    page = Paginator(tickets, MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "insights/issue.html", {
        "issue": issue, "district": queries.district_names([issue])[issue.pk], "trend": queries.trend(issue), "warnings": queries.issue_warnings(issue), "page": page,
        "visible": page.paginator.count, "breakdown": queries.member_breakdown(tickets),
    })
