"""Policy finds people (政策找人): eligibility conditions stored with an article version, and their evaluator.

A condition is data: ``{"field": "age", "op": ">=", "value": 80}``. An income condition may compare with a
named benefit standard instead of a number: ``{"field": "household_income_per_capita", "op": "<=",
"standard": "dibao_urban"}`` (optionally ``"factor": 1.6``). Region conditions match a region and everything
under it (``{"field": "residence", "op": "in", "value": ["220302"]}``). A field the caller's situation does
not give makes the condition unknown: the benefit is listed as 需核实, never silently dropped or promised.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

MATCHED, UNMATCHED, UNKNOWN = "matched", "unmatched", "unknown"
STATUS_LABELS = {MATCHED: "符合", UNMATCHED: "不符合", UNKNOWN: "需核实"}

NUMBER, BOOL, REGION, CHOICE = "number", "bool", "region", "choice"
FIELDS: dict[str, tuple[str, str]] = {
    "age": ("年龄", NUMBER),
    "residence": ("常住地", REGION),
    "hukou": ("户籍地", REGION),
    "hukou_type": ("户籍类型（urban 城镇 / rural 农村）", CHOICE),
    "household_income_per_capita": ("家庭月人均收入（元）", NUMBER),
    "disability_grade": ("残疾等级（1–4 级，1 级最重）", NUMBER),
    "is_orphan": ("孤儿", BOOL),
    "in_institution": ("在福利机构集中养育", BOOL),
    "lives_alone": ("独居", BOOL),
    "no_work_ability": ("无劳动能力", BOOL),
    "no_supporter": ("无法定赡养抚养扶养义务人或其无履行能力", BOOL),
}
_COMPARE = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq,
            "!=": operator.ne}
OPS_BY_TYPE = {NUMBER: set(_COMPARE), BOOL: {"==", "!="}, CHOICE: {"==", "!=", "in"}, REGION: {"in", "not_in"}}
OP_LABELS = {">=": "不低于", "<=": "不高于", ">": "高于", "<": "低于", "==": "为", "!=": "不为", "in": "属于",
             "not_in": "不属于"}


@dataclass(frozen=True)
class Evaluation:
    status: str
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def validate_conditions(conditions: Any) -> list[str]:
    """Problems with a conditions list, in Chinese; [] when it can be evaluated."""
    if conditions in (None, ""):
        return []
    if not isinstance(conditions, list):
        return ["享受条件须为列表。"]
    errors: list[str] = []
    for n, cond in enumerate(conditions, start=1):
        errors += [f"第 {n} 条条件：{e}" for e in _condition_errors(cond)]
    return errors


def _condition_errors(cond: Any) -> list[str]:
    if not isinstance(cond, dict):
        return ["须为 {field, op, value} 形式。"]
    name, op = cond.get("field"), cond.get("op")
    if name not in FIELDS:
        return [f"未知条件项“{name}”，可用：{'、'.join(FIELDS)}。"]
    kind = FIELDS[name][1]
    if op not in OPS_BY_TYPE[kind]:
        return [f"“{FIELDS[name][0]}”不支持比较方式“{op}”。"]
    if "value" not in cond and not (kind == NUMBER and cond.get("standard")):
        return ["缺少比较值（value，收入条件也可用 standard 指定保障标准）。"]
    if kind == NUMBER and "value" in cond and _number(cond["value"]) is None:
        return [f"比较值“{cond['value']}”不是数字。"]
    if kind == REGION and not isinstance(cond.get("value"), list):
        return ["区划条件的 value 须为区划代码列表。"]
    return []


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def evaluate(conditions: list[dict[str, Any]], situation: Mapping[str, Any],
             standards: Mapping[str, Decimal] | None = None) -> Evaluation:
    """Whether a caller's ``situation`` meets every condition; unknown when a needed fact is missing."""
    standards = standards or {}
    results = [_one(cond, situation, standards) for cond in conditions or []]
    reasons = [reason for _, reason in results]
    statuses = {status for status, _ in results}
    if UNMATCHED in statuses:
        return Evaluation(UNMATCHED, reasons)
    return Evaluation(UNKNOWN if UNKNOWN in statuses else MATCHED, reasons)


