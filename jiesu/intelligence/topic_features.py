"""The sentence encoder as a feature block of the text classifiers.

A ticket's encoder vector (the query side of the model, cut to ``chars`` characters; a segmented corpus is
joined back into prose first) is appended to its TF-IDF features, scaled by ``weight``. A model trained so
keeps a second, lexical estimator beside it: predictions without a vector (the encoder is busy, absent, or
the fast path of the intake screen) use that one, each with its own abstention threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from jiesu.intelligence.encoder import prepare
from jiesu.intelligence.features import joined_words


def encoder_texts(texts: Sequence[str], presegmented: bool, max_chars: int) -> list[str]:
    """What the encoder reads of each text: prose (a segmented corpus joined again), cut to ``max_chars``."""
    return [prepare(joined_words(t) if presegmented else t, max_chars) for t in texts]


def text_vectors(texts: Sequence[str], presegmented: bool, chars: int,
                 progress: Callable[[int, int], None] | None = None) -> tuple[np.ndarray, str] | None:
    """(vectors, encoder model id) of ``texts`` through the vector cache; None without an encoder."""
    from jiesu.intelligence.embeddings import embed
    from jiesu.intelligence.encoder import get_encoder

    encoder = get_encoder()
    if encoder is None:
        return None
    vectors = embed(encoder_texts(texts, presegmented, chars), query=True, progress=progress)
    assert vectors is not None
    return vectors, encoder.model_id


def stack(features: sp.csr_matrix, vectors: np.ndarray, weight: float) -> sp.csr_matrix:
    return sp.hstack([features, sp.csr_matrix(np.asarray(vectors, dtype=np.float32) * weight)], format="csr")


@dataclass
class DenseBlock:
    """The estimator on TF-IDF + encoder vectors, and what its vectors must come from."""

    estimator: Any
    encoder_id: str
    weight: float
    chars: int
    threshold: float = 0.0
