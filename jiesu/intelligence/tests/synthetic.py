"""Tiny labelled ticket files made inside the tests (three topics with their own words)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

WORDS = {
    "城乡建设": ["小区", "物业", "路灯", "施工", "围墙", "拆迁", "楼道", "电梯"],
    "交通运输": ["公交", "线路", "出租车", "站台", "班车", "客运", "司机", "车站"],
    "教育文体": ["学校", "老师", "学生", "课程", "补课", "幼儿园", "学费", "校车"],
}
FILLER = ["反映", "希望", "尽快", "解决", "问题", "市民", "相关", "部门"]


def rows(per_label: int = 24, seed: int = 1) -> list[dict[str, str]]:
    rng = random.Random(seed)
    out = []
    for label, words in WORDS.items():
        for i in range(per_label):
            subject = "".join(rng.sample(words, 2)) + "问题"
            detail = "，".join(rng.sample(words, 4) + rng.sample(FILLER, 3)) + f"。第{i}次"
            out.append({"留言主题": subject, "留言详情": "\n\t\t" + detail, "label": label})
    rng.shuffle(out)
    return out


def write_csv(path: Path, data: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(data[0]))
        writer.writeheader()
        writer.writerows(data)
    return path


def write_xlsx(path: Path, data: list[dict[str, str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(data[0]))
    for row in data:
        sheet.append(list(row.values()))
    book.save(path)
    return path
