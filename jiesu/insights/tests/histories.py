"""Synthetic message histories for the hot-issue tests: the same problem worded many ways, at named places."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from jiesu.insights.discovery import Message

END = datetime(2026, 11, 30, 18, 0)

# One problem, worded as different callers word it ({p} is the place). The method is lexical: each wording
# shares the problem's word (停水, 暖气), and differs in everything else.
WATER = ["{p}停水三天了，一直没人管", "{p}突然停水，什么时候恢复供水？", "反映{p}停水严重影响生活",
         "{p}又停水了，请尽快恢复", "{p}家里停水好几天了，水龙头没水", "{p}停水，老人孩子没水用",
         "投诉{p}长时间停水", "{p}停水问题请自来水公司尽快处理", "{p}从周一开始停水到现在"]
HEATING = ["{p}暖气不热，室温只有十四度", "{p}暖气温度不达标，家里太冷了", "反映{p}暖气冰凉，供热不足",
           "{p}暖气不热，老人冻得受不了", "{p}供热公司不作为，暖气温度太低", "{p}家里暖气不热，请供热公司检修",
           "{p}暖气温度低，孩子感冒了"]
NOISE = ["{p}附近工地夜间施工噪音扰民", "{p}旁边工地晚上施工太吵，无法入睡", "投诉{p}工地凌晨施工噪音",
         "{p}周边夜间施工扰民，噪音很大"]
# Unrelated single complaints: the background every history has.
BACKGROUND = ["{p}路灯不亮很久了", "{p}垃圾没人清运，臭味很大", "{p}楼道墙皮脱落", "{p}电梯经常困人",
              "{p}门口有人占道经营", "{p}下水道堵塞污水横流", "{p}物业乱收停车费", "{p}绿化带被毁种菜",
              "{p}小广告贴满单元门", "{p}井盖丢失很危险", "{p}公交站牌被撞坏", "{p}健身器材损坏没人修"]
ESTATES = ["丽景花园", "金桥家园", "翠湖苑", "书香名城", "幸福里小区", "和平新村", "东湖花园", "阳明家园",
           "南山公寓", "星河湾"]


def message(ident: str, template: str, place: str, at: datetime, requester: str, likes: int = 0) -> Message:
    text = template.format(p=place)
    return Message(ident, text[:24], text + "。希望有关部门尽快处理。", at, requester, likes)


def burst(place: str, people: int, *, start: datetime, days: float, prefix: str = "b",
          wording: list[str] = WATER, seed: int = 1) -> list[Message]:
    """``people`` requesters about one problem at ``place`` within ``days``."""
    rng = random.Random(seed)
    step = timedelta(days=days) / max(people, 1)
    return [message(f"{prefix}{i}", wording[i % len(wording)], place, start + step * i, f"{prefix}-caller-{i}",
                    likes=rng.randint(0, 3)) for i in range(people)]


def background(count: int, *, seed: int = 7, places: list[str] = ESTATES) -> list[Message]:
    """One-off complaints, each about something else somewhere (never two of one kind at one place)."""
    rng = random.Random(seed)
    pairs = [(t, p) for t in BACKGROUND for p in places]
    rng.shuffle(pairs)
    start = END - timedelta(days=90)
    return [message(f"x{i}", t, p, start + timedelta(hours=rng.randint(0, 90 * 24)), f"x-caller-{i}")
            for i, (t, p) in enumerate(pairs[:count])]


def issue_of(issues: list, member: str):  # type: ignore[no-untyped-def]
    """The hot issue that holds ``member``, or None."""
    return next((i for i in issues if member in i.members), None)
