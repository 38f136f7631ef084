"""A trained text classifier as a versioned directory: model.joblib plus a readable meta.json."""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np

MODEL_FILE = "model.joblib"
META_FILE = "meta.json"
TASKS = ("topic", "unit", "category")


class ArtefactError(ValueError):
    """A model directory that is missing or unreadable."""


@dataclass
class TextClassifier:
    featurizer: Any
    estimator: Any
    threshold: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)
    dense: Any = None  # topic_features.DenseBlock when trained with the sentence encoder

    @property
    def labels(self) -> list[str]:
        return [str(c) for c in self.estimator.classes_]

    @property
    def encoder_id(self) -> str:
        return self.dense.encoder_id if self.dense is not None else ""

    def uses(self, vectors: np.ndarray | None, encoder_id: str = "") -> bool:
        """Whether predictions with these vectors (of the model ``encoder_id``) go through the dense block."""
        return self.dense is not None and vectors is not None and (not encoder_id or encoder_id == self.encoder_id)

    def threshold_for(self, vectors: np.ndarray | None, encoder_id: str = "") -> float:
        return self.dense.threshold if self.uses(vectors, encoder_id) else self.threshold

    def predict_proba(self, texts: list[str], vectors: np.ndarray | None = None, encoder_id: str = "") -> np.ndarray:
        """Class probabilities (columns as ``labels``); with ``vectors`` (one per text, the encoder's query
        vectors) the dense block's estimator, else the lexical one."""
        features = self.featurizer.transform(texts)
        if self.uses(vectors, encoder_id):
            from jiesu.intelligence.topic_features import stack

            probs = self.dense.estimator.predict_proba(stack(features, vectors, self.dense.weight))  # type: ignore[arg-type]
            return probs[:, np.searchsorted(self.dense.estimator.classes_, self.estimator.classes_)]
        return self.estimator.predict_proba(features)

    def rank(self, texts: list[str], top_k: int = 3, vectors: np.ndarray | None = None,
             encoder_id: str = "") -> list[list[tuple[str, float]]]:
        """The ``top_k`` most probable labels of each text, best first."""
        probs = self.predict_proba(texts, vectors, encoder_id)
        labels = self.labels
        out = []
        for row in probs:
            order = np.argsort(-row)[:top_k]
            out.append([(labels[i], round(float(row[i]), 4)) for i in order])
        return out


def new_version(task: str) -> str:
    return f"{task}-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S-%f')[:-3]}"


def library_versions() -> dict[str, str]:
    import scipy
    import sklearn

    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "numpy": np.__version__, "scipy": scipy.__version__, "joblib": joblib.__version__}


def save(model: TextClassifier, out_dir: str | Path) -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, out / MODEL_FILE, compress=3)
    (out / META_FILE).write_text(json.dumps(model.meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def read_meta(model_dir: str | Path) -> dict[str, Any]:
    path = Path(model_dir) / META_FILE
    if not path.is_file():
        raise ArtefactError(f"模型目录中没有 {META_FILE}：{model_dir}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ArtefactError(f"{path} 不是有效的 JSON") from exc


def load(model_dir: str | Path) -> TextClassifier:
    path = Path(model_dir) / MODEL_FILE
    if not path.is_file():
        raise ArtefactError(f"找不到模型文件：{path}")
    try:
        model = joblib.load(path)
    except Exception as exc:  # pickles from another library version fail in many ways
        raise ArtefactError(f"无法读取模型文件 {path}（{exc.__class__.__name__}）") from exc
    if not isinstance(model, TextClassifier):
        raise ArtefactError(f"{path} 不是 jiesu 的文本分类模型")
    return model
