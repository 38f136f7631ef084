"""The figures pages: the dashboard for 统计查看 (analyst, supervisor), each unit's page for its handlers and
for the centre, the tickets behind a figure; filters in the URL; scope as everywhere."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from jiesu.org.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
DASHBOARD = "/figures/"


@pytest.fixture
def analyst(city):  # type: ignore[no-untyped-def]
    return UserFactory(username="ana", role="analyst", unit=city.centre, scope="city")


def page(client, user, url: str, status: int = 200) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode() if status == 200 else ""


def links(html: str, pattern: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html) if re.search(pattern, unescape(h))]


def test_the_analyst_sees_the_city_figures_against_last_period(client, analyst, history):
    html = page(client, analyst, f"{DASHBOARD}?period=month&on=2026-03")
    assert "2026年3月" in html and "全市" in html
    for label in ("受理量", "办结率", "按时办结率", "响应率", "满意率", "解决率", "退单率", "超期件数", "接通率"):
        assert label in html
    assert re.search(r'data-figure="accepted".*?<a href="[^"]*">2</a>', html, re.S)  # two tickets, a link
    assert "上期" in html and "+2" in html  # February had none
    assert 'data-chart="trend"' in html and 'id="fig-trend"' in html and "vendor/echarts.min.js" in html
    assert {"供热公司", "城管局"} <= set(re.findall(r'data-unit="[^"]+"><th scope="row"><a [^>]*>([^<]+)<', html))


def test_every_numerator_and_denominator_links_to_its_tickets(client, analyst, city, history):
    html = page(client, analyst, f"{DASHBOARD}?period=month&on=2026-03")
    total = [u for u in links(html, r"figure=accepted.*part=denominator") if "group_by" not in u]
    assert total and all(u.startswith("/figures/tickets/?") for u in total)
    listed = page(client, analyst, total[0])
    assert all(t.number in listed for t in history) and "计入 2 项" in listed
    heating = city.heating.pk
    numerator = [u for u in links(html, r"figure=sign_timely.*group_by=unit.*part=numerator") if f"key={heating}&" in u]
    listed = page(client, analyst, numerator[0])
    assert history[0].number in listed and history[1].number not in listed and "计入 1 项" in listed


def test_filters_in_the_url_change_the_period(client, analyst, history):
    february = page(client, analyst, f"{DASHBOARD}?period=month&on=2026-02")
    assert "2026年2月" in february and "本期没有单位数据" in february
    week = page(client, analyst, f"{DASHBOARD}?period=week&on=2026-03-04")
    assert "2026-03-02 至 2026-03-08" in week and "供热公司" in week
    days = page(client, analyst, f"{DASHBOARD}?period=range&from=2026-03-01&to=2026-03-02")
    assert "2026-03-01 至 2026-03-02" in days
    assert 'href="?period=range&amp;from=2026-02-27&amp;to=2026-02-28"' in days  # the period before, a link
    bad = page(client, analyst, f"{DASHBOARD}?period=month&on=2026-13-01")
    assert "无效" in bad and "2026年3月" in bad  # said on the page, this month shown


def test_the_unit_table_sorts_by_the_column_in_the_url(client, analyst, city, history):
    services_sign_late(city)
    rows = lambda html: re.findall(r'data-unit="([^"]+)"', html)  # noqa: E731
    assert rows(page(client, analyst, f"{DASHBOARD}?period=month&on=2026-03&sort=-assigned"))[0] == "heating"
    assert rows(page(client, analyst, f"{DASHBOARD}?period=month&on=2026-03&sort=sign_timely"))[0] == "heating"
    assert rows(page(client, analyst, f"{DASHBOARD}?period=month&on=2026-03&sort=-sign_timely"))[0] == "urban"


def services_sign_late(city):  # type: ignore[no-untyped-def]
    """A third ticket for the heating company, signed after its sign-for deadline."""
    from datetime import timedelta

    from jiesu.core import clock
    from jiesu.tickets import services
    from jiesu.tickets.sweep import sweep

    late = services.accept(city.operator, city.ticket_data(title="暖气漏水"))
    services.dispatch(city.dispatcher, late.number, lead_unit="heating")
    later = clock.now() + timedelta(days=3)
    sweep(later)
    with clock.at(later):
        services.sign(city.heating_handler, late.number)


def test_the_supervisor_sees_the_dashboard_and_a_handler_does_not(client, city, history):
    assert "统计分析" in page(client, city.supervisor, DASHBOARD)
    page(client, city.heating_handler, DASHBOARD, 403)


def test_a_handler_sees_their_own_unit_and_the_city_totals_only(client, city, history):
    client.force_login(city.heating_handler)
    response = client.get("/figures/unit/?period=month&on=2026-03")
    assert response.status_code == 302 and response["Location"].startswith("/figures/units/heating/?")
    html = page(client, city.heating_handler, response["Location"])
    assert "供热公司" in html and "本单位与全市" in html and "城管局" not in html
    row = re.search(r'data-figure="assigned">(.*?)</tr>', html, re.S).group(1)  # type: ignore[union-attr]
    assert re.findall(r"<td>\s*(?:<a [^>]*>)?(\d+)", row) == ["1", "2"]  # own 1, the city 2
    assert [u for u in links(row, "figure=assigned") if "unit=heating" not in u] == []  # no city ticket list
    page(client, city.heating_handler, "/figures/units/urban/", 404)
    page(client, city.heating_handler, "/figures/tickets/?figure=assigned&from=2026-03&unit=urban", 404)
    mine = page(client, city.heating_handler, "/figures/tickets/?figure=assigned&from=2026-03-01&to=2026-03-31")
    assert history[0].number in mine and history[1].number not in mine


def test_the_centre_opens_any_units_page(client, analyst, history):
    html = page(client, analyst, "/figures/units/urban/?period=month&on=2026-03")
    assert "城管局" in html and "回到统计分析" in html
    page(client, analyst, "/figures/units/nowhere/", 404)


def test_the_analyst_lands_on_the_dashboard_and_the_navigation_shows_the_pages(client, analyst, city):
    response = client.post(reverse("web:login"), {"username": "ana", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    assert 'href="/figures/"' in page(client, analyst, reverse("web:home"))
    handler_home = page(client, city.heating_handler, reverse("web:home"))
    assert 'href="/figures/unit/"' in handler_home and 'href="/figures/"' not in handler_home
    response = client.post(reverse("web:login"), {"username": "h-heat", "password": TEST_PASSWORD})
    assert response["Location"] == reverse("web:home")


def test_bad_figure_links_are_not_found_not_errors(client, analyst, history):
    page(client, analyst, "/figures/tickets/?figure=nonsense", 404)
    page(client, analyst, "/figures/tickets/?figure=assigned&part=both", 404)
    page(client, analyst, "/figures/tickets/?figure=assigned&group_by=weather&key=1", 404)
    assert "无效" in page(client, analyst, "/figures/tickets/?figure=assigned&from=2026-99-01")
    page(client, analyst, "/figures/tickets/?figure=assigned&group_by=unit&key=abc", 404)
    page(client, analyst, "/figures/tickets/?figure=assigned&group_by=day&key=2026-02-30", 404)
    assert "超出范围" in page(client, analyst, "/figures/?period=day&on=9999-12-31")
    assert "超出范围" in page(client, analyst, "/figures/?period=month&on=0001-01")
    page(client, analyst, "/figures/circular/?month=9999-12", 400)


def test_the_ranking_shows_on_the_dashboard_and_the_units_own_line_on_its_page(client, analyst, city, history):
    html = page(client, analyst, f"{DASHBOARD}?period=month&on=2026-03")
    assert 'id="ranking"' in html and "公共服务企业" in html and "实时计算" in html
    assert "未排名" in html  # too few assignments this month: listed, not ranked
    own = page(client, city.heating_handler, "/figures/units/heating/?period=month&on=2026-03")
    assert "月度排名" in own and "公共服务企业" in own and "本月未排名" in own
    assert 'id="ranking"' not in own  # no other unit's line


def test_ranked_units_with_their_lists_and_a_units_own_rank(client, analyst):
    from datetime import date

    from jiesu.evaluation.tests.test_scoring import good
    from jiesu.org.tests.factories import UnitFactory

    units = [UnitFactory(name=f"局{n}", code=f"ju{n}") for n in range(7)]
    for n, unit in enumerate(units):
        good(unit, date(2026, 2, 9), satisfied=10 - n)  # scores fall from 局0 to 局6
    html = page(client, analyst, f"{DASHBOARD}?period=month&on=2026-02")
    ranked = re.findall(r'data-unit="(ju\d)">\s*<td>(\d+)</td>', html)
    assert ranked[:3] == [("ju0", "1"), ("ju1", "2"), ("ju2", "3")] and len(ranked) == 7
    assert html.count("tag-ok") >= 3 and html.count("tag-urgent") >= 3  # 红榜 and 黑榜
    handler = UserFactory(username="h-ju0", role="handler", unit=units[0])
    own = page(client, handler, "/figures/units/ju0/?period=month&on=2026-02")
    assert "第 1 名" in own and "共 7 个单位参加排名" in own and "红榜" in own and "局1" not in own


def test_a_page_reads_its_figures_of_one_moment_refreshing_once(city, history):
    from jiesu.evaluation import queries
    from jiesu.evaluation.periods import parse_month
    from jiesu.tickets import services

    scope, march = queries.FigureScope(None, viewer_city_wide=True), parse_month("2026-03")
    accepted = lambda: queries.compute(scope, march, codes=["accepted"]).total["accepted"].denominator  # noqa: E731
    with queries.one_refresh():
        assert accepted() == 2
        services.accept(city.operator, city.ticket_data(title="又一件"))
        assert accepted() == 2  # the page's second table is of the same moment as its first
    assert accepted() == 3  # the next page sees it


def test_the_pages_follow_the_language_switch(client, analyst, history):
    client.force_login(analyst)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"{DASHBOARD}?period=month&on=2026-03").content.decode()
    assert "Headline figures" in html and "By day" in html and "By category" in html and "Figures by unit" in html
    assert "每日走势" not in html and "各单位指标" not in html


def test_a_province_sees_the_first_units_and_a_link_to_all(client, analyst, monkeypatch):
    from datetime import date

    from jiesu.evaluation import pages as figure_pages
    from jiesu.evaluation.tests.test_scoring import good
    from jiesu.org.tests.factories import UnitFactory

    monkeypatch.setattr(figure_pages, "UNIT_ROWS", 3)
    monkeypatch.setattr(figure_pages, "RANKED_ROWS", 2)
    units = [UnitFactory(name=f"局{n}", code=f"ju{n}") for n in range(9)]
    for n, unit in enumerate(units):
        good(unit, date(2026, 2, 9), satisfied=10 - n)
    html = page(client, analyst, f"{DASHBOARD}?period=month&on=2026-02&sort=-satisfaction_rate")
    table = html[html.index('id="units"'):]
    assert re.findall(r'data-unit="(ju\d)"><th', table) == ["ju0", "ju1", "ju2"] and "9 个单位" in table
    everything = links(table, r"units=all")
    assert everything and "sort=-satisfaction_rate" in everything[0]
    assert len(re.findall(r'data-unit="ju\d"><th', page(client, analyst, DASHBOARD + everything[0]))) == 9
    ranking = html[html.index('id="ranking"'):html.index('id="units"')]
    shown = re.findall(r'data-unit="(ju\d)">\s*<td>', ranking)
    assert shown == ["ju0", "ju1", "ju6", "ju7", "ju8"] and "另有 4 个已排名单位" in ranking  # the best, the black list
