"""Smart intake over HTTP: one call returns everything the system proposes for a draft ticket."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from jiesu.api.auth import AUTH, actor_of
from jiesu.api.schemas import errors
from jiesu.intelligence.suggest import suggest_for_draft

router = Router(auth=AUTH, tags=["智能受理 suggest"])


class DraftIn(Schema):
    title: str = Field("", max_length=200)
    content: str = Field("", max_length=20000)
    kind: str = Field("", max_length=20)
    category: str = Field("", max_length=32, description="诉求分类代码")
    region: str = Field("", max_length=12, description="行政区划代码")
    address: str = Field("", max_length=200)
    requester_phone: str = Field("", max_length=40)
    channel: str = Field("", max_length=40)
    urgency: str = Field("", max_length=10)
    exclude_ticket: str = Field("", max_length=24, description="正在编辑的工单编号（不作为并单候选）")


class PlaceOut(Schema):
    code: str
    name: str
    level: int
    path: list[str]
    matched: list[str]
    matched_text: str
    ambiguous: bool
    alternatives: list[str]


class CategoryOut(Schema):
    code: str
    name: str
    probability: float | None
    source: str


class UnitOut(Schema):
    unit_id: int
    unit_code: str
    unit_name: str
    source: str
    reason: str
    score: float
    co_units: list[str]


class MergeOut(Schema):
    number: str
    title: str
    state: str
    created_at: datetime
    region: str
    score: float
    reason: str
    similarity: float
    same_place: bool


class SimilarOut(Schema):
    kind: str
    ref: str
    title: str
    snippet: str
    score: float


class HistoryOut(Schema):
    number: str
    title: str
    state: str
    created_at: datetime


class SuggestionsOut(Schema):
    place: PlaceOut | None
    categories: list[CategoryOut]
    units: list[UnitOut]
    learned_available: bool
    merge_candidates: list[MergeOut]
    similar_cases: list[SimilarOut]
    requester_history: list[HistoryOut]


@router.post("/suggest", response={200: SuggestionsOut, **errors(400, 403)}, summary="受理建议：区划、分类、承办单位、并单候选、相似案例",
             description="按草稿工单（均可省略）返回：从地址和内容识别的区划；分类与承办单位建议（派单目录规则"
                         "及本市训练的模型，注明来源）；可并单的在办工单及理由；相似的历史答复和知识；同一来电"
                         "号码的历史工单。只返回调用者有权查看的工单。需要受理权限。")
def suggest(request: HttpRequest, body: DraftIn) -> dict[str, Any]:
    return asdict(suggest_for_draft(actor_of(request), body.dict()))
