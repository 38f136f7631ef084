"""Staff pages end to end: write a draft through the form, submit, publish, answer a consultation with it."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from jiesu.knowledge.models import AnswerLog, Article, ArticleVersion
from jiesu.tickets.models import Ticket
from jiesu.tickets.services import accept
from jiesu.tickets.states import State

FORM = {"kind": "faq", "unit": "heating", "category": "", "regions": "", "title": "四平市供热期是哪天到哪天",
        "body_html": "四平市城区供热期为每年10月25日至次年4月5日。", "legal_basis": "", "source_document": "供热须知",
        "valid_from": "", "valid_to": "", "keywords": "供热；供暖", "questions": "什么时候开始供暖\n暖气几号停",
        "conditions": ""}


def test_write_submit_publish_and_answer_through_the_pages(kb, client):
    client.force_login(kb.heating_editor)
    response = client.post(reverse("knowledge:new"), FORM)
    version = ArticleVersion.objects.get()
    assert response.status_code == 302 and version.questions == ["什么时候开始供暖", "暖气几号停"]
    client.post(reverse("knowledge:action", args=[version.pk, "submit"]))
    client.force_login(kb.publisher)
    client.post(reverse("knowledge:action", args=[version.pk, "publish"]), {"note": "核对无误"})
    assert Article.objects.get().status == "published"
    ticket = accept(kb.operator, {"title": "问供暖时间", "content": "请问什么时候开始供暖", "kind": "consultation"})
    client.force_login(kb.operator)
    page = client.get(reverse("knowledge:answer", args=[ticket.number])).content.decode()
    assert "四平市供热期是哪天到哪天" in page and "用此知识答复并办结" in page
    client.post(reverse("knowledge:answer", args=[ticket.number]),
                {"article": version.article_id, "version": ticket.version})
    assert client.post(reverse("knowledge:answer", args=[ticket.number]), {"article": "x"}).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == State.CLOSED and ticket.answer_article_id == version.article_id


def test_form_errors_are_shown_not_raised(kb, client):
    client.force_login(kb.heating_editor)
    bad = {**FORM, "unit": "nowhere", "conditions": "[{\"field\": \"age\"}]"}
    response = client.post(reverse("knowledge:new"), bad)
    assert response.status_code == 200 and "享受条件" in response.content.decode()
    response = client.post(reverse("knowledge:new"), {**FORM, "unit": "civil"})
    assert response.status_code == 200 and "权限" in response.content.decode()
    assert not ArticleVersion.objects.exists()


def test_refused_actions_come_back_as_messages(kb, client):
    version = kb.draft(unit=kb.heating, title="草稿")
    client.force_login(kb.heating_editor)
    response = client.post(reverse("knowledge:action", args=[version.pk, "publish"]), follow=True)
    assert response.status_code == 200 and ArticleVersion.objects.get().status == "draft"
    assert client.post(reverse("knowledge:action", args=[version.pk, "explode"])).status_code == 404
    client.force_login(kb.publisher)
    client.post(reverse("knowledge:action", args=[version.pk, "submit"]))
    response = client.post(reverse("knowledge:action", args=[version.pk, "reject"]), {"note": ""}, follow=True)
    assert "请写明退回理由" in response.content.decode()


def test_public_pages_refuse_drafts_and_bad_feedback(kb, client):
    version = kb.draft(title="草稿")
    assert client.get(reverse("knowledge_public:article", args=[version.article_id])).status_code == 404
    assert client.post(reverse("knowledge_public:feedback"), {"answer": "x"}).status_code == 400
    response = client.post(reverse("knowledge_public:ask"), {"q": "长" * 600})
    assert response.status_code == 200 and "问题不超过" in response.content.decode()
    assert not Ticket.objects.exists()


QUESTION = "我的电话13912345678身份证220302199001011234，城市低保标准是多少"


def test_the_ask_page_posts_the_question_with_a_csrf_token(kb, settings):
    settings.KNOWLEDGE_ANSWER_THRESHOLD = 0.3
    kb.published(title="城市低保标准是多少", body_html="<p>四平市城市低保标准为每人每月710元。</p>")
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("knowledge_public:ask")).content.decode()
    assert 'method="post"' in page and 'hx-post="/ask/"' in page and "hx-push-url" not in page
    assert client.post(reverse("knowledge_public:ask"), {"q": QUESTION}).status_code == 403
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    html = client.post(reverse("knowledge_public:ask"), {"q": QUESTION, "csrfmiddlewaretoken": token}
                       ).content.decode()
    assert 'data-testid="answer"' in html and "710元" in html  # answered without JavaScript: the whole page
    partial = client.post(reverse("knowledge_public:ask"), {"q": QUESTION}, headers={"HX-Request": "true",
                          "X-CSRFToken": token}).content.decode()
    assert 'data-testid="answer"' in partial and "<html" not in partial
    for log in AnswerLog.objects.all():
        assert "220302199001011234" not in log.question and "13912345678" not in log.question


def test_a_question_in_the_url_is_not_answered(kb, client):
    kb.published(title="城市低保标准是多少", body_html="<p>四平市城市低保标准为每人每月710元。</p>")
    response = client.get(reverse("knowledge_public:ask"), {"q": QUESTION})
    assert response.status_code == 302 and response.url == reverse("knowledge_public:ask")
    widget = client.get(reverse("knowledge_public:widget"), {"q": QUESTION}).content.decode()
    assert "710元" not in widget and "13912345678" not in widget
    assert not AnswerLog.objects.exists()


def test_drafts_of_other_units_cannot_be_opened_for_editing(kb, client):
    version = kb.draft(title="民政草稿")
    client.force_login(kb.heating_editor)
    assert client.get(reverse("knowledge:edit", args=[version.pk])).status_code == 404
    client.force_login(kb.operator)
    assert client.get(reverse("knowledge:new")).status_code == 403
    client.force_login(kb.editor)
    assert "民政草稿" in client.get(reverse("knowledge:edit", args=[version.pk])).content.decode()


def test_pages_a_role_does_not_open_are_403(kb, client):
    client.force_login(kb.operator)
    assert client.get(reverse("knowledge:figures")).status_code == 403
    client.force_login(kb.editor)
    assert client.get(reverse("knowledge:answer", args=["SP0"])).status_code == 403
