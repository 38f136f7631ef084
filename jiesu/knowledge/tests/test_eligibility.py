"""政策找人: conditions as data, evaluated against a caller's situation and the benefit standards of the day."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import override
from hypothesis import given
from hypothesis import strategies as st

from jiesu.core.errors import ValidationFailed
from jiesu.knowledge.eligibility import benefits_for, describe, evaluate, standards_on, validate_conditions
from jiesu.knowledge.models import BenefitStandard

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
OLD_AGE = [{"field": "age", "op": ">=", "value": 80}, {"field": "hukou", "op": "in", "value": ["2203"]}]
DIBAO = [{"field": "household_income_per_capita", "op": "<=", "standard": "dibao_urban"}]
TEKUN = [{"field": "no_work_ability", "op": "==", "value": True},
         {"field": "household_income_per_capita", "op": "<=", "standard": "dibao_urban", "factor": 1.6}]


def test_every_condition_must_hold():
    assert evaluate(OLD_AGE, {"age": 85, "hukou": "220302"}).status == "matched"
    result = evaluate(OLD_AGE, {"age": 79, "hukou": "220302"})
    assert result.status == "unmatched" and "年龄不低于 80 岁：不符合（填写 79）" in result.reasons


def test_a_missing_fact_is_unknown_never_dropped_or_promised():
    result = evaluate(OLD_AGE, {"age": 85})
    assert result.status == "unknown" and result.label == "需核实"
    assert "户籍地属于2203：未填写，需核实" in result.reasons
    assert evaluate(OLD_AGE, {"age": 70}).status == "unmatched"


def test_income_is_compared_with_the_named_standard_and_its_factor():
    standards = {"dibao_urban": Decimal("710")}
    assert evaluate(DIBAO, {"household_income_per_capita": "710"}, standards).status == "matched"
    assert evaluate(DIBAO, {"household_income_per_capita": 711}, standards).status == "unmatched"
    tekun = evaluate(TEKUN, {"household_income_per_capita": 1100, "no_work_ability": True}, standards)
    assert tekun.status == "matched" and "1136 元（1.6 倍保障标准）" in tekun.reasons[1]
    assert evaluate(DIBAO, {"household_income_per_capita": 100}, {}).status == "unknown"


def test_region_conditions_cover_everything_below():
    cond = [{"field": "residence", "op": "in", "value": ["220382"]}]
    assert evaluate(cond, {"residence": "220382005001"}).status == "matched"
    assert evaluate(cond, {"residence": "220302"}).status == "unmatched"


@pytest.mark.parametrize("conditions, problem", [
    ("age>=80", "须为列表"),
    ([{"field": "salary", "op": ">=", "value": 1}], "未知条件项“salary”"),
    ([{"field": "age", "op": "in", "value": [1]}], "不支持比较方式“in”"),
    ([{"field": "age", "op": ">="}], "缺少比较值"),
    ([{"field": "age", "op": ">=", "value": "八十"}], "不是数字"),
    ([{"field": "residence", "op": "in", "value": "220302"}], "区划代码列表"),
])
def test_bad_conditions_are_explained(conditions, problem):
    assert problem in " ".join(validate_conditions(conditions))


@given(st.integers(min_value=0, max_value=130))
def test_age_threshold_is_exact(age):
    assert (evaluate(OLD_AGE[:1], {"age": age}).status == "matched") == (age >= 80)


def test_describe_reads_aloud():
    assert describe(OLD_AGE) == ["年龄不低于80", "户籍地属于2203"]
    assert describe(TEKUN)[1] == "家庭月人均收入不高于保障标准 dibao_urban × 1.6"


@pytest.mark.django_db
def test_the_most_specific_standard_valid_on_the_day_wins(kb):
    BenefitStandard.objects.create(code="dibao_urban", name="低保", amount=680, valid_from=date(2024, 1, 1),
                                   valid_to=date(2024, 12, 31))
    BenefitStandard.objects.create(code="dibao_urban", name="低保", amount=710, valid_from=date(2025, 1, 1))
    BenefitStandard.objects.create(code="dibao_urban", name="低保（铁西）", amount=720, region=kb.district,
                                   valid_from=date(2025, 1, 1))
    assert standards_on(None, date(2024, 6, 1)) == {"dibao_urban": Decimal("680")}
    assert standards_on("220303", date(2025, 6, 1)) == {"dibao_urban": Decimal("710")}
    assert standards_on("220302001", date(2025, 6, 1)) == {"dibao_urban": Decimal("720")}


@pytest.mark.django_db
def test_conditions_are_edited_with_the_article_and_checked(kb):
    with pytest.raises(ValidationFailed) as caught:
        kb.draft(conditions=[{"field": "age", "op": ">=", "value": "x"}])
    assert "conditions" in caught.value.field_errors


@pytest.mark.django_db
def test_benefits_lists_matched_and_unknown_but_not_unmatched(kb, client):
    BenefitStandard.objects.create(code="dibao_urban", name="低保", amount=710, valid_from=date(2025, 1, 1))
    kb.published(title="高龄津贴", body_html="<p>80周岁以上发放高龄津贴。</p>", conditions=OLD_AGE)
    kb.published(title="城市低保", body_html="<p>低保标准710元。</p>", conditions=DIBAO)
    kb.published(title="没有条件的问答", body_html="<p>无条件。</p>")
    found = {str(article): ev.status for article, ev in benefits_for({"age": 85, "hukou": "220302"})}
    assert found == {"高龄津贴": "matched", "城市低保": "unknown"}
    found = {str(article) for article, _ in benefits_for({"age": 60, "household_income_per_capita": 500})}
    assert found == {"城市低保"}
    client.force_login(kb.operator)
    html = client.get(reverse("knowledge:benefits"), {"age": "85", "hukou": "220302"}).content.decode()
    assert "高龄津贴" in html and "符合" in html and "需核实" in html


@pytest.mark.parametrize("condition, situation, reason", [
    ({"field": "is_orphan", "op": "==", "value": True}, {}, "是否孤儿：未填写，需核实"),
    ({"field": "no_work_ability", "op": "==", "value": True}, {"no_work_ability": True}, "是否无劳动能力：符合（填写 是）"),
    ({"field": "lives_alone", "op": "==", "value": True}, {"lives_alone": False}, "是否独居：不符合（填写 否）"),
    ({"field": "lives_alone", "op": "==", "value": False}, {"lives_alone": False}, "是否独居（须为“否”）：符合（填写 否）"),
    ({"field": "age", "op": ">=", "value": 80}, {"age": 82}, "年龄不低于 80 岁：符合（填写 82）"),
    ({"field": "disability_grade", "op": "<=", "value": 2}, {"disability_grade": 3}, "残疾等级不高于 2 级：不符合（填写 3）"),
    ({"field": "hukou_type", "op": "==", "value": "urban"}, {"hukou_type": "rural"}, "户籍类型为城镇：不符合（填写 农村）"),
    ({"field": "hukou_type", "op": "in", "value": ["urban", "rural"]}, {}, "户籍类型属于城镇、农村：未填写，需核实"),
])
def test_reasons_read_as_chinese_per_kind_of_fact(condition, situation, reason):
    assert evaluate([condition], situation).reasons == [reason]


def test_region_reasons_name_the_regions_when_names_are_given():
    cond = [{"field": "residence", "op": "in", "value": ["220382"]}]
    names = {"220382": "双辽市", "220382005": "红旗街道"}
    assert evaluate(cond, {"residence": "220382005"}, names=names).reasons == ["常住地属于双辽市：符合（填写 红旗街道）"]
    assert evaluate(cond, {"residence": "220382005"}).status == "matched"  # names never change the outcome


def test_reasons_for_a_standard_that_is_not_set_say_so():
    assert evaluate(DIBAO, {"household_income_per_capita": 100}, {}).reasons == [
        "家庭月人均收入不高于 保障标准“dibao_urban”：缺少该保障标准，需核实"]


def test_reasons_are_english_in_english():
    with override("en"):
        result = evaluate(OLD_AGE, {"age": 82})
        assert result.label == "To be verified"
    assert not any(CJK.search(reason) for reason in result.reasons), result.reasons


def test_condition_problems_are_english_in_english():
    with override("en"):
        problems = validate_conditions([{"field": "age", "op": ">=", "value": "八十"}, {"field": "age"}])
    assert problems[1] == "Condition 2: “Age” cannot be compared with “None”."
    assert not CJK.search(problems[1])
