"""Demo step (演示数据): two past months of handled tickets for the units that have demo handlers, replayed
through the services, then those months' rankings closed through `close_month`, so that the ranking, its change
from last month and the monthly circular have content.

The tickets are generated from a few templates per unit with a fixed seed; each unit has a profile (how often it
contacts the requester in time, how satisfied the follow-up calls are, late replies, refused returns, praise)
so the scores spread out. Running the step again adds nothing for months already generated.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from jiesu.core import clock
from jiesu.evaluation import services as evaluation_services
from jiesu.evaluation.periods import Period, month_of
from jiesu.evaluation.scoring import stored_ranking
from jiesu.tickets import services
from jiesu.tickets.models import Ticket
from jiesu.tickets.sweep import sweep
from jiesu.worktime.calendar import SHANGHAI, get_calendar

H = timedelta(hours=1)
PER_UNIT = 4  # tickets per unit and month, besides praise


@dataclass(frozen=True)
class Profile:
    handler: str
    kind: str
    category: str
    region: str
    titles: tuple[tuple[str, str, str], ...]  # (title, content, address)
    contact: float  # share of tickets where the requester is contacted in time
    satisfied: float  # share of follow-up calls satisfied (the rest basic or dissatisfied)
    late: int = 0  # replies after the deadline per month
    refused_return: bool = False
    praise: int = 0


PROFILES: dict[str, Profile] = {
    "heating": Profile("handler-heating", "complaint", "010101", "220302001001",
                       (("暖气温度偏低", "家里暖气摸着温乎，室温不到十六度，请尽快处理。", "阳光新城小区"),
                        ("暖气片不热需要排气", "暖气片上半截不热，自己放气没有效果。", "北二小区")), 0.9, 0.7, late=1,
                       praise=1),
    "water": Profile("handler-water", "help", "110102", "220382001",
                     (("水压低高层用水难", "六楼以上早晚用水高峰水流很小。", "郑家屯街道育新小区"),
                      ("停水未提前通知", "小区突然停水，没有看到任何通知。", "郑家屯街道")), 0.6, 0.5, late=1),
    "urban": Profile("handler-urban", "complaint", "020401", "220303001",
                     (("商铺占道经营", "商铺把货物摆到人行道上，行人只能走机动车道。", "北门街道商业街"),
                      ("夜市噪音扰民", "夜市音箱声音很大，一直到晚上十一点。", "北门街道")), 0.8, 0.6,
                     refused_return=True),
    "housing": Profile("handler-housing", "complaint", "010203", "220302001001",
                       (("电梯停运无人维修", "9号楼电梯停了三天，物业说等配件。", "阳光新城小区"),
                        ("物业不公示维修资金", "维修资金使用明细一直不公示。", "阳光新城小区")), 0.5, 0.4, late=2),
    "civil": Profile("handler-civil", "help", "050402", "220382001",
                     (("高龄补贴未到账", "老人高龄补贴两个月没有发放。", "郑家屯街道"),
                      ("低保申请进度", "低保申请交了一个月，想知道办到哪一步了。", "郑家屯街道")), 1.0, 0.9, praise=2),
    "hrss": Profile("handler-hrss", "help", "0403", "220303",
                    (("养老保险转移接续", "外省缴纳的养老保险怎么转回来。", "铁东区"),
                     ("失业金申领", "失业金申请后一直没有收到。", "铁东区")), 0.9, 0.8),
    "health": Profile("handler-health", "suggestion", "0601", "220322",
                      (("医院挂号难", "县医院专家号一早就挂满了。", "梨树县"),
                       ("门诊排队时间长", "门诊缴费窗口排队要一个小时。", "梨树县")), 0.7, 0.7, late=1),
    "traffic": Profile("handler-traffic", "complaint", "100101", "220302001001",
                       (("违章停车堵路", "小区门口每天有车违停，救护车进不来。", "阳光新城小区南门"),
                        ("路口信号灯故障", "路口信号灯一直闪黄灯。", "紫气大路")), 0.8, 0.5, refused_return=True),
    "renxing": Profile("handler-renxing", "complaint", "0202", "220302001002",
                       (("楼道堆放杂物", "楼道里堆满杂物，有消防隐患。", "仁兴社区4号楼"),
                        ("小区路灯不亮", "小区路灯坏了半个月。", "仁兴社区")), 0.9, 0.8, praise=1),
}


def _working_days(period: Period, now: datetime) -> list[datetime]:
    calendar = get_calendar()
    days = [d for d in period.each_day() if calendar.is_working_day(d)]
    return [datetime.combine(d, time(9, 0), tzinfo=SHANGHAI) for d in days
            if datetime.combine(d, time(9, 0), tzinfo=SHANGHAI) < now - timedelta(days=3)]


class _Replay:
    def __init__(self, ctx: Any, now: datetime):
        self.ctx, self.now = ctx, now

    def act(self, moment: datetime, who: str, number: str, action: str, **data: Any) -> Ticket:
        with clock.at(min(moment, self.now - timedelta(minutes=1))):
            return services.perform(self.ctx.user(who), number, action, data)

    def ticket(self, unit: str, p: Profile, key: str, begin: datetime, rng: random.Random, *, kind: str = "",
               contact: bool = True, late: bool = False, refused_return: bool = False) -> None:
        title, content, address = rng.choice(p.titles) if kind != "praise" else (
            "表扬承办人员", "工作人员上门处理及时，态度很好，特此表扬。", p.titles[0][2])
        data = {"title": title, "content": content, "kind": kind or p.kind, "category": p.category,
                "region": p.region, "address": address, "requester_name": rng.choice("王李张刘陈杨赵黄周吴") + "先生",
                "requester_phone": f"1390434{rng.randrange(10000):04d}", "channel": "phone"}
        with clock.at(begin):
            ticket = services.accept(self.ctx.user("operator"), data, idempotency_key=key)
        n = ticket.number
        self.act(begin + timedelta(minutes=15), "dispatcher", n, "dispatch", lead_unit=unit)
        at = begin + H
        if refused_return:
            self.act(at, p.handler, n, "request_return", reason="该事项不属于本单位职责范围")
            self.act(at + H, "dispatcher", n, "review_return", decision="refuse", opinion="经核实属该单位职责，请继续办理")
            at += 2 * H
        self.act(at, p.handler, n, "sign")
        if contact:
            self.act(at + H, p.handler, n, "contact", note="已电话联系诉求人，说明处理安排")
        lead = Ticket.objects.get(pk=ticket.pk).assignments.filter(is_current=True).first()
        reply_at = at + 26 * H
        if late and lead is not None and lead.reply_due_at:
            sweep(lead.reply_due_at + timedelta(minutes=30))
            reply_at = lead.reply_due_at + 2 * H
        self.act(reply_at, p.handler, n, "reply", result="已现场核实并处理，向诉求人说明了处理结果。")
        self.act(reply_at + 2 * H, "supervisor", n, "review_reply", decision="approve", opinion="答复内容完整")
        satisfied = kind == "praise" or rng.random() < p.satisfied
        answer = "satisfied" if satisfied else rng.choice(["basic", "basic", "dissatisfied"])
        self.act(reply_at + 24 * H, "visitor", n, "visit", outcome="reached", satisfaction=answer,
                 resolution="resolved" if answer != "dissatisfied" else "unresolved")


def _month(ctx: Any, period: Period, now: datetime) -> int:
    replay, made = _Replay(ctx, now), 0
    operator = ctx.user("operator")
    days = _working_days(period, now)
    if len(days) < 8:
        return 0
    for unit, p in PROFILES.items():
        rng = random.Random(f"{period.start:%Y-%m}-{unit}")
        plan: list[dict[str, Any]] = [{} for _ in range(PER_UNIT)] + [{"kind": "praise"} for _ in range(p.praise)]
        for index in range(p.late):
            plan[index]["late"] = True
        for index in range(PER_UNIT - round(p.contact * PER_UNIT)):
            plan[-1 - index - p.praise]["contact"] = False
        if p.refused_return:
            plan[1]["refused_return"] = True
        for index, options in enumerate(plan):
            key = f"evaluation-demo:{period.start:%Y-%m}:{unit}:{index}"
            if Ticket.objects.filter(idempotency_key=f"{operator.pk}:{key}").exists():
                continue
            begin = days[(index * 3 + len(unit)) % (len(days) - 5)] + timedelta(minutes=7 * index)
            replay.ticket(unit, p, key, begin, rng, **options)
            made += 1
    return made


def _past_months(now: datetime) -> list[Period]:
    """The months before this one the demo fills (``JIESU_DEMO_PAST_MONTHS``, default 2), oldest first."""
    count = int(getattr(settings, "JIESU_DEMO_PAST_MONTHS", 2))
    months: list[Period] = []
    month = month_of(timezone.localtime(now).date())
    for _ in range(count):
        month = month.previous()
        months.insert(0, month)
    return months


def load(ctx: Any) -> None:
    now = clock.now()
    months = _past_months(now)
    if not months:
        return
    made = 0
    for period in months:
        if stored_ranking(period.start) is None:
            made += _month(ctx, period, now)
    sweep(now)
    closed = []
    for period in months:
        if stored_ranking(period.start) is None:
            evaluation_services.close_month(None, period)
            closed.append(period.label())
    ctx.progress(f"考核演示：{'、'.join(p.label() for p in months)}办理工单新建 {made} 件；"
                 f"{'已结束排名：' + '、'.join(closed) if closed else '排名此前已结束'}")
