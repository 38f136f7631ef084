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

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MATCHED, UNMATCHED, UNKNOWN = "matched", "unmatched", "unknown"
STATUS_LABELS = {MATCHED: gettext_lazy("符合"), UNMATCHED: gettext_lazy("不符合"), UNKNOWN: gettext_lazy("需核实")}

NUMBER, BOOL, REGION, CHOICE = "number", "bool", "region", "choice"
FIELDS: dict[str, tuple[str | Promise, str]] = {
    "age": (gettext_lazy("年龄"), NUMBER),
    "residence": (gettext_lazy("常住地"), REGION),
    "hukou": (gettext_lazy("户籍地"), REGION),
    "hukou_type": (gettext_lazy("户籍类型"), CHOICE),
    "household_income_per_capita": (gettext_lazy("家庭月人均收入"), NUMBER),
    "disability_grade": (gettext_lazy("残疾等级"), NUMBER),
    "is_orphan": (gettext_lazy("是否孤儿"), BOOL),
    "in_institution": (gettext_lazy("是否在福利机构集中养育"), BOOL),
    "lives_alone": (gettext_lazy("是否独居"), BOOL),
    "no_work_ability": (gettext_lazy("是否无劳动能力"), BOOL),
    "no_supporter": (gettext_lazy("是否无法定赡养抚养扶养义务人或其无履行能力"), BOOL),
}
CHOICES: dict[str, dict[str, str | Promise]] = {"hukou_type": {"urban": gettext_lazy("城镇"), "rural": gettext_lazy("农村")}}
_COMPARE = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq,
            "!=": operator.ne}
OPS_BY_TYPE = {NUMBER: set(_COMPARE), BOOL: {"==", "!="}, CHOICE: {"==", "!=", "in"}, REGION: {"in", "not_in"}}
OP_LABELS = {">=": gettext_lazy("不低于"), "<=": gettext_lazy("不高于"), ">": gettext_lazy("高于"),
             "<": gettext_lazy("低于"), "==": gettext_lazy("为"), "!=": gettext_lazy("不为"), "in": gettext_lazy("属于"),
             "not_in": gettext_lazy("不属于")}


@dataclass(frozen=True)
class Evaluation:
    status: str
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


def validate_conditions(conditions: Any) -> list[str]:
    """Problems with a conditions list, in Chinese; [] when it can be evaluated."""
    if conditions in (None, ""):
        return []
    if not isinstance(conditions, list):
        return [_("享受条件须为列表。")]
    errors: list[str] = []
    for n, cond in enumerate(conditions, start=1):
        errors += [_("第 %(n)s 条条件：%(problem)s") % {"n": n, "problem": e} for e in _condition_errors(cond)]
    return errors


def _condition_errors(cond: Any) -> list[str]:
    if not isinstance(cond, dict):
        return [_("须为 {field, op, value} 形式。")]
    name, op = cond.get("field"), cond.get("op")
    if name not in FIELDS:
        return [_("未知条件项“%(field)s”，可用：%(known)s。") % {"field": name, "known": _joined(list(FIELDS))}]
    kind = FIELDS[name][1]
    if op not in OPS_BY_TYPE[kind]:
        return [_("“%(field)s”不支持比较方式“%(op)s”。") % {"field": FIELDS[name][0], "op": op}]
    if "value" not in cond and not (kind == NUMBER and cond.get("standard")):
        return [_("缺少比较值（value，收入条件也可用 standard 指定保障标准）。")]
    if kind == NUMBER and "value" in cond and _number(cond["value"]) is None:
        return [_("比较值“%(value)s”不是数字。") % {"value": cond["value"]}]
    if kind == REGION and not isinstance(cond.get("value"), list):
        return [_("区划条件的 value 须为区划代码列表。")]
    return []


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def evaluate(conditions: list[dict[str, Any]], situation: Mapping[str, Any],
             standards: Mapping[str, Decimal] | None = None, names: Mapping[str, str] | None = None) -> Evaluation:
    """Whether a caller's ``situation`` meets every condition; unknown when a needed fact is missing.

    ``names`` (region code → name) only makes the reasons readable; it never changes the outcome."""
    standards = standards or {}
    results = [_one(cond, situation, standards, names or {}) for cond in conditions or []]
    reasons = [reason for _status, reason in results]
    statuses = {status for status, _reason in results}
    if UNMATCHED in statuses:
        return Evaluation(UNMATCHED, reasons)
    return Evaluation(UNKNOWN if UNKNOWN in statuses else MATCHED, reasons)


