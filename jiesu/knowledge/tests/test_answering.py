"""Suggestions, validity, the answer threshold, hand-over with a ticket, and answering a consultation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jiesu.core.errors import ValidationFailed
from jiesu.knowledge import services
from jiesu.knowledge.answering import answer_question, answer_with_article, suggest_articles
from jiesu.knowledge.content import spoken_text, without_personal_numbers
from jiesu.knowledge.models import AnswerLog, Article
from jiesu.tickets.models import Ticket
from jiesu.tickets.services import accept
from jiesu.tickets.states import ClosingType, State

HEATING = {"kind": "faq", "title": "四平市供热期是哪天到哪天",
           "body_html": "<p>四平市城区供热期为每年10月25日至次年4月5日。遇气温异常可提前或延后供热。</p>",
           "questions": ["什么时候开始供暖", "暖气几号停"], "keywords": ["供热", "供暖", "采暖期"]}


@pytest.fixture
def heating_article(kb):
    return kb.published(unit=kb.heating, **HEATING)


def test_suggests_the_published_article_with_highlights(kb, heating_article):
    kb.published(title="城市低保标准", body_html="<p>城市低保标准为每人每月710元。</p>")
    found = suggest_articles("今年什么时候开始供暖", "")
    assert found[0].article == heating_article.article
    assert 0 < found[0].confidence <= 1
    assert "<mark>" in found[0].highlighted


def test_drafts_expired_and_archived_articles_are_never_offered(kb, heating_article):
    kb.draft(title="供暖费补贴", body_html="<p>供暖费补贴草稿。</p>", questions=["什么时候开始供暖"])
    yesterday = timezone.localdate() - timedelta(days=1)
    kb.published(title="供暖期临时通知", body_html="<p>供暖提前开始。</p>", valid_to=yesterday.isoformat(),
                 questions=["什么时候开始供暖"])
    kb.published(title="明年供暖新规", body_html="<p>供暖新规。</p>", valid_from=(yesterday + timedelta(days=5)).isoformat(),
                 questions=["什么时候开始供暖"])
    assert [s.article for s in suggest_articles("什么时候开始供暖")] == [heating_article.article]
    services.archive(kb.publisher, heating_article.article)
    assert suggest_articles("什么时候开始供暖") == []


def test_validity_is_checked_on_the_given_day(kb):
    kb.published(title="2025年供暖期", body_html="<p>供暖期通知。</p>", valid_from="2025-01-01", valid_to="2025-12-31")
    assert suggest_articles("供暖期", on=date(2025, 6, 1))
    assert suggest_articles("供暖期", on=date(2026, 6, 1)) == []


def test_region_filter_keeps_city_wide_and_matching_articles(kb):
    district_only = kb.published(title="铁西区供暖报修", body_html="<p>铁西区供暖报修电话。</p>", regions=[kb.district])
    assert suggest_articles("供暖报修", region="220302001")[0].article == district_only.article
    assert suggest_articles("供暖报修", region="220303") == []


def test_new_versions_replace_old_text_in_the_index(kb, heating_article):
    draft = services.create_draft(kb.heating_editor, article=heating_article.article, questions=["暖气费怎么交"])
    services.submit(kb.heating_editor, draft)
    services.publish(kb.publisher, draft)
    assert suggest_articles("暖气费怎么交")[0].version == draft


def test_answers_above_threshold_with_short_spoken_text_and_link(kb, heating_article, settings):
    settings.KNOWLEDGE_ANSWER_THRESHOLD = 0.3
    result = answer_question("什么时候开始供暖？", channel="voice")
    assert result.answered and not result.handed_over
    assert result.text.startswith("四平市城区供热期为每年10月25日至次年4月5日") and len(result.text) <= 120
    assert "<" not in result.text
    assert result.url.endswith(f"/{heating_article.article_id}/")
    assert not result.has_more
    log = AnswerLog.objects.get()
    assert log.answered and log.article_id == heating_article.article_id
    assert Article.objects.get(pk=heating_article.article_id).hits == 1


def test_below_threshold_hands_over_without_a_ticket_unless_the_caller_agrees(kb, heating_article, settings):
    settings.KNOWLEDGE_ANSWER_THRESHOLD = 0.99
    result = answer_question("我家楼下饭店油烟太大", channel="chat")
    assert not result.answered and result.handed_over and result.ticket is None
    assert "人工" in result.text and Ticket.objects.count() == 0
    result = answer_question("我家楼下饭店油烟太大，电话13812345678", channel="voice",
                             caller_agrees_to_ticket=True, phone="13812345678")
    ticket = result.ticket
    assert ticket.kind == "consultation" and ticket.requester_phone == "13812345678"
    assert ticket.number in result.text
    assert AnswerLog.objects.filter(handed_over=True, ticket_id=ticket.pk).exists()
    assert "13812345678" not in AnswerLog.objects.get(ticket_id=ticket.pk).question


def test_the_answer_log_holds_no_id_number_even_a_mistyped_one(kb, heating_article):
    answer_question("我的电话13912345678身份证220302199001011234，什么时候开始供暖", channel="public")
    question = AnswerLog.objects.get().question
    assert "220302199001011234" not in question and "13912345678" not in question
    assert question.startswith("我的电话139****5678身份证2203**********1234")


def test_the_intake_answer_log_masks_mistyped_ids_and_bank_cards(kb, heating_article):
    ticket = accept(kb.operator, {"title": "身份证220302199001011234卡6222021234567890问供暖",
                                  "content": "什么时候供暖", "kind": "consultation"})
    answer_with_article(kb.operator, ticket, heating_article.article, ticket.version)
    question = AnswerLog.objects.get(channel="intake").question
    assert "220302199001011234" not in question and "6222021234567890" not in question


def test_empty_question_and_unknown_channel_are_refused(kb):
    with pytest.raises(ValidationFailed):
        answer_question("  ", channel="voice")
    with pytest.raises(ValidationFailed):
        answer_question("供暖", channel="fax")
    assert not AnswerLog.objects.exists()


def test_operator_answers_and_closes_a_consultation_with_an_article(kb, heating_article):
    ticket = accept(kb.operator, {"title": "供暖时间", "content": "请问什么时候开始供暖", "kind": "consultation"})
    ticket = answer_with_article(kb.operator, ticket, heating_article.article, ticket.version)
    ticket.refresh_from_db()
    assert ticket.status == State.CLOSED and ticket.closing_type == ClosingType.ANSWERED
    assert ticket.answer_article_id == heating_article.article_id
    assert "供热期" in ticket.answer_text
    assert AnswerLog.objects.get(channel="intake").ticket_id == ticket.pk


def test_an_archived_article_cannot_answer(kb, heating_article):
    ticket = accept(kb.operator, {"title": "供暖时间", "content": "什么时候供暖", "kind": "consultation"})
    services.archive(kb.publisher, heating_article.article)
    with pytest.raises(ValidationFailed):
        answer_with_article(kb.operator, ticket, heating_article.article, ticket.version)
    ticket.refresh_from_db()
    assert ticket.status == State.RECEIVED


def test_feedback_is_stored(kb, heating_article):
    result = answer_question("什么时候开始供暖", channel="public")
    services.record_feedback(None, article=heating_article.article, helpful=False, answer=result.log)
    assert heating_article.article.feedback.get().helpful is False


@pytest.mark.parametrize("text, expected", [
    ("第一句。第二句。", "第一句。第二句。"),
    ("标题\n正文第一句。", "标题。正文第一句。"),
    ("长" * 200, "长" * 119 + "…"),
])
def test_spoken_text(text, expected):
    assert spoken_text(text) == expected


def test_spoken_text_keeps_chinese_punctuation_and_numbers():
    assert spoken_text("标准为每月1,056元,按月发放(到社保卡)。") == "标准为每月1,056元，按月发放（到社保卡）。"


def test_public_text_hides_mistyped_ids_and_bank_cards_but_keeps_service_lines():
    text = "身份证220302199001011234，卡6222 0212 3456 7890，手机13912345678，客服电话0434-3234567"
    assert without_personal_numbers(text) == "身份证[号码]，卡[号码]，手机[手机号]，客服电话0434-3234567"
