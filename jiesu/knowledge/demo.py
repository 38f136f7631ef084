"""Demo step: Siping's knowledge base — articles written from the facts in domain.md, benefit standards, and
a month of automatic answers with feedback so the figures page has numbers (idempotent).

Articles are keyed by ``external_key`` ("demo-…") and their source line, shown to citizens, says
"（演示内容，非真实政策）" — never a developer's file name. The reply template (kind ``reply``) is published for
operators at intake; being staff-only, it is never shown on the public pages. Each goes through the
real workflow (draft → submitted → published) as the owning unit's handler (or the supervisor for units
without one) and the centre's supervisor; "stale" ones are published 14 months back, so they show up for
review. Answer logs are written once: if the first demo question is already logged, they are skipped.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from jiesu.core import clock
from jiesu.knowledge import services
from jiesu.knowledge.answering import answer_question, hand_over_after_answer
from jiesu.knowledge.models import AnswerLog, Article, BenefitStandard

ARTICLES = Path(__file__).resolve().parent / "data" / "demo_articles.json"
AUTHORS = {"civil": "handler-civil", "heating": "handler-heating", "health": "handler-health",
           "hrss": "handler-hrss", "housing": "handler-housing", "water": "handler-water", "urban": "handler-urban"}
STANDARDS = [  # code, name, amount, region (None = city-wide)
    ("dibao_urban", "城市最低生活保障标准", "710", None),
    ("tekun_urban", "城市特困人员基本生活标准", "1056", None),
    ("tekun_rural", "农村特困人员基本生活标准", "752", None),
    ("orphan_institution", "机构集中养育孤儿基本生活费", "1785", None),
    ("orphan_scattered", "社会散居孤儿基本生活费", "1338", None),
    ("disability_allowance", "残疾人两项补贴（双辽市）", "85", "220382"),
]
# question, channel, days ago, feedback (True helpful / False not / None none)
QUESTIONS: list[tuple[str, str, int, bool | None]] = [
    ("今年什么时候开始供暖", "voice", 28, True), ("暖气几号停", "voice", 27, True),
    ("家里暖气不热找谁", "voice", 26, True), ("屋里温度太低怎么办", "widget", 25, False),
    ("城市低保标准是多少", "public", 24, True), ("低保每月多少钱", "voice", 23, True),
    ("不在户口所在地能办低保吗", "public", 22, True), ("特困人员每月多少钱", "voice", 21, True),
    ("80岁老人有什么补贴", "widget", 20, True), ("孤儿每月补助多少", "public", 19, None),
    ("老板不给工资怎么办", "voice", 18, True), ("去外地看病医保怎么报", "chat", 17, False),
    ("看检查结果还要再挂号吗", "voice", 16, True), ("物业乱收费怎么投诉", "chat", 15, None),
    ("12345能管什么", "widget", 14, True), ("12345多长时间回复", "public", 13, True),
    ("暖气怎么报停", "voice", 12, True), ("路边摆摊影响通行", "chat", 11, None),
    ("楼下饭店油烟太大", "voice", 10, None), ("小区门口修路太吵了", "chat", 9, None),
    ("我想问一下公积金怎么提取", "voice", 8, None), ("孩子上学划片怎么查", "widget", 7, None),
    ("取暖费在哪交", "public", 6, True), ("重度残疾护理补贴多少钱", "voice", 5, True),
    ("暖气管漏水", "voice", 4, None), ("今年几号来暖气", "widget", 3, True),
    ("异地就医怎么备案", "public", 2, True), ("什么时候开始供暖", "voice", 1, True),
]

# ticket key, title, content, article answering it, days ago
DIRECT_ANSWERS = [
    ("kb-heating-season", "咨询今年供暖时间", "来电人询问今年四平市城区什么时候开始供暖。", "demo-heating-season", 6),
    ("kb-dibao-standard", "咨询城市低保标准", "来电人询问城市低保标准是多少，家里收入低能不能申请。", "demo-dibao-standard", 3),
]


def _author(ctx: Any, unit_code: str) -> Any:
    return ctx.user(AUTHORS.get(unit_code, "supervisor"))


def _fields(spec: dict[str, Any], today: date) -> dict[str, Any]:
    valid_to = today + timedelta(days=spec["expires_in_days"]) if spec.get("expires_in_days") else None
    return {"title": spec["title"], "body_html": spec["body"], "legal_basis": spec.get("basis", ""),
            "source_document": spec["source"], "keywords": spec.get("keywords", []),
            "questions": spec.get("questions", []), "conditions": spec.get("conditions", []),
            "valid_from": date(2025, 1, 1), "valid_to": valid_to}


def _article(ctx: Any, spec: dict[str, Any], today: date) -> bool:
    """Creates one demo article in its state; False when it already exists."""
    from jiesu.catalog.models import Category

    unit = ctx.unit(spec["unit"])
    if Article.objects.filter(unit=unit, external_key=spec["key"]).exists():
        return False
    author, publisher = _author(ctx, spec["unit"]), ctx.user("supervisor")
    moment = clock.now() - timedelta(days=425 if spec.get("stale") else 40)
    with clock.at(moment):
        version = services.create_draft(
            author, unit=unit, kind=spec["kind"], external_key=spec["key"],
            category=Category.objects.filter(code=spec.get("category") or "-").first(),
            regions=[ctx.region(code) for code in spec.get("regions", [])], **_fields(spec, today))
        if spec["state"] in ("submitted", "published"):
            version = services.submit(author, version)
        if spec["state"] == "published":
            services.publish(publisher, version, note="演示数据")
    return True


def _standards(ctx: Any) -> None:
    for code, name, amount, region in STANDARDS:
        ctx.upsert(BenefitStandard, "code", code, {
            "name": name, "amount": Decimal(amount), "region": ctx.region(region) if region else None,
            "valid_from": date(2025, 1, 1), "valid_to": None, "source": "演示数据（四平市 2025 年标准）"})


def _answers(ctx: Any) -> int:
    if AnswerLog.objects.filter(question=QUESTIONS[0][0]).exists():
        return 0
    now = timezone.now()
    for question, channel, days_ago, helpful in QUESTIONS:
        result = answer_question(question, channel=channel)
        log = result.log
        assert log is not None, "answer_question always writes its log"
        moment = now - timedelta(days=days_ago, hours=days_ago % 7)
        AnswerLog.objects.filter(pk=log.pk).update(created_at=moment)
        if helpful is not None and result.answered and result.article is not None:
            feedback = services.record_feedback(None, article=result.article, answer=log, helpful=helpful)
            type(feedback).objects.filter(pk=feedback.pk).update(created_at=moment)
            if not helpful:  # the caller was not helped and asked for a person after all
                hand_over_after_answer(log)
    return len(QUESTIONS)


def _direct_answers(ctx: Any) -> int:
    """Consultations the operator answered on the spot with an article (recorded on the ticket)."""
    from jiesu.knowledge.answering import answer_with_article
    from jiesu.tickets.models import Ticket
    from jiesu.tickets.services import accept

    operator, made = ctx.user("operator"), 0
    for n, (key, title, content, article_key, days_ago) in enumerate(DIRECT_ANSWERS):
        if Ticket.objects.filter(idempotency_key=f"{operator.pk}:demo:{key}").exists():
            continue
        article = Article.objects.get(external_key=article_key)
        with clock.at(clock.now() - timedelta(days=days_ago, minutes=40 * n)):
            ticket = accept(operator, {"title": title, "content": content, "kind": "consultation",
                                       "channel": "phone", "requester_name": "市民（演示）"},
                            idempotency_key=f"demo:{key}")
            answer_with_article(operator, ticket, article, ticket.version)
        made += 1
    return made


def load(ctx: Any) -> None:
    _standards(ctx)
    specs = json.loads(ARTICLES.read_text(encoding="utf-8"))
    today = timezone.localdate()
    created = sum(_article(ctx, spec, today) for spec in specs)
    asked = _answers(ctx)
    direct = _direct_answers(ctx)
    ctx.progress(f"知识 {len(specs)} 条（新建 {created} 条，演示内容）；保障标准 {len(STANDARDS)} 项；"
                 f"自动问答记录 {asked} 条；话务员用知识直接答复 {direct} 件")
