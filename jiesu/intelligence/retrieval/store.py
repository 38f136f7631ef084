"""Saving and loading a RetrievalIndex, and the product's current index (``similar_cases``).

Layout of an index directory: ``meta.json`` (format, parameters, re-ranker, per-field vocabularies),
``docs.jsonl`` (one document per line, in row order, with an ``active`` flag), ``tf_<field>.npz``
(term frequencies), ``lengths.npy`` (log length of each document's cleaned text) and, for a dense index,
``vectors.npy`` (one float32 encoder vector per row, memory-mapped on load; ``encoder`` in meta.json names
the model they come from, and an index whose model differs from this process's encoder is searched
lexically). Saving writes a sibling temporary directory and swaps it in, so a reader never sees
half an index.
"""

from __future__ import annotations

import json
import shutil
import threading
from dataclasses import asdict, fields
from pathlib import Path

import numpy as np
from scipy import sparse

from jiesu.intelligence.retrieval.analysis import clean
from jiesu.intelligence.retrieval.bm25 import BM25Field
from jiesu.intelligence.retrieval.documents import Document, Hit
from jiesu.intelligence.retrieval.index import FIELDS, Params, RetrievalIndex
from jiesu.intelligence.retrieval.rerank import Reranker

FORMAT = 1


def save(index: RetrievalIndex, directory: str | Path) -> Path:
    directory = Path(directory)
    temporary = directory.with_name(directory.name + ".tmp")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    meta = {
        "format": FORMAT,
        "params": asdict(index.params),
        "reranker": index.reranker.to_json() if index.reranker else None,
        "dense_reranker": index.dense_reranker.to_json() if index.dense_reranker else None,
        "encoder": index.encoder_id if index.vectors is not None else "",
        "vocab": {name: list(index.fields[name].vocab) for name in FIELDS},
    }
    (temporary / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    with (temporary / "docs.jsonl").open("w", encoding="utf-8") as out:
        for doc, active in zip(index.docs, index.active, strict=True):
            out.write(json.dumps({**doc.to_json(), "active": bool(active)}, ensure_ascii=False) + "\n")
    for name in FIELDS:
        sparse.save_npz(temporary / f"tf_{name}.npz", index.fields[name].term_frequencies())
    np.save(temporary / "lengths.npy", index.lengths)
    if index.vectors is not None:
        np.save(temporary / "vectors.npy", np.asarray(index.vectors, dtype=np.float32))
    old = directory.with_name(directory.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if directory.exists():
        directory.rename(old)
    temporary.rename(directory)
    shutil.rmtree(old, ignore_errors=True)
    return directory


def load(directory: str | Path) -> RetrievalIndex:
    directory = Path(directory)
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise ValueError(f"索引格式不兼容，请重建索引：{directory}")
    known = {f.name for f in fields(Params)}  # an index saved by an older version may carry retired parameters
    index = RetrievalIndex(Params(**{k: v for k, v in meta["params"].items() if k in known}))
    field_state = BM25Field(index.params.k1, index.params.b, index.params.max_df).state()
    for name in FIELDS:
        tf = sparse.load_npz(directory / f"tf_{name}.npz").tocsr()
        index.fields[name] = BM25Field.restore(field_state, meta["vocab"][name], tf)
    with (directory / "docs.jsonl").open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    index.docs = [Document.from_json(record) for record in records]
    index.active = np.array([record.get("active", True) for record in records], dtype=bool)
    index.rows = {doc.doc_id: row for row, doc in enumerate(index.docs) if index.active[row]}
    index.lengths = np.load(directory / "lengths.npy")
    index.places = [index.places_of(clean(f"{doc.title} {doc.text}")) for doc in index.docs]
    index.reranker = Reranker.from_json(meta["reranker"]) if meta.get("reranker") else None
    index.dense_reranker = Reranker.from_json(meta["dense_reranker"]) if meta.get("dense_reranker") else None
    if meta.get("encoder") and (directory / "vectors.npy").exists():
        index.vectors = np.load(directory / "vectors.npy", mmap_mode="r")
        index.encoder_id = meta["encoder"]
    return index


def product_index_dir() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "index" / "retrieval"


_cache: dict[str, tuple[float, RetrievalIndex]] = {}
_cache_lock = threading.Lock()


def current_index() -> RetrievalIndex | None:
    """The product's saved index, reloaded when a newer one has been saved; None when there is none yet."""
    directory = product_index_dir()
    meta = directory / "meta.json"
    try:
        stamp = meta.stat().st_mtime
    except FileNotFoundError:
        return None
    with _cache_lock:
        cached = _cache.get(str(directory))
        if cached is None or cached[0] != stamp:
            cached = (stamp, load(directory))
            _cache[str(directory)] = cached
        return cached[1]


def similar_cases(title: str, text: str = "", k: int = 5, kinds: list[str] | None = None,
                  vector: np.ndarray | None = None, encoder_id: str = "") -> list[Hit]:
    """Most similar past replies and articles for a message; [] when no index has been built yet.

    ``vector`` (the message's encoder vector, from the model ``encoder_id``) makes the search dense when the
    index was built with the same model; otherwise it is lexical."""
    index = current_index()
    if index is None:
        return []
    usable = vector if vector is not None and encoder_id and encoder_id == index.encoder_id else None
    return index.search(title, text, k=k, kinds=kinds, vector=usable)
