"""Every role's desk in a real browser (issue 16): keys (j/k, Enter, one key per action, ?), the focus after htmx
swaps, live counts with a notice and the tab title, a selection dispatched at once, the handler at 375 px, and
screenshots of each desk at 1366×768 and of the unit desk and the ticket page at 375 px."""

from __future__ import annotations

import contextlib
import io

import pytest
from playwright.sync_api import Error as PlaywrightError

from jiesu.demo.runner import run_demo
from jiesu.org.models import User
from jiesu.tickets import services
from jiesu.tickets.models import Ticket
from jiesu.tickets.states import State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CALL = {"title": "铁西区供热管道漏水", "kind": "complaint", "channel": "phone", "category": "010101",
        "content": "铁西区阳光新城小区楼道供热管道漏水，地面结冰。", "region": "220302001001",
        "address": "阳光新城小区5号楼", "requester_name": "孙女士", "requester_phone": "13843445678"}


@pytest.fixture
def demo_city(browser_page):  # type: ignore[no-untyped-def]
    run_demo(io.StringIO())


FOCUSED = "document.activeElement && (document.activeElement.id || document.activeElement.className)"


def _focused_id(page, expected: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """What has the focus; with ``expected``, after waiting for it (desks.js moves the focus once the swapped
    content has settled, which on a loaded machine comes after the swap itself)."""
    if expected is not None:
        with contextlib.suppress(PlaywrightError):  # the assertion after reports what has the focus instead
            page.wait_for_function(f"({FOCUSED}) === {expected!r}", timeout=5_000)
    return str(page.evaluate(FOCUSED))


@pytest.mark.parametrize("user,desk", [("dispatcher", "dispatch"), ("handler-heating", "unit"),
                                       ("supervisor", "supervision"), ("visitor", "followup"),
                                       ("adjudicator", "adjudication"), ("analyst", "overview")])
def test_each_desk_at_1366(browser_page, demo_city, login_as, screenshot, user, desk):
    page = browser_page
    login_as(user)
    page.goto(f"/desk/{desk}/")
    page.wait_for_selector("#queue-tabs")
    assert page.locator(".queue-tab.current").count() == 1
    if page.locator("#queue-list tbody tr").count():
        page.wait_for_selector("tr.row-current")  # the first row is current, ready for Enter
    screenshot(f"desk-1366-{desk}")
    page.keyboard.press("?")
    assert page.locator("#keys-help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#keys-help").is_visible()


def test_the_handler_works_from_the_keyboard(browser_page, demo_city, login_as, screenshot):
    page = browser_page
    dispatcher = User.objects.get(username="dispatcher")
    ticket = services.accept(User.objects.get(username="operator"), CALL)
    services.dispatch(dispatcher, ticket, lead_unit="heating")
    login_as("handler-heating")
    page.goto("/desk/unit/?queue=to_sign")
    page.wait_for_selector("tr.row-current")
    rows = page.locator("#queue-list tbody tr")
    target = next(i for i in range(rows.count()) if rows.nth(i).get_attribute("data-number") == ticket.number)
    for _ in range(target):
        page.keyboard.press("j")
    assert page.get_attribute("tr.row-current", "data-number") == ticket.number
    page.keyboard.press("Enter")
    page.wait_for_selector("#ticket-body")
    assert _focused_id(page, "btn btn-primary") == "btn btn-primary"  # the sign form is ready: its button has the focus
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success:has-text('已签收')")
    page.keyboard.press("r")
    assert _focused_id(page, "reply-result") == "reply-result"
    page.keyboard.type("已派维修人员更换漏水管段，现场地面冰已清理。")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".alert-success:has-text('已答复')")
    assert Ticket.objects.get(pk=ticket.pk).status == State.REPLIED


def test_the_queue_lives_without_reload(browser_page, demo_city, login_as):
    page = browser_page
    login_as("handler-heating")
    page.goto("/desk/unit/")
    page.wait_for_selector("#queue-tabs")
    before = int(page.get_attribute(".queue-tab[data-queue='to_sign']", "data-count"))
    page.evaluate("window.__sameDocument = true")
    ticket = services.accept(User.objects.get(username="operator"), CALL)
    services.dispatch(User.objects.get(username="dispatcher"), ticket, lead_unit="heating")
    page.locator("#queue-tabs").evaluate("el => htmx.ajax('GET', el.getAttribute('hx-get'), "
                                         "{target: '#queue-tabs', swap: 'outerHTML'})")
    page.wait_for_selector(f".queue-tab[data-queue='to_sign'][data-count='{before + 1}']")
    page.wait_for_selector(f"#queue-list tr[data-number='{ticket.number}']")
    assert page.locator("#live-notice").is_visible() and "新到 1 件" in page.inner_text("#live-notice")
    assert page.title().startswith(f"({before + 1}) ")
    assert page.evaluate("window.__sameDocument === true")


def test_a_selection_is_dispatched_from_the_desk(browser_page, demo_city, login_as, screenshot):
    page = browser_page
    operator = User.objects.get(username="operator")
    numbers = []
    for n in range(3):
        ticket = services.accept(operator, {**CALL, "title": f"{CALL['title']}（{n + 1}）"})
        services.perform(operator, ticket, "handover", {})
        numbers.append(ticket.number)
    login_as("dispatcher")
    page.goto("/desk/dispatch/?queue=dispatching&q=供热管道漏水")
    page.wait_for_selector("tr.row-current")
    page.on("dialog", lambda dialog: dialog.accept())
    for _ in numbers:
        page.keyboard.press("x")
        page.keyboard.press("j")
    page.wait_for_selector("[data-bulk-submit]:not([disabled])")
    page.keyboard.press("Shift+D")
    page.wait_for_selector("#bulk-result")
    screenshot("desk-1366-dispatch-selection")
    assert page.locator("#bulk-result li.ok").count() == 3
    assert all(t.status == State.ASSIGNED for t in Ticket.objects.filter(number__in=numbers))


def test_the_handler_on_a_phone(browser_page, demo_city, login_as, screenshot):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 740})
    ticket = services.accept(User.objects.get(username="operator"), CALL)
    services.dispatch(User.objects.get(username="dispatcher"), ticket, lead_unit="heating")
    login_as("handler-heating")
    page.goto("/desk/unit/")
    page.wait_for_selector("#queue-list")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing runs off the side
    screenshot("phone-375-unit-desk")
    page.goto(f"/tickets/{ticket.number}/")
    wide = page.evaluate("() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect()"
                         ".right > 380).map(e => e.tagName + '.' + e.className).slice(0, 5)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, wide
    page.click("#action-sign button[type=submit]")
    page.wait_for_selector(".alert-success:has-text('已签收')")
    screenshot("phone-375-ticket")
    assert page.locator("#attach-form").is_visible()
