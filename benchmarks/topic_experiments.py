"""Feature and model experiments for the topic classifier (Teddy Cup 2020 C data), one JSON line each.

    .venv/bin/python benchmarks/topic_experiments.py --data-dir ../shared/data/teddy2020c --features char13_word --models svc_bal calibrated_svc
    ... --unlabelled messages_unlabelled.csv messages_with_votes.csv replies_dev.csv --use-unlabelled idf

Each experiment reports: k-fold cross-validation (copies of a message kept in one fold) on topic_train_segmented.csv (macro-F1, accuracy) and the
raw-text check: train on the training rows that are *not* copies of topic_dev_raw.csv messages (almost all
of its 449 messages are also in the training file) and predict topic_dev_raw's raw subject + detail.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedGroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.topic_data import DEV_TEXT_COLS, load_teddy, overlap_with_dev  # noqa: E402
from jiesu.intelligence.datasets import load_dataset  # noqa: E402
from jiesu.intelligence.features import FeatureConfig, TextFeaturizer  # noqa: E402
from jiesu.intelligence.topic_model import ModelConfig, build_estimator  # noqa: E402
from jiesu.intelligence.training import duplicate_groups  # noqa: E402

FEATURES: dict[str, FeatureConfig] = {
    "char13": FeatureConfig(use_words=False),
    "char13_filter": FeatureConfig(use_words=False, vocab_filter="on"),
    "char13_word": FeatureConfig(),  # the product's default
    "char13_word_filter": FeatureConfig(vocab_filter="on"),  # the default before (filter on pre-segmented text)
    "char13_word_nomax": FeatureConfig(max_char_features=None),
    "char13_word_w05": FeatureConfig(word_weight=0.5),
    "char13_word_w2": FeatureConfig(word_weight=2.0),
    "char14_word": FeatureConfig(char_ngrams=(1, 4), max_char_features=None),
    "char13_word12": FeatureConfig(word_ngrams=(1, 2)),
    "char13_word_nodigits": FeatureConfig(keep_digits=False),
}
MODELS: dict[str, ModelConfig] = {
    "svc": ModelConfig(kind="svc", class_weight=None),
    "svc_c1": ModelConfig(kind="svc", svc_c=1.0, class_weight=None),
    "svc_c025": ModelConfig(kind="svc", svc_c=0.25, class_weight=None),
    "svc_bal": ModelConfig(kind="svc", class_weight="balanced"),
    "ridge": ModelConfig(kind="ridge", class_weight=None),
    "lr": ModelConfig(kind="lr", class_weight=None),
    "sgd": ModelConfig(kind="sgd", class_weight=None),
    "cnb": ModelConfig(kind="cnb"),
    "ensemble": ModelConfig(kind="ensemble"),
    "calibrated_svc": ModelConfig(kind="calibrated_svc"),  # the product's default
    "nbsvm": ModelConfig(kind="nbsvm"),
    "nbsvm_c01": ModelConfig(kind="nbsvm", svc_c=0.1),
    "ensemble_nb": ModelConfig(kind="ensemble_nb"),
    "svc_sgd": ModelConfig(kind="svc_sgd"),
}


def _scores(y_true, y_pred) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return {"macro_f1": round(float(f1_score(y_true, y_pred, average="macro")), 4),
            "accuracy": round(float(accuracy_score(y_true, y_pred)), 4)}


UNLABELLED: list[list[str]] = []
PSEUDO_MIN_PROB = 0.9
USE_UNLABELLED = {"idf": False, "pseudo": True}


def _fold_predictions(fcfg, models, train_docs, y_train, test_docs):  # type: ignore[no-untyped-def]
    """Fit the featurizer once, then every model on the same features: {model: (predictions, fit seconds)}.

    With unlabelled messages (--unlabelled), each model is refitted once with the messages it labels with
    probability >= PSEUDO_MIN_PROB (self-training).
    """
    t0 = time.perf_counter()
    feat = TextFeaturizer(fcfg)
    X = feat.fit_transform_tokens(train_docs, presegmented=True,
                                  extra_docs=UNLABELLED if USE_UNLABELLED["idf"] else None)
    T = feat.transform_tokens(test_docs)
    U = feat.transform_tokens(UNLABELLED) if UNLABELLED and USE_UNLABELLED["pseudo"] else None
    feat_seconds = time.perf_counter() - t0
    out = {}
    for name in models:
        t1 = time.perf_counter()
        model = build_estimator(MODELS[name]).fit(X, y_train)
        if U is not None:
            probs = model.predict_proba(U)
            sure = probs.max(axis=1) >= PSEUDO_MIN_PROB
            pseudo = model.classes_[probs.argmax(axis=1)][sure]
            print(f"  {name}: {int(sure.sum())} pseudo-labelled", file=sys.stderr, flush=True)
            model = build_estimator(MODELS[name]).fit(sp.vstack([X, U[sure]]), np.concatenate([y_train, pseudo]))
        out[name] = (model.predict(T), feat_seconds + time.perf_counter() - t1)
    return out


def run(feature: str, models: list[str], data, folds: int) -> list[dict]:  # type: ignore[no-untyped-def]
    fcfg = FEATURES[feature]
    docs, y, dev_docs, dev_y, keep = data
    pred = {m: np.empty(len(y), dtype=object) for m in models}
    splits = StratifiedGroupKFold(folds, shuffle=True, random_state=0).split(docs, y, duplicate_groups(docs))
    for k, (tr, te) in enumerate(splits):
        print(f"[{feature}] fold {k + 1}/{folds}", file=sys.stderr, flush=True)
        for m, (p, _) in _fold_predictions(fcfg, models, [docs[i] for i in tr], y[tr], [docs[i] for i in te]).items():
            pred[m][te] = p
    print(f"[{feature}] dev check", file=sys.stderr, flush=True)
    dev = _fold_predictions(fcfg, models, [docs[i] for i in keep], y[keep], dev_docs)
    tag = f"+idf-on-unlabelled({len(UNLABELLED)})" if UNLABELLED and USE_UNLABELLED["idf"] else ""
    tag += f"+self-training({len(UNLABELLED)}, p>={PSEUDO_MIN_PROB})" if UNLABELLED and USE_UNLABELLED["pseudo"] else ""
    return [{"features": feature, "model": m + tag, "cv_folds": folds, "cv": _scores(y, pred[m]),
             "dev_raw_heldout": _scores(dev_y, dev[m][0]),
             f"fit_seconds_{len(keep)}_rows": round(dev[m][1], 1)} for m in models]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--features", nargs="+", default=["char13_word"], choices=list(FEATURES))
    parser.add_argument("--models", nargs="+", default=["svc", "lr", "ensemble"], choices=list(MODELS))
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--unlabelled", nargs="*", default=[], help="raw message files (留言主题, 留言详情)")
    parser.add_argument("--pseudo-min-prob", type=float, default=0.9)
    parser.add_argument("--use-unlabelled", choices=["pseudo", "idf", "both"], default="pseudo",
                        help="self-training, vocabulary/IDF fitted on them too, or both")
    args = parser.parse_args()
    texts, y, dev_texts, dev_y = load_teddy(args.data_dir)
    feat = TextFeaturizer(FeatureConfig())
    docs, dev_docs = feat.tokenize_all(texts), feat.tokenize_all(dev_texts)
    keep = np.flatnonzero(~overlap_with_dev(docs, dev_docs))
    global PSEUDO_MIN_PROB
    PSEUDO_MIN_PROB = args.pseudo_min_prob
    USE_UNLABELLED.update(idf=args.use_unlabelled in ("idf", "both"), pseudo=args.use_unlabelled in ("pseudo", "both"))
    for name in args.unlabelled:
        unl = feat.tokenize_all(load_dataset(args.data_dir / name, DEV_TEXT_COLS).texts)
        copies = overlap_with_dev(unl, dev_docs)  # never self-train on the dev check's own messages
        UNLABELLED.extend(d for d, c in zip(unl, copies, strict=True) if not c)
        print(f"{name}: {len(unl)} messages, {int(copies.sum())} are dev messages (left out)", file=sys.stderr)
    print(f"{len(docs)} training rows, {len(docs) - len(keep)} are copies of dev messages", file=sys.stderr)
    for feature in args.features:
        for result in run(feature, args.models, (docs, y, dev_docs, dev_y, keep), args.folds):
            print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
