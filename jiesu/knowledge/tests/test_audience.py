"""Reply templates (答复范例) are for staff: never served to citizens on any public channel, still offered at intake."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jiesu.api.tokens import create_token
from jiesu.knowledge.answering import answer_question, suggest_articles
from jiesu.knowledge.models import AnswerLog
from jiesu.tickets.services import accept

QUESTION = "我家楼道漏水"
TEMPLATE = {"kind": "reply", "title": "答复范例：楼道暖气管道漏水",
            "body_html": "<p>接到反映后，维修人员已到现场关闭阀门并更换了漏水管段，恢复供热。</p>",
            "questions": ["楼道漏水", "暖气管漏水"], "keywords": ["漏水", "楼道"]}


@pytest.fixture
def template(kb, settings):
    settings.KNOWLEDGE_ANSWER_THRESHOLD = 0.3
    return kb.published(unit=kb.heating, **TEMPLATE)


def test_the_same_article_as_an_faq_would_answer_the_question(kb, settings):
    settings.KNOWLEDGE_ANSWER_THRESHOLD = 0.3
    faq = kb.published(unit=kb.heating, **{**TEMPLATE, "kind": "faq"})
    assert answer_question(QUESTION, channel="public").article == faq.article


@pytest.mark.parametrize("channel", ["public", "widget", "voice", "chat"])
def test_a_reply_template_never_answers_a_citizen(template, channel):
    result = answer_question(QUESTION, channel=channel)
    assert not result.answered and result.article is None
    assert AnswerLog.objects.get().article_id is None  # not even logged as the near miss


def test_a_reply_template_is_not_on_the_public_pages(template, client):
    html = client.post(reverse("knowledge_public:ask"), {"q": QUESTION}).content.decode()
    assert "答复范例" not in html and "已到现场" not in html and 'data-testid="handover"' in html
    html = client.post(reverse("knowledge_public:widget"), {"q": QUESTION}).content.decode()
    assert "答复范例" not in html and "已到现场" not in html
    assert client.get(reverse("knowledge_public:article", args=[template.article_id])).status_code == 404


@pytest.mark.parametrize("channel", ["voice", "chat", "public", "widget"])
def test_a_reply_template_is_not_given_by_the_api(kb, template, channel):
    _, raw = create_token(kb.operator, name="test")
    body = Client().post("/api/v1/answer", {"question": QUESTION, "channel": channel},
                         content_type="application/json", headers={"Authorization": f"Bearer {raw}"}).json()
    assert body["answered"] is False and body["article"] is None and "已到现场" not in body["text"]


def test_a_reply_template_is_offered_to_the_operator_at_intake(kb, template, client):
    assert [s.article for s in suggest_articles(QUESTION)] == [template.article]
    assert suggest_articles(QUESTION, for_citizens=True) == []
    ticket = accept(kb.operator, {"title": QUESTION, "content": "楼道暖气管漏水", "kind": "consultation"})
    client.force_login(kb.operator)
    page = client.get(reverse("knowledge:answer", args=[ticket.number])).content.decode()
    assert "答复范例：楼道暖气管道漏水" in page
