"""The figures pages in Chromium on the demo city (issue 11): the analyst lands on the dashboard, its charts are
drawn, a numerator opens the tickets behind it, a unit row opens the unit's page; a handler opens their own
unit's page and cannot open another's. Screenshots at 1366×768 under test-results/screenshots/."""

from __future__ import annotations

import io

import pytest

from jiesu.demo.runner import run_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city(browser_page):  # type: ignore[no-untyped-def]
    run_demo(io.StringIO())


def charts_drawn(page) -> int:  # type: ignore[no-untyped-def]
    page.wait_for_selector("[data-chart] canvas")
    return int(page.locator("[data-chart] canvas").count())


def test_the_analyst_walks_the_dashboard(browser_page, demo_city, login_as, screenshot):
    page = browser_page
    login_as("analyst")
    assert page.url.endswith("/figures/")  # the analyst's landing page
    page.click("a[rel=prev]")  # last month: the demo's history began in it
    page.wait_for_url("**/figures/?*period=month*")
    assert charts_drawn(page) >= 3  # the trend, by category, by region
    assert page.locator(".fig-card").count() == 10
    assert page.locator("#units tbody tr").count() > 1
    screenshot("figures-dashboard-1366")
    page.select_option("#fig-period", "range")
    assert page.locator("input[name=from]").is_visible() and not page.locator("input[name=on]").is_visible()
    page.fill("input[name=from]", "2026-02-15")
    page.fill("input[name=to]", "2026-03-04")
    page.click(".fig-filters button[type=submit]")
    page.wait_for_url("**period=range*from=2026-02-15*")
    assert "2026-02-15 至 2026-03-04" in page.locator("h1").inner_text()
    screenshot("figures-dashboard-range-1366")
    overdue = page.locator(".fig-card[data-figure=accepted] .fig-card-value a")
    total = int(overdue.inner_text())
    overdue.click()
    page.wait_for_url("**/figures/tickets/?*figure=accepted*")
    assert page.locator("table tbody tr").count() == min(total, 30)
    page.go_back()
    first_unit = page.locator("#units tbody tr th a").first
    name = first_unit.inner_text()
    first_unit.click()
    page.wait_for_url("**/figures/units/**")
    assert name in page.locator("h1").inner_text()
    assert charts_drawn(page) >= 1
    screenshot("figures-unit-as-analyst-1366")


def test_a_handler_sees_their_own_unit(browser_page, demo_city, login_as, screenshot, live_server):
    page = browser_page
    login_as("handler-heating")
    page.click("nav a:has-text('本单位指标')")
    page.wait_for_url("**/figures/units/heating/**")
    assert "四平市供热公司" in page.locator("h1").inner_text()
    page.click("a[rel=prev]")  # last month, when the demo's tickets came in
    page.wait_for_url("**/figures/units/heating/?*period=month*")
    assert page.locator(".fig-compare tbody tr").count() == 8
    assert page.locator("#rank").is_visible() and not page.locator("#ranking").count()
    assert charts_drawn(page) >= 1
    screenshot("figures-unit-handler-1366")
    assert page.goto("/figures/units/water/").status == 404
    assert page.goto("/figures/").status == 403


def test_the_analyst_opens_the_calls_behind_a_lines_answer_rate(browser_page, demo_city, login_as, screenshot):
    page = browser_page
    login_as("analyst")
    lines = page.locator("section.fig-breakdown", has_text="话务（按线路）")
    assert lines.locator("tbody tr").count() >= 2  # 12345 and its merged sub-lines
    lines.scroll_into_view_if_needed()
    screenshot("figures-calls-by-line-1366")
    answered = lines.locator("a[href*='figure=call_answer_rate'][href*='part=numerator']").first
    count = int(answered.inner_text())
    answered.click()
    page.wait_for_url("**/figures/calls/?*figure=call_answer_rate*group_by=channel*")
    assert page.locator("table tbody tr").count() == min(count, 30)
    assert "****" in page.locator("table tbody tr td").nth(2).inner_text()  # the caller, masked
    screenshot("figures-calls-1366")
