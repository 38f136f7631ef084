"""The catalog over HTTP: categories, channels, the dispatch catalog, time limits, and unit suggestions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from jiesu.api.auth import AUTH
from jiesu.api.schemas import IsoDate, errors
from jiesu.catalog import queries
from jiesu.catalog.models import Category, Clock, DispatchRule, TimeLimit
from jiesu.core.errors import ValidationFailed
from jiesu.core.permissions import Perm
from jiesu.core.scope import require_perm
from jiesu.org.models import Region, Unit

router = Router(auth=AUTH, tags=["派单目录 catalog"])
ERRORS = errors(400, 403)


class CodedOut(Schema):
    code: str
    name: str


class CategoryNode(Schema):
    id: int
    code: str
    name: str
    level: int
    children: list[CategoryNode] = []


CategoryNode.model_rebuild()


class ChannelOut(Schema):
    code: str
    name: str
    parent: str | None
    is_public: bool


class RuleOut(Schema):
    id: int
    rule_key: str
    version: int
    category: CodedOut | None
    region: CodedOut | None
    lead_unit: CodedOut
    co_units: list[CodedOut]
    priority: int
    legal_basis: str
    source: str
    valid_from: date
    valid_to: date | None


class LimitOut(Schema):
    id: int
    limit_key: str
    version: int
    clock: str
    kind: str
    category: CodedOut | None
    urgency: str
    amount: int
    unit: str
    warning_share: float
    valid_from: date
    valid_to: date | None
    label: str


class SuggestIn(Schema):
    category: str | None = None
    region: str | None = None
    at: IsoDate | None = None


class SuggestionOut(Schema):
    unit: CodedOut
    co_units: list[CodedOut]
    rule_id: int | None
    rule_key: str | None
    rule_version: int | None
    source: str
    score: float
    reason: str


class RuleFilters(Schema):
    category: str | None = None
    region: str | None = None
    unit: str | None = None
    at: IsoDate | None = None


def _coded(obj: Any) -> dict[str, str] | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def _by_code(model: Any, code: str | None, field: str, label: str) -> Any:
    if not code:
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        raise ValidationFailed(f"找不到{label}“{code}”。", field_errors={field: [f"找不到{label}“{code}”。"]})
    return found


def _rule_out(rule: DispatchRule) -> dict[str, Any]:
    return {"id": rule.pk, "rule_key": rule.rule_key, "version": rule.version, "category": _coded(rule.category),
            "region": _coded(rule.region), "lead_unit": _coded(rule.lead_unit),
            "co_units": [_coded(u) for u in rule.co_units.all()], "priority": rule.priority,
            "legal_basis": rule.legal_basis, "source": rule.source, "valid_from": rule.valid_from,
            "valid_to": rule.valid_to}


def _limit_out(limit: TimeLimit) -> dict[str, Any]:
    return {"id": limit.pk, "limit_key": limit.limit_key, "version": limit.version, "clock": limit.clock,
            "kind": limit.kind, "category": _coded(limit.category), "urgency": limit.urgency,
            "amount": limit.amount, "unit": limit.unit, "warning_share": float(limit.warning_share),
            "valid_from": limit.valid_from, "valid_to": limit.valid_to, "label": str(limit)}


@router.get("/categories", response={200: list[CategoryNode]}, summary="诉求分类树")
def categories(request: HttpRequest) -> list[dict[str, Any]]:
    return queries.categories_tree()


@router.get("/channels", response={200: list[ChannelOut]}, summary="受理渠道")
def channels(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"code": c.code, "name": c.name, "parent": c.parent.code if c.parent else None,
             "is_public": c.is_public} for c in queries.active_channels()]


@router.get("/dispatch-rules", response={200: list[RuleOut], **ERRORS}, summary="派单目录（当前有效规则）")
def dispatch_rules(request: HttpRequest, filters: Query[RuleFilters]) -> list[dict[str, Any]]:
    require_perm(request.user, Perm.UNIT_VIEW)
    rows = queries.current_rules(category=_by_code(Category, filters.category, "category", "诉求分类"),
                                 region=_by_code(Region, filters.region, "region", "行政区划"),
                                 unit=_by_code(Unit, filters.unit, "unit", "单位"), at=filters.at)
    return [_rule_out(rule) for rule in rows]


@router.get("/time-limits", response={200: list[LimitOut], **ERRORS}, summary="办理时限（当前有效）")
def time_limits(request: HttpRequest, clock: str = "", at: IsoDate | None = None) -> list[dict[str, Any]]:
    require_perm(request.user, Perm.UNIT_VIEW)
    if clock and clock not in Clock.values:
        raise ValidationFailed(f"未知环节“{clock}”。", field_errors={"clock": [f"可选：{'、'.join(Clock.values)}。"]})
    return [_limit_out(limit) for limit in queries.current_limits(clock=clock, at=at)]


@router.post("/dispatch-rules/suggest", response={200: list[SuggestionOut], **ERRORS}, summary="按分类和区划推荐承办单位",
             description="返回派单目录中匹配的候选主办单位（最具体的规则在前），每个单位一条，附命中的规则和依据。")
def suggest(request: HttpRequest, body: SuggestIn) -> list[dict[str, Any]]:
    require_perm(request.user, Perm.UNIT_VIEW)
    category = _by_code(Category, body.category, "category", "诉求分类")
    region = _by_code(Region, body.region, "region", "行政区划")
    return [{"unit": _coded(s.unit), "co_units": [_coded(u) for u in s.co_units],
             "rule_id": s.rule.pk if s.rule else None, "rule_key": s.rule.rule_key if s.rule else None,
             "rule_version": s.rule.version if s.rule else None, "source": s.source, "score": s.score,
             "reason": s.reason} for s in queries.suggest_units(category=category, region=region, at=body.at)]
