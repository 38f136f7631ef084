"""The hot-issue pages in Chromium on the demo city (issue 13): the analyst opens 热点问题 from the navigation,
sees the week's warning and the districts' bars, filters by a district, opens an issue (its trend drawn) and one
of its tickets; the supervisor finds the warning on the home page. Screenshots at 1366×768 under
test-results/screenshots/."""

from __future__ import annotations

import pytest

from jiesu.evaluation.tests.test_browser_dashboard import charts_drawn, demo_city  # noqa: F401  (demo_city: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo_city")]


def test_the_analyst_walks_the_hot_issues(browser_page, login_as, screenshot):  # type: ignore[no-untyped-def]
    page = browser_page
    login_as("analyst")
    page.click("nav a:has-text('热点问题')")
    page.wait_for_url("**/hot/")
    assert charts_drawn(page) == 1  # the districts' bars
    assert page.locator("#warnings li").count() >= 1
    rows = page.locator("#issues tbody tr").count()
    assert rows > 3
    screenshot("hot-list-analyst-1366")
    page.click("#regions .hot-areas a:has-text('铁西区')")
    page.wait_for_url("**/hot/?area=220302*")
    assert "铁西区" in page.locator("h1").inner_text()
    assert 0 < page.locator("#issues tbody tr").count() <= rows
    page.select_option("select[name=days]", "7")
    page.click(".fig-filters button[type=submit]")
    page.wait_for_url("**days=7*")
    assert page.locator("select[name=area]").input_value() == "220302"
    page.click("#warnings li a")
    page.wait_for_url("**/hot/*/")
    assert charts_drawn(page) == 1  # the daily trend
    assert page.locator("#warnings li").count() >= 1 and page.locator("#members tbody tr").count() >= 5
    screenshot("hot-issue-analyst-1366")
    number = page.locator("#members tbody tr td.mono a").first.inner_text()
    page.locator("#members tbody tr td.mono a").first.click()
    page.wait_for_url(f"**/tickets/{number}/")


def test_the_supervisor_sees_the_warning_on_the_home_page(browser_page, login_as,  # type: ignore[no-untyped-def]
                                                          screenshot):
    page = browser_page
    login_as("supervisor")
    warning = page.locator("#warnings li a").first
    assert "阳光新城小区" in warning.inner_text()
    screenshot("hot-home-supervisor-1366")
    warning.click()
    page.wait_for_url("**/hot/*/")
    assert charts_drawn(page) == 1
    screenshot("hot-issue-supervisor-1366")
    login_as("handler-heating")
    assert page.goto("/hot/").status == 403
