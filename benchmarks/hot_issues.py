"""Hot-issue discovery at a quarter's scale: N synthetic messages (default 100,000), time and memory.

    .venv/bin/python benchmarks/hot_issues.py --messages 100000 [--hot 60] [--seed 1]
    .venv/bin/python benchmarks/hot_issues.py --messages 100000 --tickets [--new 1000]   # as tickets, SQLite

With ``--tickets`` the messages become tickets in a scratch SQLite database (bulk-inserted, timestamps in the
last 90 days) and ``services.rebuild`` runs on them, then ``services.update`` for ``--new`` more tickets.

The history is made here (nothing read from ../shared): 2,000 estates and 300 roads with made-up names, 10
districts, 40 problems each worded 6 ways; a quarter of the messages name only a district or nothing. Into the
background of one-off messages (a random problem at a random place, so chance pairs exist as in life), ``--hot``
issues are injected: 20–300 requesters about one problem at one place over 2–60 days, some calling more than
once. Reports seconds, peak memory and how well the injected issues come back (for each, the found issue that
holds most of its members: the share of its members found there and the share of that issue that is injected).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYLLABLES = "丽景金桥翠湖书香幸福和平东湖阳明南山星河锦绣华府海棠紫荆银杏桂花梧桐枫林碧水青山长安永安兴隆盛世泰和嘉禾瑞祥富康"
ESTATE_ENDINGS = ["花园", "家园", "苑", "新城", "小区", "公寓", "名城", "山庄"]
PROBLEMS = [
    ("停水", ["{p}停水三天了没人管", "{p}突然停水什么时候恢复", "反映{p}停水严重影响生活", "{p}又停水了请尽快处理",
              "投诉{p}长时间停水", "{p}停水老人孩子没水用"]),
    ("暖气", ["{p}暖气不热室温只有十四度", "{p}暖气温度不达标家里太冷", "反映{p}暖气冰凉供热不足", "{p}暖气不热老人受不了",
              "{p}供热公司不作为暖气温度低", "{p}暖气温度低孩子感冒了"]),
    ("噪音", ["{p}附近工地夜间施工噪音扰民", "{p}旁边工地晚上施工太吵", "投诉{p}工地凌晨施工噪音", "{p}夜间施工扰民噪音大",
              "{p}工地半夜施工吵得睡不着", "{p}施工噪音每天到凌晨"]),
]
OTHER = ["路灯不亮", "垃圾没人清运", "楼道墙皮脱落", "电梯经常困人", "占道经营", "下水道堵塞", "乱收停车费", "绿化带被毁",
         "小广告贴满单元门", "井盖丢失", "公交站牌损坏", "健身器材损坏", "物业不作为", "违章建筑", "油烟扰民", "狗叫扰民",
         "地下室积水", "外墙渗水", "消防通道被堵", "充电桩不足", "快递柜收费", "学校门口拥堵", "药店乱涨价", "装修噪音",
         "燃气费多收", "有线电视没信号", "网络信号差", "门禁坏了", "监控不亮", "排水不畅", "道路坑洼", "树木遮挡路灯",
         "广场舞扰民", "烧烤摊扰民", "违规养鸡", "私搭电线", "楼顶漏水"]
OTHER_WORDING = ["{p}{x}很久了", "反映{p}{x}的问题", "{p}{x}请尽快处理", "投诉{p}{x}"]


def names(rng: random.Random, count: int, endings: list[str]) -> list[str]:
    out: set[str] = set()
    while len(out) < count:
        out.add("".join(rng.sample(SYLLABLES, 2)) + rng.choice(endings))
    return sorted(out)


def history(n: int, hot: int, seed: int) -> tuple[list, dict[str, set[str]]]:
    from jiesu.insights.discovery import Message

    rng = random.Random(seed)
    estates = names(rng, 2000, ESTATE_ENDINGS)
    roads = names(rng, 300, ["路", "大道", "街"])
    districts = [f"{c}区" for c in "东西南北中"] + [f"{c}县" for c in "甲乙丙丁戊"]
    end = datetime(2026, 11, 30)
    messages, truth = [], {}
    for h in range(hot):
        place = rng.choice(estates + roads)
        problem, wordings = rng.choice(PROBLEMS)
        people, days = rng.randint(20, 300), rng.uniform(2, 60)
        start = end - timedelta(days=rng.uniform(days, 90))
        ids = set()
        for i in range(people):
            for repeat in range(1 + (rng.random() < 0.1)):
                ident = f"h{h}-{i}-{repeat}"
                text = rng.choice(wordings).format(p=place)
                messages.append(Message(ident, text, f"{text}，希望有关部门尽快解决。", start + timedelta(
                    days=rng.uniform(0, days)), f"h{h}-caller-{i}", likes=rng.randint(0, 5)))
                ids.add(ident)
        truth[f"hot{h}"] = ids
    k = 0
    while len(messages) < n:
        where = rng.random()
        place = rng.choice(estates) if where < 0.6 else rng.choice(roads) if where < 0.75 else \
            rng.choice(districts) if where < 0.9 else ""
        text = rng.choice(OTHER_WORDING).format(p=place, x=rng.choice(OTHER))
        messages.append(Message(f"x{k}", text, f"{text}。", end - timedelta(days=rng.uniform(0, 90)), f"x-caller-{k}"))
        k += 1
    return messages, truth


def recovery(found: list, truth: dict[str, set[str]]) -> dict:
    where = {m: issue for issue in found for m in issue.members}
    recalls, precisions = [], []
    for ids in truth.values():
        counts: dict[int, int] = {}
        for m in ids:
            if m in where:
                counts[id(where[m])] = counts.get(id(where[m]), 0) + 1
        if not counts:
            recalls.append(0.0)
            continue
        best = max(counts, key=counts.__getitem__)
        issue = next(i for i in found if id(i) == best)
        recalls.append(counts[best] / len(ids))
        precisions.append(counts[best] / len(issue.members))
    injected_ranks = sorted({where[next(iter(ids))].rank for ids in truth.values() if next(iter(ids)) in where})
    return {"mean_recall": round(sum(recalls) / len(recalls), 3),
            "mean_precision": round(sum(precisions) / max(len(precisions), 1), 3),
            "injected_in_top": sum(1 for r in injected_ranks if r <= len(truth))}


def as_tickets(messages: list, prefix: str) -> None:
    from zoneinfo import ZoneInfo

    from jiesu.catalog.models import Channel
    from jiesu.tickets.models import Ticket

    tz = ZoneInfo("Asia/Shanghai")
    channel = Channel.objects.get(code="phone")
    rows = []
    for n, m in enumerate(messages):
        at = m.at.replace(tzinfo=tz)
        phone = f"139{abs(hash(m.requester)) % 10**8:08d}"
        rows.append(Ticket(number=f"{prefix}{n:08d}", query_code="00000000", status="received", kind="complaint",
                           channel=channel, title=m.title[:200], content=m.detail, created_at=at,
                           clock_started_at=at, requester_phone=phone))
    Ticket.objects.bulk_create(rows, batch_size=2000)


def tickets_run(messages: list, new: int) -> None:
    from zoneinfo import ZoneInfo

    from jiesu.insights import services

    now = datetime(2026, 11, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    rng = random.Random(5)
    rng.shuffle(messages)
    started = time.monotonic()
    as_tickets(messages[new:], "H")
    stored = time.monotonic() - started
    started = time.monotonic()
    hot = services.rebuild(now=now - timedelta(days=1))
    rebuilt = time.monotonic() - started
    as_tickets(messages[:new], "N")
    started = time.monotonic()
    counts = services.update(now=now)
    updated = time.monotonic() - started
    print(json.dumps({"tickets": len(messages) - new, "insert_s": round(stored, 1), "rebuild_s": round(rebuilt, 1),
                      "hot_issues": hot, "new_tickets": new, "update_s": round(updated, 1), "update": counts,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--hot", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tickets", action="store_true", help="as tickets: rebuild, then update")
    parser.add_argument("--new", type=int, default=1000, help="with --tickets: tickets added before update")
    args = parser.parse_args()
    os.environ["JIESU_VAR_DIR"] = tempfile.mkdtemp(prefix="jiesu-hot-bench-")
    os.environ.pop("JIESU_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from jiesu.insights.discovery import Options, discover

    messages, truth = history(args.messages, args.hot, args.seed)
    if args.tickets:
        tickets_run(messages, args.new)
        return
    stages: dict[str, float] = {}
    started = time.monotonic()

    def progress(stage: str, done: int, total: int) -> None:
        if done >= total:
            stages[stage] = round(time.monotonic() - started, 1)
            print(f"  {stage} done at {stages[stage]} s", file=sys.stderr, flush=True)

    found = discover(messages, Options(end=datetime(2026, 11, 30)), progress=progress)
    elapsed = time.monotonic() - started
    print(json.dumps({
        "messages": len(messages), "injected_hot_issues": len(truth), "seconds": round(elapsed, 1),
        "stages_done_at_s": stages, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "hot_issues_found": len(found), "recovery": recovery(found, truth),
    }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