def _one(cond: dict[str, Any], situation: Mapping[str, Any], standards: Mapping[str, Decimal],
         names: Mapping[str, str]) -> tuple[str, str]:
    name, op = cond.get("field", ""), cond.get("op", "")
    if name not in FIELDS or op not in OPS_BY_TYPE[FIELDS[name][1]]:
        return UNKNOWN, _("条件“%(field)s %(op)s”无法判断，需核实") % {"field": name, "op": op}
    kind = FIELDS[name][1]
    target, target_text = _target(cond, kind, standards, name, names)
    wanted = _condition_text(name, kind, op, target, target_text)
    given = situation.get(name)
    if target is None:
        return UNKNOWN, _("%(condition)s：缺少该保障标准，需核实") % {"condition": wanted}
    if given in (None, ""):
        return UNKNOWN, _("%(condition)s：未填写，需核实") % {"condition": wanted}
    ok = _holds(kind, op, given, target)
    shown = _shown(name, kind, given, names)
    if ok is None:
        return UNKNOWN, _("%(condition)s：填写的“%(given)s”无法判断，需核实") % {"condition": wanted, "given": shown}
    verdict = STATUS_LABELS[MATCHED if ok else UNMATCHED]
    text = _("%(condition)s：%(verdict)s（填写 %(given)s）") % {"condition": wanted, "verdict": verdict, "given": shown}
    return (MATCHED if ok else UNMATCHED), text


def _condition_text(name: str, kind: str, op: str, target: Any, target_text: str) -> str:
    """The condition as staff read it: 年龄不低于 80 岁, 是否孤儿, 户籍类型为城镇, 户籍地属于四平市."""
    label = FIELDS[name][0]
    if kind == BOOL:
        if (op == "==") == bool(target):
            return str(label)
        return _("%(field)s（须为“否”）") % {"field": label}
    if kind == NUMBER:
        return _("%(field)s%(op)s %(value)s") % {"field": label, "op": OP_LABELS[op], "value": target_text}
    return _("%(field)s%(op)s%(value)s") % {"field": label, "op": OP_LABELS[op], "value": target_text}


def _shown(name: str, kind: str, given: Any, names: Mapping[str, str]) -> str:
    """A value the caller gave, as written back to staff: 是/否, 城镇, a region's name, or the number."""
    if kind == BOOL and isinstance(given, bool):
        return _("是") if given else _("否")
    if kind == CHOICE:
        return str(CHOICES.get(name, {}).get(str(given), given))
    if kind == REGION:
        return names.get(str(given), str(given))
    return str(given)


def _with_unit(name: str, amount: Any) -> str:
    units = {"age": _("%(n)s 岁"), "household_income_per_capita": _("%(n)s 元"), "disability_grade": _("%(n)s 级")}
    return units.get(name, "%(n)s") % {"n": amount}


def _joined(items: list[str]) -> str:
    return _("、").join(items)


def _target(cond: dict[str, Any], kind: str, standards: Mapping[str, Decimal], name: str = "",
            names: Mapping[str, str] | None = None) -> tuple[Any, str]:
    if kind == NUMBER and cond.get("standard"):
        base = standards.get(cond["standard"])
        if base is None:
            return None, _("保障标准“%(code)s”") % {"code": cond["standard"]}
        factor = _number(cond.get("factor", 1)) or Decimal(1)
        amount = (base * factor).quantize(Decimal("0.01"))
        if factor == 1:
            return amount, _("%(amount)s 元（保障标准）") % {"amount": f"{amount.normalize():f}"}
        return amount, _("%(amount)s 元（%(factor)s 倍保障标准）") % {"amount": f"{amount.normalize():f}",
                                                                  "factor": f"{factor:f}"}
    value = cond.get("value")
    if kind == BOOL:
        return bool(value), _("是") if value else _("否")
    if kind == REGION:
        codes = [str(v) for v in value or []]
        return codes, _joined([(names or {}).get(code, code) for code in codes])
    if kind == CHOICE:
        values = value if isinstance(value, list) else [value]
        return value, _joined([str(CHOICES.get(name, {}).get(str(v), v)) for v in values])
    return value, _with_unit(name, value)


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
    return {code: amount for code, (_rank, amount) in best.items()}


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
    versions = [(article, article.current) for article in articles]
    names = region_names(situation, [v.conditions for _article, v in versions if v is not None])
    for article, version in versions:
        if version is None or not version.conditions or not version.valid_on(on):
            continue
        result = evaluate(version.conditions, situation, standards, names)
        if result.status != UNMATCHED:
            found.append((article, result))
    found.sort(key=lambda pair: (pair[1].status != MATCHED, str(pair[0])))
    return found


def region_names(situation: Mapping[str, Any], condition_lists: list[list[dict[str, Any]]]) -> dict[str, str]:
    """Region code → name for the regions a situation and some conditions mention ("2203" is read as 220300)."""
    from jiesu.org.models import Region

    codes = {str(situation.get(name) or "") for name, (_label, kind) in FIELDS.items() if kind == REGION}
    for conditions in condition_lists:
        codes |= {str(code) for cond in conditions or [] if FIELDS.get(cond.get("field", ""), ("", ""))[1] == REGION
                  for code in cond.get("value") or []}
    codes.discard("")
    padded = {code.ljust(6, "0") if len(code) < 6 else code: code for code in codes}
    return {padded[code]: name for code, name in Region.objects.filter(code__in=padded).values_list("code", "name")}
