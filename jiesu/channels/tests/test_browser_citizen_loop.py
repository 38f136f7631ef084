"""The citizen's side of the loop in a real browser (phone and desktop sizes): a web request confirmed by the
code sent to the mobile, accepted and answered by the centre and the unit, then tracked and rated by the
citizen; and a board message moderated on the staff page, published with its reply, the board's rates rising."""

from __future__ import annotations

import re

import pytest

from jiesu.channels.models import Board, BoardMessage
from jiesu.org.tests.factories import TEST_PASSWORD
from jiesu.tickets import services
from jiesu.tickets.models import Ticket
from jiesu.tickets.states import State
from jiesu.tickets.tests import conftest as lifecycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
city = lifecycle.city


def _code(folder) -> str:  # type: ignore[no-untyped-def]
    sent = "".join(p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file())
    return re.findall(r"验证码 (\d{6})", sent)[-1]


def _file_request(page, folder, mobile: str, *, board: str = "") -> Ticket:  # type: ignore[no-untyped-def]
    page.goto("/request/")
    if board:
        page.select_option("#board", board)
    page.fill("#title", "小区门口路灯不亮")
    page.fill("#content", "阳光新城小区南门路灯坏了一周，晚上很黑。")
    page.fill("#mobile", mobile)
    page.click("text=获取验证码")
    page.wait_for_selector("#code-sent .ok")
    page.fill("#code", _code(folder))
    page.click("text=提交诉求")
    number = page.locator(".request-number").inner_text().strip()
    return Ticket.objects.get(number=number)


def _handle(city, ticket: Ticket) -> Ticket:  # type: ignore[no-untyped-def]
    steps = (("dispatcher", "dispatch", {"lead_unit": "urban", "category": city.category.code}),
             ("urban_handler", "sign", {}), ("urban_handler", "reply", {"result": "已更换南门路灯灯头，恢复照明。"}),
             ("supervisor", "review_reply", {"decision": "approve"}))
    for who, action, data in steps:
        ticket = services.perform(getattr(city, who), ticket, action, data)
    return ticket


@pytest.mark.parametrize("width", [375, 1280])
def test_web_request_to_rating(browser_page, screenshot, city, settings, tmp_path, width):
    settings.NOTIFY_SMS_BACKEND, settings.NOTIFY_SMS_FILE_DIR = "file", tmp_path
    browser_page.set_viewport_size({"width": width, "height": 800})
    ticket = _file_request(browser_page, tmp_path, "13912340000")
    assert (ticket.channel.code, ticket.status) == ("web", State.RECEIVED)
    ticket = _handle(city, ticket)
    browser_page.goto(f"/track/?number={ticket.number}")
    browser_page.fill("#code", ticket.query_code)
    browser_page.click(".track-form button[type=submit]")
    assert "恢复照明" in browser_page.locator("body").inner_text()
    browser_page.check("input[name=resolution][value=resolved]")
    browser_page.check("input[name=satisfaction][value=satisfied]")
    browser_page.click(".track-rate button[type=submit]")
    assert "感谢您的评价" in browser_page.locator("body").inner_text()
    screenshot(f"citizen-loop-rated-{width}")
    assert Ticket.objects.get(pk=ticket.pk).status == State.VISITED


def test_board_message_moderated_published_with_reply_and_rates(browser_page, screenshot, login_as, city, settings,
                                                                 tmp_path):
    settings.NOTIFY_SMS_BACKEND, settings.NOTIFY_SMS_FILE_DIR = "file", tmp_path
    Board.objects.create(code="mayor", name="市长信箱")
    ticket = _file_request(browser_page, tmp_path, "13912340001", board="mayor")
    message = BoardMessage.objects.get(ticket=ticket)
    login_as(city.operator.username, TEST_PASSWORD)
    browser_page.goto("/board/moderate/")
    browser_page.click("button[value=publish]")
    assert "已公开" in browser_page.locator("body").inner_text()
    browser_page.context.clear_cookies()
    browser_page.goto("/board/")
    assert "小区门口路灯不亮" in browser_page.locator(".board-messages").inner_text()
    assert "0%" in browser_page.locator(".board-rates").inner_text()
    ticket = _handle(city, ticket)
    services.perform(city.visitor, ticket, "visit", {"outcome": "reached", "resolution": "resolved",
                                                     "satisfaction": "satisfied"})
    services.perform(city.visitor, ticket.number, "close", {})
    browser_page.goto(f"/board/{message.pk}/")
    assert "恢复照明" in browser_page.locator("body").inner_text()
    browser_page.goto("/board/")
    assert "100%" in browser_page.locator(".board-rates").inner_text()
    screenshot("board-rates-after-reply")
