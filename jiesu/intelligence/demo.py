"""Demo step: the demo city's past requests (an export of its earlier system, generated — demo data) and the
category and unit models trained on them, active, so the intake screen shows learned suggestions at once.

The history is generated from ``data/demo_history.json`` (templates per category, with the lead unit the
dispatch catalog names for it): about 700 short requests, the size a model needs to tell 30 categories apart.
Training is lexical (no sentence encoder), a few seconds; the artefact is kept under ``MODEL_DIR`` by the
fingerprint of the templates, so a second demo (or a fresh database) reuses it instead of training again.
Idempotent: a task whose active model was trained on this history is left alone; a city's own active model is
never replaced.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from django.conf import settings

from jiesu.intelligence import artefacts
from jiesu.intelligence.datasets import Dataset

HISTORY = Path(__file__).resolve().parent / "data" / "demo_history.json"
SOURCE = "demo-history"
PER_CATEGORY = 24
TASKS = ("category", "unit")


def history(seed: int = 15) -> list[tuple[str, str, str]]:
    """(text, category code, unit code) of the demo city's past requests, the same every time."""
    spec = json.loads(HISTORY.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    rows = []
    for code, category in spec["categories"].items():
        for i in range(PER_CATEGORY):
            template = category["templates"][i % len(category["templates"])]
            text = rng.choice(spec["prefixes"]) + template + "，" + rng.choice(spec["suffixes"])
            text = text.format(place=rng.choice(spec["places"]), n=rng.randint(2, 30), t=rng.randint(10, 16),
                               days=rng.randint(2, 20))
            rows.append((text.replace("，，", "，").rstrip("，"), code, category["unit"]))
    return rows


def dataset(task: str) -> Dataset:
    rows = history()
    labels = [category if task == "category" else unit for _, category, unit in rows]
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    summary = {"source": SOURCE, "rows": len(rows), "text_cols": ["text"], "label_col": task,
               "label_counts": counts, "note": "演示数据：由模板生成的往年工单，非真实诉求"}
    return Dataset([text for text, _, _ in rows], labels, summary)


def _demo_model_active(task: str) -> bool | None:
    """True: the demo model is active; False: another (a city's own) is; None: none is."""
    from jiesu.intelligence.queries import active_version

    mv = active_version(task)
    if mv is None:
        return None
    return (mv.data_summary or {}).get("source") == SOURCE


def fingerprint() -> str:
    import hashlib

    return hashlib.sha256(HISTORY.read_bytes() + f"{PER_CATEGORY}".encode()).hexdigest()[:12]


def train_demo_model(task: str) -> Any:
    from jiesu.intelligence.services import activate_version, register_version
    from jiesu.intelligence.topic_model import ModelConfig
    from jiesu.intelligence.training import TrainConfig, train

    out = Path(settings.MODEL_DIR) / f"demo-{task}-{fingerprint()}"
    try:
        artefacts.load(out)
    except artefacts.ArtefactError:
        model = train(dataset(task), task, TrainConfig(model=ModelConfig(calibration_folds=2), cv_folds=2, dense=False))
        artefacts.save(model, out)
    register_version(out)
    return activate_version(str(out), reason="演示城市：按演示历史工单训练")


def load(ctx: Any) -> None:
    trained = []
    for task in TASKS:
        if _demo_model_active(task) is None:
            mv = train_demo_model(task)
            f1 = ((mv.metrics or {}).get("cv") or {}).get("macro_f1")
            trained.append(f"{task}（交叉验证 macro-F1 {f1}）")
    rows = len(history())
    ctx.progress(f"演示历史工单 {rows} 件（模板生成）；启用模型：{'、'.join(trained) if trained else '已有，未重训'}")
