"""Messages from a CSV or Excel export (a message board, another hotline's tickets) for ``jiesu hot analyse``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jiesu.insights.discovery import Message
from jiesu.intelligence.datasets import DatasetError, parse_columns, read_table
from jiesu.intelligence.text import normalize

TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d",
                "%Y-%m-%d", "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日")


@dataclass(frozen=True)
class Columns:
    id: str
    text: list[str]  # the first is the title; the others are joined as the detail
    time: str
    votes: list[str]  # likes[, dislikes]
    user: str = ""


def parse_time(value: str) -> datetime | None:
    value = normalize(value)
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _count(value: str) -> int:
    value = normalize(value)
    try:
        return max(0, int(float(value))) if value else 0
    except ValueError:
        return 0


def read_messages(path: str | Path, columns: Columns) -> tuple[list[Message], int]:
    """The file's messages and how many rows were skipped (no id, no text or no readable time)."""
    table = read_table(path)
    wanted = [columns.id, *columns.text, columns.time, *columns.votes] + ([columns.user] if columns.user else [])
    missing = [c for c in wanted if c not in table.columns]
    if missing:
        raise DatasetError(f"文件 {table.path.name} 中没有列：{'、'.join(missing)}；现有列：{'、'.join(table.columns)}")
    messages, skipped = [], 0
    likes_col = columns.votes[0] if columns.votes else ""
    dislikes_col = columns.votes[1] if len(columns.votes) > 1 else ""
    for row in table.rows:
        at = parse_time(row.get(columns.time, ""))
        title = normalize(row.get(columns.text[0], ""))
        detail = " ".join(normalize(row.get(c, "")) for c in columns.text[1:]).strip()
        ident = normalize(row.get(columns.id, ""))
        if at is None or not ident or not (title or detail):
            skipped += 1
            continue
        messages.append(Message(ident, title, detail, at, normalize(row.get(columns.user, "")) if columns.user
                                else "", _count(row.get(likes_col, "")), _count(row.get(dislikes_col, ""))))
    if not messages:
        raise DatasetError(f"文件 {table.path.name} 中没有可用的数据行")
    return messages, skipped


def columns_from(id_col: str, text_cols: str, time_col: str, votes_cols: str = "", user_col: str = "") -> Columns:
    text = parse_columns(text_cols)
    if not text:
        raise DatasetError("请用 --text-cols 指定至少一个文本列（第一个为标题）")
    votes = parse_columns(votes_cols) if votes_cols else []
    if len(votes) > 2:
        raise DatasetError("--votes-cols 最多两列：点赞列,反对列")
    return Columns(normalize(id_col), text, normalize(time_col), votes, normalize(user_col))
