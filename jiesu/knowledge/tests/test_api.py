"""POST /api/v1/answer (threshold, hand-over, ticket on agreement), feedback, and the figures endpoint."""

from __future__ import annotations

import pytest
from django.test import Client

from jiesu.api.tokens import create_token
from jiesu.knowledge.models import AnswerLog, Feedback
from jiesu.knowledge.tests.test_answering import HEATING
from jiesu.tickets.models import Ticket


@pytest.fixture
def heating_article(kb):
    return kb.published(unit=kb.heating, **HEATING)


def _client(user) -> tuple[Client, dict[str, str]]:
    _, raw = create_token(user, name="test")
    return Client(), {"Authorization": f"Bearer {raw}"}


def _post(user, path: str, body) -> object:
    client, headers = _client(user)
    return client.post(f"/api/v1{path}", body, content_type="application/json", headers=headers)


def test_answers_above_the_threshold_with_spoken_text_and_link(kb, heating_article, settings):
    settings.KNOWLEDGE_ANSWER_THRESHOLD = 0.3
    response = _post(kb.operator, "/answer", {"question": "请问什么时候开始供暖？", "channel": "voice"})
    assert response.status_code == 200
    body = response.json()
    assert body["answered"] is True and body["handed_over"] is False and body["ticket_number"] is None
    assert body["text"].startswith("四平市城区供热期为每年10月25日至次年4月5日")
    assert body["article"]["id"] == heating_article.article_id
    assert body["article"]["url"].startswith("http") and body["article"]["url"].endswith(
        f"/ask/{heating_article.article_id}/")
    assert AnswerLog.objects.get(pk=body["answer_id"]).channel == "voice"


def test_below_the_threshold_hands_over_and_creates_a_ticket_only_when_the_caller_agrees(
        kb, heating_article, settings):
    settings.KNOWLEDGE_ANSWER_THRESHOLD = 0.99
    body = _post(kb.operator, "/answer", {"question": "楼下饭店油烟太大", "channel": "chat"}).json()
    assert body["answered"] is False and body["handed_over"] is True and body["article"] is None
    assert "人工" in body["text"] and not Ticket.objects.exists()
    body = _post(kb.operator, "/answer", {"question": "楼下饭店油烟太大", "channel": "voice",
                                          "caller_agrees_to_ticket": True, "phone": "13800000000"}).json()
    ticket = Ticket.objects.get(number=body["ticket_number"])
    assert ticket.kind == "consultation" and ticket.requester_phone == "13800000000"
    assert ticket.number in body["text"]


@pytest.mark.parametrize("body, field", [
    ({"question": ""}, "question"),
    ({"question": "供暖", "channel": "fax"}, "channel"),
    ({"question": "供暖", "caller_agrees_to_ticket": "yes"}, "caller_agrees_to_ticket"),
    ({"question": 5}, "question"),
    ({"question": "供暖", "channel": "intake"}, "channel"),
])
def test_bad_input_is_a_400_in_chinese_and_changes_nothing(kb, body, field):
    response = _post(kb.operator, "/answer", body)
    assert response.status_code == 400
    assert field in response.json()["field_errors"]
    assert not AnswerLog.objects.exists()


def test_answer_needs_authentication(kb):
    response = Client().post("/api/v1/answer", {"question": "供暖"}, content_type="application/json")
    assert response.status_code == 401


def test_feedback_is_stored_for_an_answer(kb, heating_article, settings):
    settings.KNOWLEDGE_ANSWER_THRESHOLD = 0.3
    answer = _post(kb.operator, "/answer", {"question": "什么时候开始供暖"}).json()
    response = _post(kb.operator, "/answer/feedback", {"answer_id": answer["answer_id"], "helpful": False,
                                                       "comment": "想知道农村"})
    assert response.status_code == 201
    feedback = Feedback.objects.get()
    assert not feedback.helpful and feedback.article_id == heating_article.article_id
    assert _post(kb.operator, "/answer/feedback", {"answer_id": 999999, "helpful": True}).status_code == 404
    assert _post(kb.operator, "/answer/feedback", {"answer_id": "x", "helpful": True}).status_code == 400
    assert Feedback.objects.count() == 1


def test_figures_for_supervisors_only(kb, heating_article, settings):
    settings.KNOWLEDGE_ANSWER_THRESHOLD = 0.3
    _post(kb.operator, "/answer", {"question": "什么时候开始供暖"})
    settings.KNOWLEDGE_ANSWER_THRESHOLD = 0.99
    _post(kb.operator, "/answer", {"question": "油烟扰民", "caller_agrees_to_ticket": True})
    client, headers = _client(kb.publisher)
    body = client.get("/api/v1/knowledge/figures", headers=headers).json()
    assert body["automatic"] == {"asked": 2, "answered": 1, "handed_over": 1, "answered_then_handed_over": 0,
                                 "tickets": 1}
    assert body["articles"][0]["article_id"] == heating_article.article_id
    client, headers = _client(kb.operator)
    assert client.get("/api/v1/knowledge/figures", headers=headers).status_code == 403


def test_a_caller_can_still_ask_for_a_person_after_an_automatic_answer(kb, heating_article, settings):
    settings.KNOWLEDGE_ANSWER_THRESHOLD = 0.3
    answer = _post(kb.operator, "/answer", {"question": "什么时候开始供暖"}).json()
    response = _post(kb.operator, "/answer/handover", {"answer_id": answer["answer_id"],
                                                       "caller_agrees_to_ticket": True, "phone": "13800000000"})
    body = response.json()
    assert response.status_code == 200 and body["ticket_number"] in body["text"]
    log = AnswerLog.objects.get(pk=answer["answer_id"])
    assert log.answered and log.handed_over and log.ticket_id == Ticket.objects.get().pk
    again = _post(kb.operator, "/answer/handover", {"answer_id": answer["answer_id"]})
    assert again.status_code == 409 and Ticket.objects.count() == 1
    client, headers = _client(kb.publisher)
    figures = client.get("/api/v1/knowledge/figures", headers=headers).json()["automatic"]
    assert figures["answered_then_handed_over"] == 1 and figures["handed_over"] == 0 and figures["tickets"] == 1
