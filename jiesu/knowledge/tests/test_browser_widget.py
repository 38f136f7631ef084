"""The citizens' 问答 widget in a real browser: ask, get the article, rate it; no personal data on public pages."""

from __future__ import annotations

import pytest

from jiesu.knowledge.models import AnswerLog, Feedback
from jiesu.knowledge.tests.test_answering import HEATING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def articles(kb, settings):
    settings.KNOWLEDGE_ANSWER_THRESHOLD = 0.55
    heating = kb.published(unit=kb.heating, **HEATING)
    dibao = kb.published(title="城市低保标准是多少", questions=["低保每月多少钱"], keywords=["低保"],
                         body_html="<p>四平市城市低保标准为每人每月710元。</p>"
                                   "<p>申请人张先生（电话13912345678，身份证号220302199001011236）的申请已办结。</p>",
                         source_document="四平市民政局（演示内容）")
    return heating, dibao


def test_the_widget_answers_with_the_article_and_takes_feedback(browser_page, articles, screenshot):
    page = browser_page
    page.goto("/ask/widget/")
    screenshot("kb-widget-empty")
    page.fill("#q", "请问今年什么时候开始供暖？")
    page.click("button:has-text('提问')")
    answer = page.locator("[data-testid=answer]")
    answer.wait_for()
    assert "四平市供热期是哪天到哪天" in answer.inner_text()
    assert "10月25日" in answer.inner_text()
    screenshot("kb-widget-answer")
    link = answer.locator("h2 a")
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("href").endswith(f"/ask/{articles[0].article_id}/")
    page.click("button:has-text('有帮助')")
    page.locator(".kb-thanks").wait_for()
    screenshot("kb-widget-thanks")
    assert Feedback.objects.get().helpful is True
    page.click("text=继续提问")
    page.locator("#q").wait_for()


def test_the_widget_hands_over_when_it_cannot_answer(browser_page, articles, screenshot):
    page = browser_page
    page.goto("/ask/widget/")
    page.fill("#q", "我家楼下饭店油烟太大，我电话13812345678")
    page.click("button:has-text('提问')")
    handover = page.locator("[data-testid=handover]")
    handover.wait_for()
    assert "12345" in handover.inner_text()
    screenshot("kb-widget-handover")
    assert "13812345678" not in page.url  # the widget posts: no phone numbers in URLs and access logs
    assert "13812345678" not in AnswerLog.objects.get().question


def test_public_pages_show_no_personal_data(browser_page, articles, screenshot):
    page = browser_page
    page.goto("/ask/")
    page.fill("#q", "低保每月多少钱")
    page.click("button:has-text('提问')")
    page.locator("[data-testid=answer]").wait_for()
    screenshot("kb-ask-answer")
    assert page.url.endswith("/ask/")  # posted: the question is in neither the URL nor the browser history
    page.goto(f"/ask/{articles[1].article_id}/")
    screenshot("kb-public-article")
    text = page.locator("body").inner_text()
    assert "710元" in text
    for secret in ("13912345678", "220302199001011236"):
        assert secret not in text


def test_the_ask_page_keeps_personal_numbers_out_of_urls_and_the_answer_log(browser_page, articles):
    page = browser_page
    page.goto("/ask/")
    page.fill("#q", "我的电话13912345678身份证220302199001011234，楼下饭店油烟太大")
    page.click("button:has-text('提问')")
    page.locator("[data-testid=handover]").wait_for()
    assert page.url.endswith("/ask/")
    question = AnswerLog.objects.get().question
    assert "13912345678" not in question and "220302199001011234" not in question


def test_staff_search_figures_and_review_pages_with_the_demo_city(browser_page, login_as, screenshot):
    import io

    from jiesu.demo.runner import run_demo

    run_demo(io.StringIO())
    page = browser_page
    login_as("supervisor")
    page.goto("/kb/?q=低保标准")
    assert page.locator("mark").count() > 0
    assert "四平市城市最低生活保障标准是多少" in page.locator("table").inner_text()
    screenshot("kb-staff-search")
    page.goto("/kb/figures/")
    body = page.locator("main").inner_text()
    assert "自动答复" in body and "四平市供热期是哪天到哪天" in body
    screenshot("kb-staff-figures")
    page.goto("/kb/review/")
    assert "高龄津贴怎么申领" in page.locator("main").inner_text()
    screenshot("kb-staff-review")
