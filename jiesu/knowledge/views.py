"""Staff pages of the knowledge base: search, an article with its versions and workflow, editing, review,
stale articles, 政策找人, figures, and answering a consultation with an article."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiesu.core.errors import DomainError, NotFound
from jiesu.core.permissions import Perm
from jiesu.core.scope import has_perm
from jiesu.knowledge import eligibility, figures, queries, services
from jiesu.knowledge.answering import answer_with_article, suggest_articles
from jiesu.knowledge.forms import ArticleForm, BenefitForm
from jiesu.knowledge.models import Article, ArticleKind, ArticleVersion
from jiesu.knowledge.promotion import promote_reply_to_faq
from jiesu.org.models import Region, Unit
from jiesu.tickets.queries import get_ticket


def _require(user: Any, perm: Perm) -> None:
    """A page the user's roles do not open is a 403 page, not an error."""
    if not has_perm(user, perm):
        raise PermissionDenied("您没有查看此页面的权限。")


def _require_editor(user: Any) -> None:
    if not (has_perm(user, Perm.KNOWLEDGE_EDIT) or has_perm(user, Perm.KNOWLEDGE_PUBLISH)):
        raise PermissionDenied("您没有编写知识的权限。")


def _visible_ticket(user: Any, number: str) -> Any:
    """A ticket in the user's scope; any other number is not found (as on the ticket pages)."""
    try:
        return get_ticket(user, number)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@login_required
def search(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.KNOWLEDGE_VIEW)
    g = request.GET
    rows = queries.search_articles(request.user, g.get("q", ""), kind=g.get("kind", ""), unit=g.get("unit", ""),
                                   region=g.get("region", ""), on=_day(g.get("on")))
    return render(request, "knowledge/search.html", {
        "rows": rows, "q": g.get("q", ""), "kinds": ArticleKind.choices, "filters": g,
        "units": Unit.objects.filter(articles__isnull=False).distinct(),
        "regions": Region.objects.filter(level__in=[Region.Level.CITY, Region.Level.DISTRICT]).order_by("code"),
        "can_edit": has_perm(request.user, Perm.KNOWLEDGE_EDIT) or has_perm(request.user, Perm.KNOWLEDGE_PUBLISH),
    })


@login_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(queries.visible_articles(request.user).select_related("current", "unit"), pk=pk)
    versions = article.versions.select_related("author", "reviewer")
    if not queries.editable_articles(request.user).filter(pk=pk).exists():
        versions = versions.filter(status__in=["published", "archived"])
    return render(request, "knowledge/article.html", {
        "article": article, "versions": versions,
        "conditions": eligibility.describe(article.current.conditions) if article.current else [],
        "can_edit": queries.editable_articles(request.user).filter(pk=pk).exists(),
        "can_publish": has_perm(request.user, Perm.KNOWLEDGE_PUBLISH),
    })


def _save_form(request: HttpRequest, form: ArticleForm, version: ArticleVersion | None) -> ArticleVersion:
    data = form.article_values()
    unit = data.pop("unit")
    if version is None:
        return services.create_draft(request.user, unit=unit, **data)
    return services.edit_draft(request.user, version, **data)


@login_required
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_editor(request.user)
    editable = ArticleVersion.objects.filter(article__in=queries.editable_articles(request.user))
    version = get_object_or_404(editable, pk=pk) if pk else None
    form = ArticleForm(request.POST or None, initial=ArticleForm.initial_for(version) if version else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_form(request, form, version)
        except DomainError as exc:
            for field, problems in exc.field_errors.items():
                form.add_error(field if field in form.fields else None, problems)
            if not exc.field_errors:
                form.add_error(None, str(exc.message))
        else:
            messages.success(request, "草稿已保存。")
            return redirect("knowledge:article", saved.article_id)
    return render(request, "knowledge/edit.html", {"form": form, "version": version})


_ACTIONS = {
    "submit": lambda user, v, note: services.submit(user, v),
    "publish": lambda user, v, note: services.publish(user, v, note),
    "reject": lambda user, v, note: services.reject(user, v, note),
    "new_version": lambda user, v, note: services.create_draft(user, article=v.article),
    "archive": lambda user, v, note: services.archive(user, v.article, note),
}


@login_required
@require_POST
def version_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    version = get_object_or_404(ArticleVersion.objects.select_related("article"), pk=pk)
    if action not in _ACTIONS:
        raise Http404()
    try:
        _ACTIONS[action](request.user, version, request.POST.get("note", ""))
        messages.success(request, "操作成功。")
    except DomainError as exc:
        messages.error(request, "；".join([str(exc.message), *(m for ms in exc.field_errors.values() for m in ms)]))
    return redirect("knowledge:article", version.article_id)


@login_required
def review(request: HttpRequest) -> HttpResponse:
    _require_editor(request.user)
    return render(request, "knowledge/review.html", {
        "waiting": queries.awaiting_review(request.user), "stale": queries.stale_articles(request.user),
        "soon": timezone.localdate() + timedelta(days=queries.EXPIRY_WARNING_DAYS),
        "months": queries.STALE_MONTHS, "days": queries.EXPIRY_WARNING_DAYS})


@login_required
def benefits(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.KNOWLEDGE_VIEW)
    form = BenefitForm(request.GET or None)
    situation = form.situation() if form.is_valid() else {}
    found = eligibility.benefits_for(situation) if situation else []
    return render(request, "knowledge/benefits.html", {"form": form, "found": found, "asked": bool(situation)})


@login_required
def figures_page(request: HttpRequest) -> HttpResponse:
    _require(request.user, Perm.STATS_VIEW)
    start, end = _day(request.GET.get("start")), _day(request.GET.get("end"))
    if start and end and end < start:
        messages.error(request, "结束日期不能早于开始日期，已显示最近 30 天。")
        start = end = None
    return render(request, "knowledge/figures.html", {"figures": figures.compute(start, end)})


@login_required
def answer_ticket(request: HttpRequest, number: str) -> HttpResponse:
    """Answer a consultation with an article (the intake screen's panel does the same through the same function)."""
    _require(request.user, Perm.TICKET_CREATE)
    ticket = _visible_ticket(request.user, number)
    if request.method == "POST":
        article_id, version = request.POST.get("article", ""), request.POST.get("version", "")
        article = get_object_or_404(Article, pk=int(article_id) if article_id.isdigit() else 0)
        try:
            answer_with_article(request.user, ticket, article, int(version) if version.isdigit() else None)
            messages.success(request, f"工单 {ticket.number} 已直接答复办结。")
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("knowledge:answer", ticket.number)
    ticket.refresh_from_db()
    return render(request, "knowledge/answer.html", {
        "ticket": ticket, "suggestions": suggest_articles(ticket.title, ticket.content, k=5, region=ticket.region)})


@login_required
@require_POST
def promote(request: HttpRequest, number: str) -> HttpResponse:
    ticket = _visible_ticket(request.user, number)
    try:
        version = promote_reply_to_faq(request.user, ticket)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("knowledge:search")
    messages.success(request, "已生成常见问答草稿（已去除个人信息），请核对后提交审核。")
    return redirect("knowledge:edit", version.pk)
