"""Vectors of texts, computed once: an on-disk cache keyed by the hash of the text, per encoder model.

``embed(texts, query=…)`` returns the vectors of the texts, encoding only those not seen before (in batches,
with progress) and appending them to the cache. Encoding is slow on a CPU (a few texts a second per core), so
indexes and training runs share the cache: a model retrained on the same history, or an index rebuilt, costs
no encoding. The cache lives outside the repository (``settings.ENCODER_CACHE_DIR``, by default
``var/cache/encoder``), one folder per model id and role (query / passage), two append-only files: ``keys``
(16-byte BLAKE2 digests of the prepared text) and ``vectors.f32`` (one row of ``dim`` float32 per key).
Appends take a file lock, so processes may share it; a reader sees whole rows only.
"""

from __future__ import annotations

import fcntl
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from jiesu.intelligence.encoder import Encoder, get_encoder, prepare

KEY_BYTES = 16
Progress = Callable[[int, int], None]


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=KEY_BYTES).digest()


class VectorCache:
    def __init__(self, directory: str | Path, dim: int) -> None:
        self.directory = Path(directory)
        self.dim = dim
        self._rows: dict[bytes, int] = {}
        self._seen_bytes = 0
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    @property
    def _keys_path(self) -> Path:
        return self.directory / "keys"

    @property
    def _vectors_path(self) -> Path:
        return self.directory / "vectors.f32"

    def _refresh(self) -> None:
        """Read keys appended since the last look (by this or another process) and re-map the vectors."""
        try:
            size = self._keys_path.stat().st_size
            rows_on_disk = min(size // KEY_BYTES, self._vectors_path.stat().st_size // (4 * self.dim))
        except FileNotFoundError:
            return
        if rows_on_disk * KEY_BYTES <= self._seen_bytes:
            return
        with self._keys_path.open("rb") as keys:
            keys.seek(self._seen_bytes)
            fresh = keys.read(rows_on_disk * KEY_BYTES - self._seen_bytes)
        first = self._seen_bytes // KEY_BYTES
        for offset in range(0, len(fresh), KEY_BYTES):
            self._rows.setdefault(fresh[offset : offset + KEY_BYTES], first + offset // KEY_BYTES)
        self._seen_bytes = rows_on_disk * KEY_BYTES
        self._vectors = np.memmap(self._vectors_path, dtype=np.float32, mode="r", shape=(rows_on_disk, self.dim))

    def __len__(self) -> int:
        with self._lock:
            self._refresh()
            return len(self._rows)

    def lookup(self, keys: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """(found mask, vectors with zeros where not found)."""
        with self._lock:
            self._refresh()
            rows = np.array([self._rows.get(key, -1) for key in keys], dtype=np.int64)
            out = np.zeros((len(keys), self.dim), dtype=np.float32)
            found = rows >= 0
            if found.any() and self._vectors is not None:
                out[found] = self._vectors[rows[found]]
            return found, out

    def append(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if not len(keys):
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / "lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                rows = self._aligned_rows()
                with self._vectors_path.open("r+b" if self._vectors_path.exists() else "wb") as out:
                    out.seek(rows * 4 * self.dim)
                    out.write(vectors.tobytes())
                    out.truncate()
                with self._keys_path.open("r+b" if self._keys_path.exists() else "wb") as out:
                    out.seek(rows * KEY_BYTES)  # vectors first: a reader counts only rows with both
                    out.write(b"".join(keys))
                    out.truncate()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _aligned_rows(self) -> int:
        """Whole rows present in both files (a write interrupted by a crash leaves a tail that is overwritten)."""
        sizes = [p.stat().st_size if p.exists() else 0 for p in (self._keys_path, self._vectors_path)]
        return min(sizes[0] // KEY_BYTES, sizes[1] // (4 * self.dim))


_caches: dict[tuple[str, str, bool], VectorCache] = {}
_caches_lock = threading.Lock()


def cache_dir() -> Path:
    from django.conf import settings

    return Path(getattr(settings, "ENCODER_CACHE_DIR", Path(settings.VAR_DIR) / "cache" / "encoder"))


def cache_for(encoder: Encoder, *, query: bool, directory: Path | None = None) -> VectorCache:
    root = directory or cache_dir()
    key = (str(root), encoder.model_id, query)
    with _caches_lock:
        if key not in _caches:
            _caches[key] = VectorCache(root / encoder.model_id / ("query" if query else "passage"), encoder.dim)
        return _caches[key]


def embed(texts: Sequence[str], *, query: bool, max_chars: int = 0, encoder: Encoder | None = None,
          batch: int = 16, progress: Progress | None = None, cache: VectorCache | None = None) -> np.ndarray | None:
    """Vectors of ``texts`` (prepared: normalised, cut to ``max_chars``), from the cache or encoded now and
    cached; None when no encoder is available. Identical texts are encoded once."""
    encoder = encoder or get_encoder()
    if encoder is None:
        return None
    prepared = [prepare(text, max_chars) for text in texts]
    keys = [text_key(text) for text in prepared]
    store = cache if cache is not None else cache_for(encoder, query=query)
    found, out = store.lookup(keys)
    missing: dict[bytes, list[int]] = {}
    for row in np.flatnonzero(~found):
        missing.setdefault(keys[row], []).append(int(row))
    todo = list(missing)
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        vectors = encoder.encode([prepared[missing[key][0]] for key in chunk], query=query)
        store.append(chunk, vectors)
        for key, vector in zip(chunk, vectors, strict=True):
            out[missing[key]] = vector
        if progress:
            progress(min(start + batch, len(todo)), len(todo))
    return out


def cached_only(texts: Sequence[str], *, query: bool, max_chars: int = 0,
                encoder: Encoder | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """(found mask, vectors) from the cache alone, never encoding (for paths that must not wait for it)."""
    encoder = encoder or get_encoder()
    if encoder is None:
        return None
    keys = [text_key(prepare(text, max_chars)) for text in texts]
    return cache_for(encoder, query=query).lookup(keys)


_QUERY_MEMORY = 512  # recent query vectors kept in memory (drafts are re-sent while the operator types)
_queries: OrderedDict[tuple[str, bytes], np.ndarray] = OrderedDict()
_queries_lock = threading.Lock()


def query_vector(text: str, max_chars: int, encoder: Encoder | None = None) -> tuple[np.ndarray, str] | None:
    """(vector, encoder model id) of one query — a draft being typed, a citizen's question — from a small
    in-memory cache keyed by the prepared text, else encoded now (≈ 0.1–0.3 s). Queries are not written to
    the disk cache: they are personal text that the index does not need to keep."""
    encoder = encoder or get_encoder()
    prepared = prepare(text, max_chars)
    if encoder is None or not prepared:
        return None
    key = (encoder.model_id, text_key(prepared))
    with _queries_lock:
        if key in _queries:
            _queries.move_to_end(key)
            return _queries[key], encoder.model_id
    vector = encoder.encode([prepared], query=True)[0]
    with _queries_lock:
        _queries[key] = vector
        while len(_queries) > _QUERY_MEMORY:
            _queries.popitem(last=False)
    return vector, encoder.model_id
