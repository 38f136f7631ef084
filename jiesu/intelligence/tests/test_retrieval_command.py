"""`jiesu kb eval` on a small synthetic file."""

from __future__ import annotations

import csv
import json

import pytest
from django.core.management import CommandError, call_command

from jiesu.intelligence.tests.test_retrieval import GREETING, THANKS, TOPICS


def write_file(path, answer_col="答复意见"):
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["留言主题", "留言详情", answer_col])
        for round_ in range(4):  # variants so that cross-fitting has training pairs in each fold
            for title, text, answer in TOPICS:
                writer.writerow([f"{title}{round_}", f"\n\t{text}", f"{GREETING}第{round_}次：{answer}{THANKS}"])
        writer.writerow(["谢谢", "无", "留言已收悉"])
    return path


def run_eval(path, *extra):
    from io import StringIO

    out = StringIO()
    call_command("kb", "eval", "--data", str(path), "--query-cols", "留言主题,留言详情",
                 "--answer-col", "答复意见", "--min-answer-chars", "30", "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


def test_eval_prints_the_metrics(tmp_path):
    result = run_eval(write_file(tmp_path / "replies.csv"))
    assert {"hit_at_1", "hit_at_5", "n", "mrr", "first_stage"} <= set(result)
    assert result["n"] == 4 * len(TOPICS)
    assert result["documents"] == 4 * len(TOPICS) + 1
    assert result["hit_at_5"] == 1.0


def test_eval_without_reranker(tmp_path):
    result = run_eval(write_file(tmp_path / "replies.csv"), "--folds", "0")
    assert result["reranker"] == "none"
    assert result["hit_at_1"] == result["first_stage"]["hit_at_1"]


def test_missing_column_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="缺少列：答复意见"):
        run_eval(write_file(tmp_path / "replies.csv", answer_col="回复"))


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run_eval(tmp_path / "none.csv")


def test_gb18030_file_is_read(tmp_path):
    path = write_file(tmp_path / "replies.csv")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(path.read_text(encoding="utf-8-sig").encode("gb18030"))
    assert run_eval(gbk)["n"] == 4 * len(TOPICS)
