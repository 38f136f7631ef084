"""The knowledge base over HTTP: automatic answers for voice and chat front ends, feedback, and figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from jiesu.api.auth import AUTH, actor_of
from jiesu.api.bodies import read_json
from jiesu.api.schemas import ErrorOut, IsoDate
from jiesu.core.errors import NotFound, ValidationFailed
from jiesu.core.permissions import Perm
from jiesu.core.replica import analytics_reads
from jiesu.core.scope import require_perm
from jiesu.knowledge import figures, services
from jiesu.knowledge.answering import AnswerResult, answer_question, hand_over_after_answer
from jiesu.knowledge.models import AnswerLog

router = Router(auth=AUTH, tags=["知识库 knowledge"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}

ANSWER_EXAMPLE = {"question": "城市低保标准是多少？", "channel": "voice"}
HANDOVER_EXAMPLE = {"question": "我家楼下饭店油烟太大", "channel": "voice", "caller_agrees_to_ticket": True,
                    "phone": "13800000000"}


class ArticleRef(Schema):
    id: int
    title: str
    url: str


class AnswerOut(Schema):
    answered: bool
    text: str
    confidence: float
    article: ArticleRef | None = None
    handed_over: bool
    ticket_number: str | None = None
    answer_id: int


class FeedbackOut(Schema):
    id: int
    helpful: bool


def _body_doc(example: dict[str, Any], properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    schema = {"type": "object", "properties": properties, "required": required}
    return {"requestBody": {"content": {"application/json": {"schema": schema, "example": example}}}}


ANSWER_BODY = _body_doc(ANSWER_EXAMPLE, {
    "question": {"type": "string", "maxLength": 500, "description": "来电人或网友的问题（原话）"},
    "channel": {"type": ["string", "null"], "enum": ["voice", "chat", "public", "widget", None],
                "default": "voice", "description": "省略或 null：voice"},
    "caller_agrees_to_ticket": {"type": "boolean", "default": False,
                                "description": "答不了时，来电人同意登记工单"},
    "phone": {"type": ["string", "null"], "description": "登记工单时的联系电话"},
    "region": {"type": ["string", "null"], "description": "行政区划代码，只答适用于该区划的知识"},
}, ["question"])
FEEDBACK_BODY = _body_doc({"answer_id": 1, "helpful": True}, {
    "answer_id": {"type": "integer"}, "helpful": {"type": "boolean"},
    "comment": {"type": ["string", "null"], "maxLength": 500}}, ["answer_id", "helpful"])


def _flag(data: dict[str, Any], name: str, default: bool = False) -> bool:
    value = data.get(name, default)
    if not isinstance(value, bool):
        raise ValidationFailed(field_errors={name: ["须为 true 或 false。"]})
    return value


def _text(data: dict[str, Any], name: str, default: str = "") -> str:
    value = data.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ValidationFailed(field_errors={name: ["须为文字。"]})
    return value


def _present(request: HttpRequest, result: AnswerResult) -> dict[str, Any]:
    article = None
    if result.answered and result.article is not None and result.version is not None:
        article = {"id": result.article.pk, "title": result.version.title,
                   "url": request.build_absolute_uri(result.url)}
    return {"answered": result.answered, "text": result.text, "confidence": result.confidence,
            "article": article, "handed_over": result.handed_over,
            "ticket_number": getattr(result.ticket, "number", None),
            "answer_id": result.log.pk if result.log else 0}


@router.post("/answer", response={200: AnswerOut, **ERRORS}, summary="自动答复（语音、在线客服）",
             openapi_extra=ANSWER_BODY,
             description="置信度达到阈值时返回一段适合朗读的简短答复和知识链接；否则答复转人工，"
                         "来电人同意时（caller_agrees_to_ticket）登记一张咨询工单并返回工单编号。")
def answer(request: HttpRequest) -> dict[str, Any]:
    user = actor_of(request)
    require_perm(user, Perm.KNOWLEDGE_VIEW)
    data = read_json(request)
    if data.get("channel") == "intake":
        raise ValidationFailed(field_errors={"channel": ["话务员答复请在受理界面进行；此接口渠道须为 voice、chat、public、widget。"]})
    result = answer_question(_text(data, "question"), channel=_text(data, "channel", "voice"),
                             caller_agrees_to_ticket=_flag(data, "caller_agrees_to_ticket"),
                             phone=_text(data, "phone") or None, region=_text(data, "region") or None,
                             actor=user)
    return _present(request, result)


class HandoverOut(Schema):
    text: str
    ticket_number: str | None = None
    answer_id: int


HANDOVER_BODY = _body_doc({"answer_id": 31, "caller_agrees_to_ticket": True, "phone": "13800000000"}, {
    "answer_id": {"type": "integer"}, "caller_agrees_to_ticket": {"type": "boolean", "default": False},
    "phone": {"type": ["string", "null"]}}, ["answer_id"])


@router.post("/answer/handover", response={200: HandoverOut, **ERRORS}, summary="听完自动答复后转人工",
             openapi_extra=HANDOVER_BODY,
             description="来电人听完自动答复仍要求人工服务时调用：计入“自动答复后转人工”，来电人同意时登记工单。")
def handover(request: HttpRequest) -> dict[str, Any]:
    user = actor_of(request)
    require_perm(user, Perm.KNOWLEDGE_VIEW)
    data = read_json(request)
    result = hand_over_after_answer(_answer_log(data), caller_agrees_to_ticket=_flag(data, "caller_agrees_to_ticket"),
                                    phone=_text(data, "phone") or None, actor=user)
    return {"text": result.text, "ticket_number": getattr(result.ticket, "number", None),
            "answer_id": result.log.pk if result.log else 0}


def _answer_log(data: dict[str, Any]) -> AnswerLog:
    answer_id = data.get("answer_id")
    if isinstance(answer_id, bool) or not isinstance(answer_id, int):
        raise ValidationFailed(field_errors={"answer_id": ["须为答复记录编号（整数）。"]})
    log = AnswerLog.objects.filter(pk=answer_id).select_related("article").first()
    if log is None:
        raise NotFound("没有这条答复记录。")
    return log


@router.post("/answer/feedback", response={201: FeedbackOut, **ERRORS}, summary="答复评价（有帮助 / 没帮助）",
             openapi_extra=FEEDBACK_BODY)
def feedback(request: HttpRequest) -> Status[dict[str, Any]]:
    user = actor_of(request)
    require_perm(user, Perm.KNOWLEDGE_VIEW)
    data = read_json(request)
    log = _answer_log(data)
    if not log.answered or log.article is None:
        raise NotFound("没有这条自动答复记录（只有已答复的记录可以评价）。")
    saved = services.record_feedback(user, article=log.article, answer=log, helpful=_flag(data, "helpful"),
                                     comment=_text(data, "comment"))
    return Status(201, {"id": saved.pk, "helpful": saved.helpful})


@router.get("/knowledge/figures", response={200: dict[str, Any], **ERRORS}, summary="知识库统计")
def knowledge_figures(request: HttpRequest, start: IsoDate | None = None, end: IsoDate | None = None) -> dict[str, Any]:
    require_perm(actor_of(request), Perm.STATS_VIEW)
    if start and end and end < start:
        raise ValidationFailed(field_errors={"end": ["结束日期不能早于开始日期。"]})
    with analytics_reads():  # figures: may read from the replica (jiesu.core.replica)
        return figures.compute(start, end)
