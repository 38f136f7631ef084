"""The dense half of retrieval: what the encoder sees of documents and queries, and how its cosine is fused
with BM25.

Fusion (measured on replies_dev.csv, docs/benchmarks.md): the lexical score divided by its best and the cosine
min-max scaled over the documents searched, summed as (1 − w) · lexical + w · dense. Rank fusion (RRF) was
weaker. Documents without a vector (added while no encoder was available) get the lexical part only.
"""

from __future__ import annotations

import numpy as np

from jiesu.intelligence.text import normalize


def document_text(title: str, text: str) -> str:
    return normalize(f"{title} {text}")


def query_text(title: str, text: str) -> str:
    return normalize(f"{title} {text}")


def fuse(lexical: np.ndarray, cosine: np.ndarray, allowed: np.ndarray, weight: float,
         has_vector: np.ndarray | None = None) -> np.ndarray:
    """(1 − weight) · lexical ÷ its best + weight · cosine min-max scaled, over the ``allowed`` rows (and of
    those, the rows that have a vector)."""
    lexical = np.asarray(lexical, dtype=np.float64)
    cosine = np.asarray(cosine, dtype=np.float64)
    if not allowed.any():
        return lexical
    scaled = allowed if has_vector is None else allowed & has_vector
    best = max(float(lexical[allowed].max()), 1e-9)
    dense = np.zeros_like(cosine)
    if scaled.any():
        low, high = float(cosine[scaled].min()), float(cosine[scaled].max())
        dense = np.where(scaled, (cosine - low) / (high - low) if high > low else 1.0, 0.0)
    return (1.0 - weight) * lexical / best + weight * dense


def present(vectors: np.ndarray) -> np.ndarray:
    """Rows that hold a vector (a document added without one has a row of zeros)."""
    return np.asarray(np.abs(vectors).sum(axis=1) > 0)


def with_vectors(current: np.ndarray | None, current_id: str, rows: int, added: int,
                 vectors: np.ndarray | None, encoder_id: str) -> tuple[np.ndarray | None, str]:
    """The index's vector matrix after adding ``added`` documents to ``rows`` (zeros for those without)."""
    if vectors is None and current is None:
        return None, current_id
    if vectors is not None:
        if len(vectors) != added:
            raise ValueError(f"{added} documents but {len(vectors)} vectors")
        if current is not None and current_id and encoder_id and encoder_id != current_id:
            raise ValueError(f"vectors of {encoder_id} cannot join an index of {current_id}: rebuild it")
        current_id = current_id or encoder_id
    dim = (vectors if vectors is not None else current).shape[1]  # type: ignore[union-attr]
    old = current if current is not None else np.zeros((rows, dim), dtype=np.float32)
    new = vectors if vectors is not None else np.zeros((added, dim), dtype=np.float32)
    return np.vstack([old, np.asarray(new, dtype=np.float32)]), current_id
