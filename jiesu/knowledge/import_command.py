"""`jiesu kb import FILE`: the sub-command's options and output (hooked into jiesu/intelligence's `kb` command)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jiesu.knowledge.importing import OUTCOME_LABELS, REJECTED, ImportFailed, ImportReport, import_file


def add_import_parser(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "import", help="导入知识：Excel/CSV（列见 docs/dev/knowledge-import.md）、Word（.docx）或网页（.html）政策文件。")
    parser.add_argument("file", help="要导入的文件")
    parser.add_argument("--user", required=True, help="导入人用户名（须有该单位的知识编辑权限）")
    parser.add_argument("--unit", help="主管单位代码：文档必填；表格中“主管单位”为空的行使用它")
    parser.add_argument("--kind", choices=["policy", "guide", "faq", "reply"],
                        help="知识类型：文档默认 policy；表格中“类型”为空的行使用它")
    parser.add_argument("--split", choices=["document", "heading"], default="document",
                        help="文档：document 整篇一条（默认），heading 每个一级章节一条")
    parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
    parser.add_argument("--publish", action="store_true", help="导入后直接发布（须有发布权限，即热线中心）")
    parser.add_argument("--keep-good-rows", action="store_true",
                        help="有被拒绝的行时仍导入其余各行（默认全部不导入）")
    parser.add_argument("--json", action="store_true", help="以 JSON 打印报告")


def run_import(command: BaseCommand, options: dict[str, Any]) -> None:
    from jiesu.org.models import User

    user = User.objects.filter(username=options["user"], is_active=True).first()
    if user is None:
        raise CommandError(f"用户“{options['user']}”不存在或已停用。")
    try:
        report = import_file(user, options["file"], dry_run=options["dry_run"], unit_code=options["unit"],
                             kind=options["kind"], split=options["split"], publish=options["publish"],
                             keep_good_rows=options["keep_good_rows"], progress=_progress)
    except ImportFailed as exc:
        raise CommandError(str(exc)) from exc
    if options["json"]:
        command.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        command.stdout.write(render_report(report))
    if report.rejected and not report.applied and not report.dry_run:
        raise CommandError("有被拒绝的行，未导入任何内容。请修改后重新导入，或使用 --keep-good-rows。")


def render_report(report: ImportReport) -> str:
    lines = [f"{'试导入（未写入）' if report.dry_run else '导入'}：{report.path}"]
    for row in report.rows:
        where = f" → 知识 #{row.article_id}" if row.article_id and report.applied else ""
        lines.append(f"  {row.line}  {OUTCOME_LABELS[row.outcome]}  {row.title[:40]}{where}")
        lines += [f"      原因：{reason}" for reason in row.reasons]
    counts = "，".join(f"{label} {report.count(name)}" for name, label in OUTCOME_LABELS.items())
    verdict = "已写入。" if report.applied else (
        "未写入（试导入）。" if report.dry_run else "未写入任何内容。")
    if report.dry_run and any(row.outcome == REJECTED for row in report.rows):
        verdict += "正式导入时，有被拒绝的行将导致整个文件不导入（除非使用 --keep-good-rows）。"
    lines.append(f"合计：{counts}。{verdict}")
    return "\n".join(lines) + "\n"


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