def _one(cond: dict[str, Any], situation: Mapping[str, Any], standards: Mapping[str, Decimal]) -> tuple[str, str]:
    name, op = cond.get("field", ""), cond.get("op", "")
    if name not in FIELDS or op not in OPS_BY_TYPE[FIELDS[name][1]]:
        return UNKNOWN, f"条件“{name} {op}”无法判断，需核实"
    label, kind = FIELDS[name]
    target, target_text = _target(cond, kind, standards)
    given = situation.get(name)
    if given in (None, "") or target is None:
        missing = f"未知“{cond.get('standard')}”标准" if target is None else f"未提供{label}"
        return UNKNOWN, f"{label}{OP_LABELS[op]}{target_text}：{missing}，需核实"
    ok = _holds(kind, op, given, target)
    if ok is None:
        return UNKNOWN, f"{label}“{given}”无法判断，需核实"
    shown = {True: "是", False: "否"}.get(given, given) if kind == BOOL else given
    return (MATCHED if ok else UNMATCHED), f"{label}{OP_LABELS[op]}{target_text}（实际：{shown}）"


def _target(cond: dict[str, Any], kind: str, standards: Mapping[str, Decimal]) -> tuple[Any, str]:
    if kind == NUMBER and cond.get("standard"):
        base = standards.get(cond["standard"])
        if base is None:
            return None, f"标准“{cond['standard']}”"
        factor = _number(cond.get("factor", 1)) or Decimal(1)
        amount = (base * factor).quantize(Decimal("0.01"))
        return amount, f"{amount.normalize():f} 元" + (f"（{factor:f} 倍保障标准）" if factor != 1 else "（保障标准）")
    value = cond.get("value")
    if kind == BOOL:
        return bool(value), "是" if value else "否"
    if kind == REGION:
        return [str(v) for v in value or []], "、".join(str(v) for v in value or [])
    return value, str(value)


def _holds(kind: str, op: str, given: Any, target: Any) -> bool | None:
    if kind == NUMBER:
        number, wanted = _number(given), _number(target)
        return None if number is None or wanted is None else _COMPARE[op](number, wanted)
    if kind == BOOL:
        if not isinstance(given, bool):
            return None
        return (given == target) if op == "==" else (given != target)
    if kind == REGION:
        inside = any(str(given).startswith(code) for code in target)
        return inside if op == "in" else not inside
    if op == "in":
        return given in (target if isinstance(target, list) else [target])
    return (given == target) if op == "==" else (given != target)


def describe(conditions: list[dict[str, Any]]) -> list[str]:
    """The conditions as readable lines (for the article page and the operator)."""
    lines = []
    for cond in conditions or []:
        label = FIELDS.get(cond.get("field", ""), (cond.get("field", ""), ""))[0]
        target = f"保障标准 {cond['standard']}" + (f" × {cond['factor']}" if cond.get("factor") else "") \
            if cond.get("standard") else cond.get("value")
        if isinstance(target, list):
            target = "、".join(map(str, target))
        if isinstance(target, bool):
            target = "是" if target else "否"
        lines.append(f"{label}{OP_LABELS.get(cond.get('op', ''), cond.get('op', ''))}{target}")
    return lines


def standards_on(region_code: str | None = None, on: Any = None) -> dict[str, Decimal]:
    """Benefit standards valid on the day: the most specific region that covers ``region_code`` wins."""
    from django.db.models import Q
    from django.utils import timezone

    from jiesu.knowledge.models import BenefitStandard

    on = on or timezone.localdate()
    rows = BenefitStandard.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)
    best: dict[str, tuple[int, Decimal]] = {}
    for code, region, amount in rows.values_list("code", "region__code", "amount"):
        if region and not (region_code or "").startswith(region):
            continue
        rank = len(region or "")
        if code not in best or rank > best[code][0]:
            best[code] = (rank, amount)
    return {code: amount for code, (_, amount) in best.items()}


def benefits_for(situation: Mapping[str, Any], on: Any = None) -> list[tuple[Any, Evaluation]]:
    """Published, valid articles with conditions the caller meets (符合) or may meet (需核实), best first."""
    from django.utils import timezone

    from jiesu.knowledge.models import Article, ArticleStatus

    on = on or timezone.localdate()
    region_code = str(situation.get("residence") or "") or None
    standards = standards_on(region_code, on)
    found = []
    articles = (Article.objects.filter(status=ArticleStatus.PUBLISHED, current__isnull=False)
                .exclude(current__conditions=[]).select_related("current", "unit"))
    for article in articles:
        version = article.current
        if version is None or not version.conditions or not version.valid_on(on):
            continue
        result = evaluate(version.conditions, situation, standards)
        if result.status != UNMATCHED:
            found.append((article, result))
    found.sort(key=lambda pair: (pair[1].status != MATCHED, str(pair[0])))
    return found
