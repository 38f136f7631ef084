"""A desk in a real browser: switching queues and turning pages swap the list in place (no page load), the
address bar follows, and the browser's back button returns to the queue before."""

from __future__ import annotations

import io

import pytest

from jiesu.demo.runner import run_demo
from jiesu.org.models import User
from jiesu.tickets import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CALL = {"title": "仁兴街道路灯不亮", "kind": "complaint", "channel": "phone", "category": "010101",
        "content": "仁兴街道幸福路路灯连续三晚不亮，夜里行人看不清路。", "region": "220302001",
        "requester_name": "钱先生", "requester_phone": "13843440000"}


@pytest.fixture
def waiting_for_dispatch(browser_page):  # type: ignore[no-untyped-def]
    """The demo city and 25 more calls handed over for dispatch: more than one page of the dispatch queue."""
    run_demo(io.StringIO())
    operator = User.objects.get(username="operator")
    for n in range(25):
        ticket = services.accept(operator, {**CALL, "title": f"{CALL['title']}（{n + 1}）"})
        services.perform(operator, ticket, "handover", {})


def _mark_the_page(page) -> None:  # type: ignore[no-untyped-def]
    page.evaluate("window.__sameDocument = true")


def _same_document(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("window.__sameDocument === true"))


def test_queues_and_pages_swap_in_place(browser_page, waiting_for_dispatch, login_as, screenshot):
    page = browser_page
    login_as("dispatcher")
    page.goto("/desk/dispatch/")
    first_queue = page.get_attribute(".queue-tab.current", "data-queue")
    _mark_the_page(page)
    page.click(".pager a >> text=下一页")
    page.wait_for_url("**page=2**")
    page.wait_for_selector(".pager >> text=第 2 /")
    assert _same_document(page)

    other = page.locator(f".queue-tab:not([data-queue='{first_queue}'])").first
    other_queue = other.get_attribute("data-queue")
    other.click()
    page.wait_for_url(f"**queue={other_queue}**")
    page.wait_for_selector(f".queue-tab.current[data-queue='{other_queue}']")
    assert _same_document(page)
    assert page.locator(".queue-tab.current").count() == 1
    screenshot("desk-dispatch-other-queue")

    page.go_back()
    page.wait_for_selector(f".queue-tab.current[data-queue='{first_queue}']")
    assert "page=2" in page.url
