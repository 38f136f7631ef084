"""The query page in a real browser on a phone-sized screen: track a replied ticket and rate it once."""

from __future__ import annotations

import pytest

from jiesu.tickets.models import Ticket
from jiesu.tickets.states import State
from jiesu.tickets.tests import conftest as lifecycle
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
city = lifecycle.city


@pytest.mark.parametrize("width", [375, 1280])
def test_a_citizen_tracks_and_rates_on_a_phone_and_a_desktop(browser_page, screenshot, city, width):
    ticket = ticket_in_state(city, State.VISITING)
    browser_page.set_viewport_size({"width": width, "height": 800})
    browser_page.goto(f"/track/?number={ticket.number}")
    assert browser_page.input_value("#number") == ticket.number
    browser_page.fill("#code", ticket.query_code)
    browser_page.click(".track-form button[type=submit]")
    body = browser_page.locator("body").inner_text()
    assert "已答复，等待您的评价或回访" in body and "已派至 供热公司 办理" in body
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= width  # nothing runs off the screen
    screenshot(f"track-{width}")
    browser_page.check("input[name=resolution][value=resolved]")
    browser_page.check("input[name=satisfaction][value=satisfied]")
    browser_page.click(".track-rate button[type=submit]")
    assert "感谢您的评价" in browser_page.locator("body").inner_text()
    assert browser_page.locator(".track-rate").count() == 0  # rated once
    screenshot(f"track-rated-{width}")
    assert Ticket.objects.get(pk=ticket.pk).status == State.VISITED


def test_a_citizen_files_a_request_on_a_phone_with_the_code_sent_to_the_mobile(browser_page, screenshot, city,
                                                                               settings, tmp_path):
    import re

    settings.NOTIFY_SMS_BACKEND, settings.NOTIFY_SMS_FILE_DIR = "file", tmp_path  # the code as the phone gets it

    browser_page.set_viewport_size({"width": 375, "height": 800})
    browser_page.goto("/request/")
    browser_page.select_option("#kind", "help")
    browser_page.fill("#title", "楼道灯坏了")
    browser_page.fill("#content", "阳光新城小区3号楼2单元楼道灯坏了两周。")
    browser_page.select_option("#district", city.district.code)
    browser_page.fill("#address", "阳光新城小区3号楼")
    browser_page.fill("#mobile", "13912345678")
    browser_page.click("text=获取验证码")
    browser_page.wait_for_selector("#code-sent .ok")
    sent = "".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*") if p.is_file())
    code = re.search(r"验证码 (\d{6})", sent).group(1)
    browser_page.fill("#code", code)
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("request-form-375")
    browser_page.click("text=提交诉求")
    ticket = Ticket.objects.get(channel__code="web")
    assert ticket.number in browser_page.locator(".request-number").inner_text()
    screenshot("request-done-375")
