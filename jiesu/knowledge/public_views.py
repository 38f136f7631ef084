"""问答: the citizens' self-service answer page, its embeddable widget (no JavaScript) and article pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiesu.core.errors import NotFound, ValidationFailed
from jiesu.knowledge import services
from jiesu.knowledge.answering import answer_question, public_article
from jiesu.knowledge.models import AnswerLog


def _ask(request: HttpRequest, channel: str) -> dict:
    """Answers the posted question; questions are never read from the URL (they would land in access logs)."""
    question = (request.POST.get("q") or "").strip() if request.method == "POST" else ""
    if not question:
        return {"question": ""}
    try:
        result = answer_question(question, channel=channel)
    except ValidationFailed as exc:
        return {"question": question, "error": "；".join(m for ms in exc.field_errors.values() for m in ms)}
    return {"question": question, "result": result}


@require_http_methods(["GET", "POST"])
def ask_page(request: HttpRequest) -> HttpResponse:
    """The question form posts (with a CSRF token), so a phone or ID number stays out of URLs, access logs and
    browser history. An old link with ``?q=`` is sent to the empty page instead of being answered."""
    if request.method == "GET" and "q" in request.GET:
        return redirect("knowledge_public:ask")
    context = _ask(request, "public")
    if request.headers.get("HX-Request"):
        return render(request, "knowledge/public/_answer.html", context)
    return render(request, "knowledge/public/ask.html", context)


@csrf_exempt  # anonymous and harmless; third-party frames often get no cookies, so no CSRF token either
@require_http_methods(["GET", "POST"])
@xframe_options_exempt
def widget(request: HttpRequest) -> HttpResponse:
    """The embeddable widget. Its form posts, so a question with a phone number stays out of URLs and logs."""
    return render(request, "knowledge/public/widget.html", _ask(request, "widget"))


@require_GET
def article_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        article = public_article(pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return render(request, "knowledge/public/article.html", {"article": article})


@csrf_exempt  # anonymous, harmless, and posted from the widget inside other sites' frames
@require_POST
@xframe_options_exempt
def feedback(request: HttpRequest) -> HttpResponse:
    answer_id = request.POST.get("answer", "")
    log = AnswerLog.objects.filter(pk=int(answer_id), answered=True).first() if answer_id.isdigit() else None
    if log is None or log.article is None:
        return HttpResponse("无法记录评价，请重新提问。", status=400)
    services.record_feedback(None, article=log.article, answer=log, helpful=request.POST.get("helpful") == "1")
    widget = request.POST.get("widget") == "1"
    if request.headers.get("HX-Request"):
        return render(request, "knowledge/public/_thanks.html", {"widget": widget})
    # Without JavaScript (the widget) the whole page comes back, with the thanks and an empty question box.
    page = "knowledge/public/widget.html" if widget else "knowledge/public/ask.html"
    return render(request, page, {"question": "", "thanks": True, "widget": widget})
