"""The leader message board: posting through the web form, moderation (masked, held with a reason, private ones
never published), the public list and message with its reply after closing, and each board's rates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiesu.channels import board
from jiesu.channels.models import Board, BoardMessage
from jiesu.channels.tests.test_web_request import request_data, sent_code
from jiesu.core.errors import ActionNotAllowed, PermissionDeniedError, ValidationFailed
from jiesu.core.models import Event
from jiesu.tickets import services
from jiesu.tickets.tests import conftest as lifecycle

pytestmark = pytest.mark.django_db
city = lifecycle.city
fixed_clock = lifecycle.fixed_clock
S = BoardMessage.State


@pytest.fixture
def mayor(db):  # type: ignore[no-untyped-def]
    return Board.objects.create(code="mayor", name="市长信箱")


def posted(client, **extra):  # type: ignore[no-untyped-def]
    mobile = f"1390000{BoardMessage.objects.count():04d}"  # one code a minute per mobile
    client.post(reverse("channels_request:code"), {"mobile": mobile})
    response = client.post(reverse("channels_request:form"),
                           request_data(code=sent_code(), board="mayor", mobile=mobile, **extra))
    assert response.status_code == 200, response.content.decode()[:500]
    return BoardMessage.objects.latest("id")


def test_a_board_message_is_a_ticket_on_the_board_channel_waiting_for_moderation(client, city, mayor):
    message = posted(client, content="我家电话13900001111，小区门口垃圾三天没人清运。")
    assert message.ticket.channel.code == "board" and message.state == S.PENDING
    assert "13900001111" not in message.public_content and "垃圾" in message.public_content
    assert client.get(reverse("board:list")).content.decode().count(message.public_title) == 0


def test_moderation_publishes_holds_with_a_reason_and_never_publishes_private_ones(client, city, mayor):
    shown, rude, secret = posted(client), posted(client), posted(client, private="1")
    assert secret.state == S.PRIVATE
    board.moderate(city.supervisor, shown.pk, {"decision": "publish", "title": "小区垃圾清运不及时"})
    with pytest.raises(ValidationFailed):
        board.moderate(city.supervisor, rude.pk, {"decision": "hold"})
    board.moderate(city.supervisor, rude.pk, {"decision": "hold", "reason": "含辱骂内容"})
    with pytest.raises(ActionNotAllowed):
        board.moderate(city.supervisor, secret.pk, {"decision": "publish"})
    with pytest.raises(PermissionDeniedError):
        board.moderate(city.heating_handler, rude.pk, {"decision": "publish"})
    assert [m.pk for m in board.published()] == [shown.pk]
    assert Event.objects.filter(subject_type="board_message", action="moderate").count() == 2
    page = client.get(reverse("board:list")).content.decode()
    assert "小区垃圾清运不及时" in page
    assert client.get(reverse("board:message", args=[rude.pk])).status_code == 404


def test_the_reply_is_published_when_closed_and_the_rates_follow(client, city, mayor):
    shown = posted(client)
    board.moderate(city.supervisor, shown.pk, {"decision": "publish"})
    assert board.rates(mayor).published == 1 and board.rates(mayor).replied == 0
    ticket = shown.ticket
    for who, action, data in (("dispatcher", "dispatch", {"lead_unit": "urban", "category": city.category.code}),
                              ("urban_handler", "sign", {}),
                              ("urban_handler", "reply", {"result": "已安排环卫车每日清运。"}),
                              ("supervisor", "review_reply", {"decision": "approve"})):
        ticket = services.perform(getattr(city, who), ticket, action, data)
    detail = client.get(reverse("board:message", args=[shown.pk])).content.decode()
    assert "正在办理" in detail and "每日清运" not in detail
    services.perform(city.visitor, ticket, "visit", {"outcome": "reached", "resolution": "resolved",
                                                     "satisfaction": "satisfied"})
    services.perform(city.visitor, ticket.number, "close", {})
    assert "已安排环卫车每日清运" in client.get(reverse("board:message", args=[shown.pk])).content.decode()
    rates = board.rates(mayor)
    assert (rates.published, rates.replied, rates.closed, rates.reply_rate, rates.closing_rate) == (1, 1, 1, 1, 1)
    assert "100%" in client.get(reverse("board:list")).content.decode()


def test_the_list_searches_and_filters(client, city, mayor):
    one, two = posted(client, title="路灯不亮"), posted(client, title="井盖缺失")
    for m in (one, two):
        board.moderate(city.supervisor, m.pk, {"decision": "publish"})
    page = client.get(reverse("board:list"), {"q": "井盖"}).content.decode()
    assert "井盖缺失" in page and "路灯不亮" not in page
    assert "没有符合条件" in client.get(reverse("board:list"), {"board": "other"}).content.decode()


def test_the_moderation_page_is_for_moderators(client, city, mayor):
    message = posted(client)
    client.force_login(city.heating_handler)
    assert client.get(reverse("board:moderation")).status_code == 403
    client.force_login(city.operator)
    assert message.public_title in client.get(reverse("board:moderation")).content.decode()
    response = client.post(reverse("board:moderate", args=[message.pk]), {"decision": "publish"})
    assert response.status_code == 200 and BoardMessage.objects.get(pk=message.pk).state == S.PUBLISHED


def test_the_list_and_its_rates_cost_the_same_queries_for_more_messages(client, city, mayor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("board:list")).status_code == 200
        return len(captured)

    for _ in range(2):
        board.moderate(city.supervisor, posted(client).pk, {"decision": "publish"})
    few = queries()
    for _ in range(3):
        board.moderate(city.supervisor, posted(client).pk, {"decision": "publish"})
    assert queries() == few and board.rates(mayor).published == 5
