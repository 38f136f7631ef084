"""Training and evaluating text classifiers (topic, unit, category) on ticket history.

With the sentence encoder available (and ``TrainConfig.dense``), every text's vector (through the vector
cache: the first run encodes, later runs read) is a feature block beside TF-IDF; the artefact then holds the
dense estimator and the lexical one, both cross-validated (topic_features.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold

from jiesu.intelligence import artefacts
from jiesu.intelligence.artefacts import TextClassifier
from jiesu.intelligence.datasets import Dataset, DatasetError
from jiesu.intelligence.features import FeatureConfig, TextFeaturizer, looks_presegmented
from jiesu.intelligence.topic_features import DenseBlock, stack, text_vectors
from jiesu.intelligence.topic_model import ModelConfig, build_estimator

Progress = Callable[[str], None]


@dataclass
class TrainConfig:
    features: FeatureConfig = field(default_factory=FeatureConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    cv_folds: int = 3
    target_precision: float = 0.95
    pseudo_label: bool = False  # self-training on the unlabelled texts (measured: it did not help)
    pseudo_label_min_prob: float = 0.9
    seed: int = 0
    dense: bool = True  # add the sentence encoder's vectors as features when an encoder is available
    dense_weight: float = 1.0  # scale of the vector block against the TF-IDF blocks
    dense_chars: int = 128  # characters of each text the encoder reads (as the intake screen sends them)


class Stopwatch:
    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress or (lambda _msg: None)
        self.start = self.last = time.perf_counter()

    def step(self, message: str) -> None:
        now = time.perf_counter()
        self.progress(f"[{now - self.start:6.1f}s] {message}（用时 {now - self.last:.1f}s）")
        self.last = now

    @property
    def total(self) -> float:
        return time.perf_counter() - self.start


def scores(y_true, y_pred) -> dict:  # type: ignore[no-untyped-def]
    """macro_f1, accuracy, n and per-label precision/recall/F1/support."""
    labels = sorted(set(y_true) | set(y_pred))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    return {
        "macro_f1": round(float(f1_score(y_true, y_pred, labels=sorted(set(y_true)), average="macro",
                                         zero_division=0)), 4),
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
        "n": len(y_true),
        "per_label": {lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                            "f1": round(float(f[i]), 4), "support": int(s[i])} for i, lab in enumerate(labels)},
    }


def choose_threshold(top_prob: np.ndarray, correct: np.ndarray, target: float) -> dict:
    """The lowest top-probability threshold whose answered part reaches ``target`` precision (max coverage)."""
    order = np.argsort(-top_prob)
    hits = np.cumsum(correct[order])
    precision = hits / np.arange(1, len(order) + 1)
    ok = np.flatnonzero(precision >= target)
    if len(ok) == 0:
        threshold, answered = 1.0, 0
    else:
        answered = int(ok[-1]) + 1
        threshold = float(top_prob[order][answered - 1])
    answered_mask = top_prob >= threshold
    return {
        "threshold": round(threshold, 4),
        "target_precision": target,
        "coverage": round(float(answered_mask.mean()), 4),
        "precision_answered": round(float(correct[answered_mask].mean()) if answered_mask.any() else 0.0, 4),
    }


def _fit(cfg: TrainConfig, docs, y, presegmented, unlabelled_docs=None, watch=None,  # type: ignore[no-untyped-def]
         vectors=None):
    featurizer = TextFeaturizer(cfg.features)
    X = featurizer.fit_transform_tokens(docs, presegmented=presegmented, extra_docs=unlabelled_docs)
    dense = None
    if vectors is not None:
        block, encoder_id = vectors
        dense = DenseBlock(build_estimator(cfg.model).fit(stack(X, block, cfg.dense_weight), y), encoder_id,
                           cfg.dense_weight, cfg.dense_chars)
    estimator = build_estimator(cfg.model).fit(X, y)
    if unlabelled_docs and cfg.pseudo_label:
        U = featurizer.transform_tokens(unlabelled_docs)
        probs = estimator.predict_proba(U)
        confident = probs.max(axis=1) >= cfg.pseudo_label_min_prob
        pseudo = estimator.classes_[probs.argmax(axis=1)][confident]
        if watch:
            watch.step(f"自训练：{int(confident.sum())}/{len(unlabelled_docs)} 条未标注留言获得伪标签")
        estimator = build_estimator(cfg.model).fit(sp.vstack([X, U[confident]]), np.concatenate([y, pseudo]))
    return TextClassifier(featurizer, estimator, dense=dense)


def duplicate_groups(docs: list[list[str]]) -> np.ndarray:
    """One group per distinct text, so copies of a message never sit on both sides of a fold."""
    ids: dict[str, int] = {}
    return np.array([ids.setdefault(" ".join(doc), len(ids)) for doc in docs])


def cross_validate(cfg: TrainConfig, docs, y, presegmented, unlabelled_docs=None, watch=None,  # type: ignore[no-untyped-def]
                   vectors=None) -> dict:
    """Out-of-fold scores and the abstention threshold chosen on the out-of-fold probabilities; with
    ``vectors`` (array, encoder id) also those of the dense estimator, under ``"dense"``."""
    folds = StratifiedGroupKFold(cfg.cv_folds, shuffle=True, random_state=cfg.seed)
    classes = np.array(sorted(set(y)))
    probs = np.zeros((len(y), len(classes)))
    dense_probs = np.zeros_like(probs) if vectors is not None else None
    for k, (tr, te) in enumerate(folds.split(np.zeros(len(y)), y, duplicate_groups(docs))):
        fold_vectors = (vectors[0][tr], vectors[1]) if vectors is not None else None
        model = _fit(cfg, [docs[i] for i in tr], y[tr], presegmented, unlabelled_docs, vectors=fold_vectors)
        cols = np.searchsorted(classes, model.estimator.classes_)
        X = model.featurizer.transform_tokens([docs[i] for i in te])
        probs[np.ix_(te, cols)] = model.estimator.predict_proba(X)
        if dense_probs is not None:
            dense_probs[np.ix_(te, cols)] = model.dense.estimator.predict_proba(
                stack(X, vectors[0][te], cfg.dense_weight))
        if watch:
            watch.step(f"交叉验证第 {k + 1}/{cfg.cv_folds} 折")
    result = _oof_result(cfg, classes, probs, y)
    if dense_probs is not None:
        result["dense"] = _oof_result(cfg, classes, dense_probs, y)
    return result


def _oof_result(cfg: TrainConfig, classes: np.ndarray, probs: np.ndarray, y: np.ndarray) -> dict:
    pred = classes[probs.argmax(axis=1)]
    result = {"folds": cfg.cv_folds, **scores(list(y), list(pred))}
    result["abstention"] = choose_threshold(probs.max(axis=1), pred == y, cfg.target_precision)
    return result


def train(dataset: Dataset, task: str, cfg: TrainConfig | None = None, unlabelled: Dataset | None = None,
          progress: Progress | None = None) -> TextClassifier:
    cfg = cfg or TrainConfig()
    if task not in artefacts.TASKS:
        raise DatasetError(f"未知任务 {task}，可选：{'、'.join(artefacts.TASKS)}")
    y = np.array(dataset.labels, dtype=object)
    counts = dataset.summary.get("label_counts", {})
    if len(counts) < 2:
        raise DatasetError("训练数据至少需要两个不同的标签")
    watch = Stopwatch(progress)
    featurizer = TextFeaturizer(cfg.features)
    docs = featurizer.tokenize_all(dataset.texts)
    presegmented = looks_presegmented(dataset.texts)
    unlabelled_docs = featurizer.tokenize_all(unlabelled.texts) if unlabelled else None
    watch.step(f"分词 {len(docs)} 条{'（已分词语料）' if presegmented else ''}"
               + (f"，未标注 {len(unlabelled_docs)} 条" if unlabelled_docs else ""))
    vectors = _vectors(cfg, dataset.texts, presegmented, watch) if cfg.dense else None
    cv = None
    folds = min(cfg.cv_folds, min(counts.values()))
    if folds >= 2:
        cfg.cv_folds = folds
        cv = cross_validate(cfg, docs, y, presegmented, unlabelled_docs, watch, vectors)
    model = _fit(cfg, docs, y, presegmented, unlabelled_docs, watch, vectors)
    watch.step("在全部数据上训练最终模型" + ("（词法与句向量两个模型）" if vectors is not None else ""))
    model.threshold = cv["abstention"]["threshold"] if cv else 0.5
    if model.dense is not None:
        model.dense.threshold = cv["dense"]["abstention"]["threshold"] if cv else 0.5
    model.meta = _meta(task, dataset, unlabelled, cfg, cv, model, presegmented, watch.total)
    return model


def _vectors(cfg: TrainConfig, texts: list[str], presegmented: bool, watch: Stopwatch):  # type: ignore[no-untyped-def]
    """(vectors, encoder id) of the training texts, encoded once and then read from the cache; None when no
    encoder is available here (the model is then lexical only, and says so in its meta)."""
    def report(done: int, total: int) -> None:
        if done == total or done % 256 == 0:
            watch.progress(f"句向量编码 {done}/{total}（未缓存的文本）")

    found = text_vectors(texts, presegmented, cfg.dense_chars, progress=report)
    watch.step(f"句向量 {len(texts)} 条" if found is not None else "没有可用的句向量模型：只用词法特征")
    return found


def _meta(task, dataset, unlabelled, cfg, cv, model, presegmented, seconds) -> dict:  # type: ignore[no-untyped-def]
    return {
        "task": task,
        "version": artefacts.new_version(task),
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "labels": model.labels,
        "threshold": model.threshold,
        "text_cols": dataset.summary.get("text_cols", []),
        "label_col": dataset.summary.get("label_col", ""),
        "training_data": {**dataset.summary, "presegmented": presegmented},
        "unlabelled_data": unlabelled.summary if unlabelled else None,
        "metrics": {"cv": cv},
        "config": asdict(cfg),
        "training_seconds": round(seconds, 1),
        "encoder": model.encoder_id or None,
        "dense_threshold": model.dense.threshold if model.dense is not None else None,
        "libraries": artefacts.library_versions(),
    }


def evaluate(model: TextClassifier, dataset: Dataset, dense: bool = True) -> dict:
    """Scores of ``model`` on ``dataset``; a model with a dense block is evaluated with the texts' vectors
    (encoded through the cache) when the same encoder is available and ``dense``."""
    vectors = None
    if dense and model.dense is not None:
        found = text_vectors(dataset.texts, looks_presegmented(dataset.texts), model.dense.chars)
        vectors = found[0] if found is not None and found[1] == model.encoder_id else None
    threshold = model.threshold_for(vectors)
    ranked = model.rank(dataset.texts, top_k=1, vectors=vectors)
    pred = [r[0][0] for r in ranked]
    top = np.array([r[0][1] for r in ranked])
    result = scores(dataset.labels, pred)
    answered = top >= threshold
    correct = np.array(pred, dtype=object) == np.array(dataset.labels, dtype=object)
    result["abstention"] = {
        "threshold": threshold,
        "coverage": round(float(answered.mean()), 4),
        "precision_answered": round(float(correct[answered].mean()) if answered.any() else 0.0, 4),
    }
    result["model_version"] = model.meta.get("version", "")
    result["encoder"] = model.encoder_id if vectors is not None else None
    return result
