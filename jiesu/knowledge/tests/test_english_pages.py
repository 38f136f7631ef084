"""The knowledge pages (staff and public) follow the language switch; Chinese stays the default."""

from __future__ import annotations

from django.urls import reverse


def english(client):  # type: ignore[no-untyped-def]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def test_the_staff_knowledge_base_switches_to_english(kb, client):
    version = kb.published(title="城市低保标准是多少")
    client.force_login(kb.editor)
    assert "关键词或问题" in client.get(reverse("knowledge:search")).content.decode()
    english(client)
    html = client.get(reverse("knowledge:search")).content.decode()
    assert "Keyword or question" in html and "Responsible unit" in html and "关键词或问题" not in html
    article = client.get(reverse("knowledge:article", args=[version.article_id])).content.decode()
    assert "城市低保标准是多少" in article and "Source: " in article  # the article text is data, not translated


def test_the_public_question_page_switches_to_english(kb, client):
    assert "您的问题" in client.get(reverse("knowledge_public:ask")).content.decode()
    english(client)
    html = client.get(reverse("knowledge_public:ask")).content.decode()
    assert "Your question" in html and "Ask" in html and "您的问题" not in html
