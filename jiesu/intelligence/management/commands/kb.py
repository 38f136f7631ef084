"""`jiesu kb`: knowledge base and similar-case retrieval. Sub-commands: eval, import (jiesu.knowledge)."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "知识库与相似案例检索。Knowledge base and similar-case retrieval."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", title="子命令", required=True)
        evaluate = subcommands.add_parser(
            "eval", help="用文件中的留言与答复评估相似答复检索（hit@1、hit@5）。")
        evaluate.add_argument("--data", required=True, help="CSV（UTF-8/GB18030）或 .xlsx 文件")
        evaluate.add_argument("--query-cols", default="留言主题,留言详情",
                              help="查询列，逗号分隔；第一列作为主题（默认：留言主题,留言详情）")
        evaluate.add_argument("--answer-col", default="答复意见", help="答复列（默认：答复意见）")
        evaluate.add_argument("--min-answer-chars", type=int, default=100,
                              help="只评估答复至少这么多字的留言（所有答复都进索引）")
        evaluate.add_argument("--folds", type=int, default=2,
                              help="重排序模型交叉拟合的折数（默认 2；0 表示不用重排序）")
        evaluate.add_argument("--json", action="store_true", help="在标准输出打印一个 JSON 对象")
        evaluate.add_argument("--no-dense", action="store_true", help="不用句向量模型，只做词法检索")
        evaluate.add_argument("--dense-weight", type=float, help="融合时句向量余弦的权重（0–1，默认同产品）")
        evaluate.add_argument("--doc-chars", type=int, help="答复编码的字数上限（0 表示全文，默认同产品）")
        evaluate.add_argument("--query-chars", type=int, help="留言编码的字数上限（默认同产品）")
        from jiesu.knowledge.import_command import add_import_parser

        add_import_parser(subcommands)

    def handle(self, *args, **options) -> None:
        if options["subcommand"] == "eval":
            self.evaluate(options)
        elif options["subcommand"] == "import":
            from jiesu.knowledge.import_command import run_import

            run_import(self, options)

    def evaluate(self, options: dict) -> None:
        from jiesu.intelligence.retrieval.evaluation import evaluate
        from jiesu.intelligence.retrieval.tables import TableError

        columns = [name.strip() for name in options["query_cols"].split(",") if name.strip()]
        if not columns:
            raise CommandError("--query-cols 至少需要一列")
        if options["folds"] == 1 or options["folds"] < 0:
            raise CommandError("--folds 应为 0（不重排序）或不小于 2")
        try:
            result = evaluate(options["data"], columns, options["answer_col"].strip(),
                              options["min_answer_chars"], folds=options["folds"], progress=self._progress,
                              dense=not options["no_dense"], params=self._params(options))
        except (TableError, ValueError) as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(f"hit@1 = {result['hit_at_1']:.4f}  hit@5 = {result['hit_at_5']:.4f}  "
                          f"MRR = {result['mrr']:.4f}  n = {result['n']}（索引 {result['documents']} 条答复）")

    def _params(self, options: dict):  # type: ignore[no-untyped-def]
        from jiesu.intelligence.retrieval import Params

        params = Params()
        if options["dense_weight"] is not None:
            if not 0.0 <= options["dense_weight"] <= 1.0:
                raise CommandError("--dense-weight 应在 0 与 1 之间")
            params.dense_weight = options["dense_weight"]
        for name, option in (("dense_doc_chars", "doc_chars"), ("dense_query_chars", "query_chars")):
            if options[option] is not None:
                if options[option] < 0:
                    raise CommandError(f"--{option.replace('_', '-')} 不能为负数")
                setattr(params, name, options[option])
        return params

    def _progress(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)
