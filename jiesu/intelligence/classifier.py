"""Predicting a ticket's topic (or unit, category) with the active model of the task.

The model is loaded once per process and reloaded when another version becomes active; the active version
is looked up at most every ``CHECK_SECONDS`` (activation in this process takes effect at once).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from jiesu.intelligence import artefacts
from jiesu.intelligence.artefacts import TextClassifier

CHECK_SECONDS = 5.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prediction:
    candidates: list[tuple[str, float]] = field(default_factory=list)
    abstained: bool = True
    model_version: str = ""

    @property
    def label(self) -> str | None:
        """The best label, or None when the model abstains or there is none."""
        return None if self.abstained or not self.candidates else self.candidates[0][0]


@dataclass
class _Loaded:
    version: str
    model: TextClassifier | None
    checked_at: float


_cache: dict[str, _Loaded] = {}
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def active_model(task: str) -> tuple[str, TextClassifier | None]:
    with _lock:
        loaded = _cache.get(task)
        if loaded and time.monotonic() - loaded.checked_at < CHECK_SECONDS:
            return loaded.version, loaded.model
        from jiesu.intelligence.queries import active_version

        mv = active_version(task)
        version = mv.version if mv else ""
        if loaded is None or loaded.version != version:
            loaded = _Loaded(version, _load(mv.path) if mv else None, 0.0)
            _cache[task] = loaded
        loaded.checked_at = time.monotonic()
        return loaded.version, loaded.model


def _load(path: str) -> TextClassifier | None:
    try:
        return artefacts.load(path)
    except artefacts.ArtefactError:
        log.exception("active model at %s cannot be loaded", path)
        return None


def predict(task: str, text: str, top_k: int = 3, vector: Any = None, encoder_id: str = "") -> Prediction:
    """The active model's candidates; with the text's encoder ``vector`` (of the model ``encoder_id``) a model
    trained with the encoder uses its dense block, otherwise its lexical one (each with its threshold)."""
    version, model = active_model(task)
    if model is None or not (text or "").strip():
        return Prediction(model_version=version)
    vectors = None if vector is None else np.asarray(vector, dtype=np.float32).reshape(1, -1)
    candidates = model.rank([text], top_k=top_k, vectors=vectors, encoder_id=encoder_id)[0]
    return Prediction(candidates, candidates[0][1] < model.threshold_for(vectors, encoder_id), version)


def uses_encoder(task: str) -> bool:
    """Whether the active model of ``task`` was trained with the sentence encoder."""
    return active_model(task)[1] is not None and bool(active_model(task)[1].encoder_id)  # type: ignore[union-attr]


def predict_topic(text: str, top_k: int = 3) -> Prediction:
    """Top candidate topics with calibrated probabilities; ``abstained`` below the model's threshold."""
    return predict("topic", text, top_k)
