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
