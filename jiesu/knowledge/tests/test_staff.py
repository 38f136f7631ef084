"""Staff search (highlights, filters), promoting a ticket reply to an FAQ draft, and the stale-article list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jiesu.core import clock
from jiesu.core.errors import NotFound
from jiesu.knowledge import services
from jiesu.knowledge.models import ArticleVersion
from jiesu.knowledge.promotion import promote_reply_to_faq
from jiesu.knowledge.queries import search_articles, stale_articles
from jiesu.tickets.services import accept, perform


def _rows(user, q="", **filters):
    return [row.version.title for row in search_articles(user, q, **filters)]


def test_search_highlights_the_query_words(kb):
    kb.published(title="城市低保标准", body_html="<p>四平市城市低保标准为每人每月710元。</p>")
    rows = search_articles(kb.operator, "低保标准")
    assert rows[0].version.title == "城市低保标准"
    assert "<mark>" in rows[0].highlighted and rows[0].confidence > 0


def test_search_filters_by_kind_unit_region_and_validity(kb):
    kb.published(title="低保标准", body_html="<p>低保标准为710元。</p>", regions=[kb.district])
    kb.published(title="低保申请指南", kind="guide", body_html="<p>低保向街道申请。</p>",
                 valid_from=date(2025, 1, 1), valid_to=date(2025, 6, 30))
    kb.published(unit=kb.heating, title="供热期", kind="faq", body_html="<p>供热期10月25日开始。</p>")
    assert set(_rows(kb.operator)) == {"低保标准", "低保申请指南", "供热期"}
    assert _rows(kb.operator, kind="guide") == ["低保申请指南"]
    assert _rows(kb.operator, unit="heating") == ["供热期"]
    assert set(_rows(kb.operator, region="220303")) == {"低保申请指南", "供热期"}
    assert set(_rows(kb.operator, region="220302001")) == {"低保标准", "低保申请指南", "供热期"}
    assert "低保申请指南" not in _rows(kb.operator, on=date(2025, 7, 1))
    assert set(_rows(kb.operator, "低保", on=date(2025, 3, 1))) == {"低保标准", "低保申请指南"}


def test_drafts_are_seen_by_their_unit_and_the_centre_only(kb):
    kb.draft(title="民政草稿")
    assert _rows(kb.editor) == ["民政草稿"] and _rows(kb.publisher) == ["民政草稿"]
    assert _rows(kb.heating_editor) == [] and _rows(kb.operator) == []


def test_search_page_shows_highlights_and_filters(kb, client):
    kb.published(title="城市低保标准", body_html="<p>城市低保标准为每人每月710元。</p>")
    client.force_login(kb.operator)
    html = client.get(reverse("knowledge:search"), {"q": "低保", "kind": "policy", "on": "2025-13-01"}
                      ).content.decode()
    assert "城市低保标准" in html and "<mark>低保</mark>" in html


def _answered_ticket(kb):
    ticket = accept(kb.operator, {
        "title": "张三丰咨询低保", "content": "我叫张三丰，电话13912345678，身份证220302199001011234，想问低保标准",
        "kind": "consultation", "requester_name": "张三丰", "requester_phone": "13912345678"})
    return perform(kb.operator, ticket.number, "answer", {
        "answer": "张三丰您好，四平市城市低保标准为每人每月710元，可拨打13912345678以外的社区电话咨询。"},
        version=ticket.version)


def test_promote_a_reply_to_an_faq_draft_without_personal_data(kb):
    ticket = _answered_ticket(kb)
    version = promote_reply_to_faq(kb.publisher, ticket)
    assert version.status == "draft" and version.article.kind == "faq"
    assert version.article.source_ticket_id == ticket.pk
    text = f"{version.title} {version.body_text} {version.questions}"
    for secret in ("张三丰", "13912345678", "220302199001011234"):
        assert secret not in text
    assert "710元" in version.body_text and ticket.number in version.source_document


def test_promote_is_one_action_from_the_ticket(kb, client):
    ticket = _answered_ticket(kb)
    client.force_login(kb.publisher)
    response = client.post(reverse("knowledge:promote", args=[ticket.number]))
    version = ArticleVersion.objects.get()
    assert response.status_code == 302 and response.url == reverse("knowledge:edit", args=[version.pk])
    unanswered = accept(kb.operator, {"title": "问供暖", "content": "什么时候供暖", "kind": "consultation"})
    client.post(reverse("knowledge:promote", args=[unanswered.number]))
    assert ArticleVersion.objects.count() == 1


def test_a_ticket_out_of_the_users_scope_is_not_promoted_nor_answered(kb, client):
    """The centre answered this ticket; no unit has it. A unit's editor must not turn its request and answer
    into a draft of their own (which they could then read), and its number is not found."""
    ticket = _answered_ticket(kb)
    with pytest.raises(NotFound):
        promote_reply_to_faq(kb.heating_editor, ticket)
    client.force_login(kb.heating_editor)
    assert client.post(reverse("knowledge:promote", args=[ticket.number])).status_code == 404
    assert not ArticleVersion.objects.exists()
    client.force_login(kb.operator)
    assert client.get(reverse("knowledge:answer", args=["SP20990101999999"])).status_code == 404


def test_the_review_page_is_for_editors_and_publishers(kb, client):
    client.force_login(kb.operator)
    assert client.get(reverse("knowledge:review")).status_code == 403
    client.force_login(kb.heating_editor)
    assert client.get(reverse("knowledge:review")).status_code == 200


def test_stale_articles_are_listed_for_their_unit(kb, client):
    with clock.at(timezone.now() - timedelta(days=400)):
        old = kb.published(title="两年前的低保问答", body_html="<p>旧的。</p>")
    expiring = kb.published(unit=kb.heating, title="缴费优惠", body_html="<p>优惠。</p>",
                            valid_to=timezone.localdate() + timedelta(days=10))
    kb.published(title="新的低保问答", body_html="<p>新的。</p>")
    assert list(stale_articles(kb.editor)) == [old.article]
    assert list(stale_articles(kb.heating_editor)) == [expiring.article]
    assert set(stale_articles(kb.publisher)) == {old.article, expiring.article}
    client.force_login(kb.editor)
    html = client.get(reverse("knowledge:review")).content.decode()
    assert "两年前的低保问答" in html and "缴费优惠" not in html
    services.create_draft(kb.editor, article=old.article)
    assert old.article in stale_articles(kb.editor)


def test_drafts_are_found_by_title_after_the_published_hits(kb):
    kb.published(title="城市低保标准", body_html="<p>城市低保标准为每人每月710元。</p>")
    kb.draft(title="低保标准调整（征求意见稿）", body_html="<p>拟调整。</p>")
    assert _rows(kb.editor, "低保标准") == ["城市低保标准", "低保标准调整（征求意见稿）"]
    assert _rows(kb.heating_editor, "低保标准") == ["城市低保标准"]


def test_admin_lists_articles_read_only_and_edits_standards(kb, admin_client):
    version = kb.published(title="城市低保标准", body_html="<p>710元。</p>")
    for name in ("article", "benefitstandard", "answerlog", "feedback"):
        assert admin_client.get(reverse(f"admin:knowledge_{name}_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:knowledge_article_change", args=[version.article_id]))
    assert page.status_code == 200 and "城市低保标准" in page.content.decode()
    assert admin_client.get(reverse("admin:knowledge_article_add")).status_code == 403
    assert admin_client.get(reverse("admin:knowledge_benefitstandard_add")).status_code == 200
