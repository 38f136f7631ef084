"""The staff forms: 政策找人 keeps what was entered and checks ranges; the article form offers units, categories and
regions to choose from, shows the current ones when editing, and checks the conditions on the field."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from jiesu.catalog.models import Category
from jiesu.knowledge.forms import ArticleForm, BenefitForm
from jiesu.knowledge.models import ArticleVersion
from jiesu.org.models import Region
from jiesu.org.tests.factories import RegionFactory

OLD_AGE = [{"field": "age", "op": ">=", "value": 80}]
FORM = {"kind": "faq", "unit": "heating", "category": "", "title": "四平市供热期是哪天到哪天",
        "body_html": "供热期为每年10月25日至次年4月5日。", "valid_from": "2025-10-01", "valid_to": ""}


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(1))


@pytest.fixture
def street(kb) -> Region:  # type: ignore[no-untyped-def]
    return RegionFactory(code="220302001", name="北沟街道", level=Region.Level.STREET, parent=kb.district)


@pytest.fixture
def heating_category(db) -> Category:  # type: ignore[no-untyped-def]
    root = Category.objects.create(code="A", name="城乡建设")
    middle = Category.objects.create(code="A01", name="供热", parent=root)
    return Category.objects.create(code="A0101", name="暖气不热", parent=middle)


def test_the_benefit_form_offers_choices_and_keeps_what_was_entered(kb, client, street):
    kb.published(title="高龄津贴", body_html="<p>80周岁以上发放。</p>", conditions=OLD_AGE)
    client.force_login(kb.operator)
    html = client.get(reverse("knowledge:benefits"),
                      {"age": "82", "hukou_type": "rural", "is_orphan": "", "residence": street.code}).content.decode()
    assert '<label for="id_hukou_type">户籍类型</label>' in html
    assert '<option value="urban">城镇</option>' in html and '<option value="rural" selected>农村</option>' in html
    assert _selected(html, "is_orphan") == [""] and "未填写" in html
    assert 'name="age" value="82"' in html and _selected(html, "residence") == [street.code]
    assert "铁西区 / 北沟街道" in html
    assert "年龄不低于 80 岁：符合（填写 82）" in html


@pytest.mark.parametrize("field, value, problem", [
    ("age", "-3", "年龄须在 0 到 150 岁之间。"),
    ("age", "151", "年龄须在 0 到 150 岁之间。"),
    ("disability_grade", "9", "残疾等级须为 1 到 4 级（1 级最重）。"),
    ("disability_grade", "0", "残疾等级须为 1 到 4 级（1 级最重）。"),
    ("household_income_per_capita", "-1", "收入不能为负数。"),
    ("age", "八十", "请填写数字。"),
])
def test_out_of_range_facts_are_field_errors_and_nothing_is_evaluated(kb, client, field, value, problem):
    kb.published(title="高龄津贴", body_html="<p>80周岁以上发放。</p>", conditions=OLD_AGE)
    form = BenefitForm({"age": "85", field: value})
    assert not form.is_valid() and form.errors[field] == [problem]
    client.force_login(kb.operator)
    html = client.get(reverse("knowledge:benefits"), {"age": "85", field: value}).content.decode()
    assert problem in html and "高龄津贴" not in html


def test_yes_no_and_unknown_become_facts_or_stay_unknown(db):
    form = BenefitForm({"is_orphan": "1", "lives_alone": "0", "no_supporter": "", "age": "0", "hukou_type": "urban"})
    assert form.is_valid(), form.errors
    assert form.situation() == {"is_orphan": True, "lives_alone": False, "age": 0, "hukou_type": "urban"}


def test_the_benefit_page_reads_in_english(kb, client):
    client.force_login(kb.operator)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("knowledge:benefits"), {"age": "-3"}).content.decode()
    assert "Hukou type" in html and "Not filled in" in html and "Age must be between 0 and 150." in html


def test_the_article_form_offers_units_categories_and_regions(kb, client, street, heating_category):
    client.force_login(kb.heating_editor)
    html = client.get(reverse("knowledge:new")).content.decode()
    assert '<option value="heating">' in html and '<option value="civil">' in html
    assert '<option value="A0101">城乡建设 / 供热 / 暖气不热</option>' in html
    assert re.search(r'<select name="regions"[^>]*multiple', html) and "铁西区 / 北沟街道" in html
    assert '<option value="220300"' not in html  # the whole city is "none chosen"
    assert 'type="date" name="valid_from"' in html and "[{&quot;field&quot;: &quot;age&quot;" in html
    response = client.post(reverse("knowledge:new"), {**FORM, "category": "A0101",
                                                      "regions": [kb.district.code, street.code]})
    article = ArticleVersion.objects.get().article
    assert response.status_code == 302 and article.category == heating_category
    assert sorted(article.regions.values_list("code", flat=True)) == ["220302", "220302001"]


def test_the_edit_form_shows_the_current_unit_category_and_regions(kb, client, street, heating_category):
    version = kb.draft(unit=kb.heating, title="供热期", category=heating_category, regions=[street],
                       valid_from="2025-10-01")
    client.force_login(kb.heating_editor)
    html = client.get(reverse("knowledge:edit", args=[version.pk])).content.decode()
    assert _selected(html, "unit") == ["heating"] and _selected(html, "category") == ["A0101"]
    assert _selected(html, "regions") == [street.code] and 'value="2025-10-01"' in html


def test_bad_conditions_are_shown_on_their_field(kb, client):
    client.force_login(kb.heating_editor)
    bad = {**FORM, "conditions": '[{"field": "age", "op": ">=", "value": "八十"}]'}
    form = ArticleForm(bad)
    assert not form.is_valid() and form.errors["conditions"] == ["第 1 条条件：比较值“八十”不是数字。"]
    html = client.post(reverse("knowledge:new"), bad).content.decode()
    assert "第 1 条条件：比较值“八十”不是数字。" in html and not ArticleVersion.objects.exists()
    html = client.post(reverse("knowledge:new"), {**FORM, "conditions": "[{"}).content.decode()
    assert "享受条件须为 JSON 列表" in html and not ArticleVersion.objects.exists()
