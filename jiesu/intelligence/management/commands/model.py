"""jiesu model train|eval|list|activate|predict — text classifiers for topic, unit or category."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from jiesu.core.errors import DomainError
from jiesu.intelligence import artefacts, training
from jiesu.intelligence.datasets import DatasetError, load_dataset
from jiesu.intelligence.features import FeatureConfig
from jiesu.intelligence.topic_model import ModelConfig


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Command(BaseCommand):
    help = "训练、评估、列出、启用文本分类模型（留言主题、承办单位、业务类别）。"

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="用历史工单训练模型")
        train.add_argument("--task", choices=artefacts.TASKS, default="topic")
        train.add_argument("--data", required=True, help="CSV 或 Excel（.xlsx）文件")
        train.add_argument("--text-cols", required=True, help="文本列，逗号分隔，如 留言主题,留言详情")
        train.add_argument("--label-col", required=True)
        train.add_argument("--out", help="模型目录（默认 var/models/<版本>）")
        train.add_argument("--unlabelled", help="未标注留言文件：其文本参与词表和 IDF 的统计")
        train.add_argument("--unlabelled-text-cols", help="未标注文件的文本列（默认同 --text-cols）")
        train.add_argument("--pseudo-label", action="store_true", help="再用未标注留言做自训练（伪标签）")
        train.add_argument("--model-kind", default="calibrated_svc",
                           choices=["calibrated_svc", "ensemble", "svc", "lr", "ridge"])
        train.add_argument("--cv-folds", type=int, default=3, help="交叉验证折数（0 表示不做）")
        train.add_argument("--target-precision", type=float, default=0.95, help="选择拒答阈值时要求的准确率")
        train.add_argument("--no-register", action="store_true", help="不登记到数据库")
        train.add_argument("--activate", action="store_true", help="训练后立即启用")
        train.add_argument("--json", action="store_true", help="在标准输出打印 meta.json")
        train.add_argument("--no-dense", action="store_true", help="不用句向量特征（只用词法特征）")
        train.add_argument("--dense-weight", type=float, default=1.0, help="句向量特征块的权重（默认 1）")
        train.add_argument("--dense-chars", type=int, default=128, help="每条文本编码的字数上限（默认 128）")
        ev = sub.add_parser("eval", help="在带标签的数据上评估模型")
        ev.add_argument("--model", required=True, help="模型目录或版本号")
        ev.add_argument("--data", required=True)
        ev.add_argument("--text-cols", help="默认用训练时的文本列")
        ev.add_argument("--label-col", help="默认用训练时的标签列")
        ev.add_argument("--json", action="store_true")
        ev.add_argument("--no-dense", action="store_true", help="只用模型的词法部分评估")
        ls = sub.add_parser("list", help="列出模型版本")
        ls.add_argument("--task", choices=artefacts.TASKS)
        ls.add_argument("--json", action="store_true")
        act = sub.add_parser("activate", help="启用某个版本（版本号或模型目录）")
        act.add_argument("ref")
        act.add_argument("--reason", default="")
        pr = sub.add_parser("predict", help="预测一段文本")
        pr.add_argument("--model", help="模型目录或版本号（默认用启用中的模型）")
        pr.add_argument("--task", choices=artefacts.TASKS, default="topic")
        pr.add_argument("--top-k", type=int, default=3)
        pr.add_argument("text")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        try:
            getattr(self, f"_{opts['action']}")(opts)
        except (DatasetError, artefacts.ArtefactError) as exc:
            raise CommandError(str(exc)) from exc
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc

    def _train(self, o) -> None:  # type: ignore[no-untyped-def]
        data = load_dataset(o["data"], o["text_cols"], o["label_col"])
        unlabelled = None
        if o["unlabelled"]:
            unlabelled = load_dataset(o["unlabelled"], o["unlabelled_text_cols"] or o["text_cols"])
        _err(f"训练数据：{data.summary['file']}，{data.summary['rows']} 条，{len(data.summary['label_counts'])} 个标签")
        if o["cv_folds"] == 1 or o["cv_folds"] < 0:
            raise CommandError("--cv-folds 须为 0 或不小于 2")
        cfg = training.TrainConfig(FeatureConfig(), ModelConfig(kind=o["model_kind"]), cv_folds=o["cv_folds"],
                                   target_precision=o["target_precision"], pseudo_label=o["pseudo_label"],
                                   dense=not o["no_dense"], dense_weight=o["dense_weight"],
                                   dense_chars=o["dense_chars"])
        if o["dense_weight"] <= 0 or o["dense_chars"] < 1:
            raise CommandError("--dense-weight 须为正数，--dense-chars 须为正整数")
        model = training.train(data, o["task"], cfg, unlabelled, progress=_err)
        out = Path(o["out"] or Path(settings.BASE_DIR) / "var" / "models" / model.meta["version"])
        artefacts.save(model, out)
        cv = (model.meta["metrics"] or {}).get("cv") or {}
        _err(f"模型已保存：{out}（版本 {model.meta['version']}，交叉验证 macro-F1 {cv.get('macro_f1', '-')}，"
             f"拒答阈值 {model.threshold}）")
        if cv.get("dense"):
            _err(f"句向量模型 {model.encoder_id}：交叉验证 macro-F1 {cv['dense']['macro_f1']}，"
                 f"拒答阈值 {model.dense.threshold}")
        if not o["no_register"]:
            self._register(out, o["activate"])
        if o["json"]:
            self.stdout.write(json.dumps(model.meta, ensure_ascii=False))

    def _register(self, out: Path, activate: bool) -> None:
        from jiesu.intelligence import services

        try:
            mv = services.register_version(out)
            if activate:
                services.activate_version(mv.version, reason="训练后启用")
        except DatabaseError as exc:
            _err(f"未登记到数据库（{exc.__class__.__name__}；请先运行 jiesu migrate），模型文件已保存。")
            return
        _err(f"已登记版本 {mv.version}" + ("并启用" if activate else "；用 jiesu model activate 启用"))

    def _load(self, ref: str) -> artefacts.TextClassifier:
        if not Path(ref).is_dir():
            from jiesu.intelligence.queries import find_version

            mv = find_version(ref)
            if mv is None:
                raise CommandError(f"找不到模型目录或版本：{ref}")
            ref = mv.path
        return artefacts.load(ref)

    def _eval(self, o) -> None:  # type: ignore[no-untyped-def]
        model = self._load(o["model"])
        text_cols = o["text_cols"] or model.meta.get("text_cols")
        label_col = o["label_col"] or model.meta.get("label_col")
        if not text_cols or not label_col:
            raise CommandError("请用 --text-cols 和 --label-col 指定文本列和标签列")
        data = load_dataset(o["data"], text_cols, label_col)
        result = {"data": data.summary["file"], **training.evaluate(model, data, dense=not o["no_dense"])}
        cv = (model.meta.get("metrics") or {}).get("cv") or {}
        result["cv_macro_f1"] = ((cv.get("dense") if result.get("encoder") else cv) or {}).get("macro_f1")
        if o["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(f"{result['data']}: n={result['n']} macro-F1={result['macro_f1']} "
                          f"accuracy={result['accuracy']}")
        for label, m in result["per_label"].items():
            self.stdout.write(f"  {label}: P={m['precision']} R={m['recall']} F1={m['f1']} n={m['support']}")
        a = result["abstention"]
        self.stdout.write(f"拒答阈值 {a['threshold']}：覆盖率 {a['coverage']}，作答部分准确率 {a['precision_answered']}")

    def _list(self, o) -> None:  # type: ignore[no-untyped-def]
        from jiesu.intelligence.queries import versions

        rows = [{"task": v.task, "version": v.version, "active": v.is_active, "path": v.path,
                 "created_at": v.created_at.isoformat(), "threshold": v.threshold,
                 "cv_macro_f1": ((v.metrics or {}).get("cv") or {}).get("macro_f1"),
                 "rows": (v.data_summary or {}).get("rows")} for v in versions(o["task"])]
        if o["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("还没有登记的模型。用 jiesu model train 训练。")
        for r in rows:
            mark = "*" if r["active"] else " "
            self.stdout.write(f"{mark} {r['task']:8} {r['version']:36} macro-F1={r['cv_macro_f1']} "
                              f"rows={r['rows']} {r['path']}")

    def _activate(self, o) -> None:  # type: ignore[no-untyped-def]
        from jiesu.intelligence import services

        mv = services.activate_version(o["ref"], reason=o["reason"])
        self.stdout.write(f"已启用 {mv.task} 模型 {mv.version}")

    def _predict(self, o) -> None:  # type: ignore[no-untyped-def]
        from jiesu.intelligence import classifier

        if o["model"]:
            model = self._load(o["model"])
            cands = model.rank([o["text"]], top_k=o["top_k"])[0]
            pred = classifier.Prediction(cands, cands[0][1] < model.threshold, model.meta.get("version", ""))
        else:
            pred = classifier.predict(o["task"], o["text"], o["top_k"])
        self.stdout.write(json.dumps({"candidates": pred.candidates, "abstained": pred.abstained,
                                      "model_version": pred.model_version}, ensure_ascii=False))
