"""Signatures of a ticket's text for finding repeats among a million tickets with index lookups only.

Two kinds of keys (63-bit integers) are stored per ticket, each an equality lookup in the database:

* **Segment keys** find every near-exact repeat, guaranteed: the cleaned text (length n) is cut into
  ``tolerance(n) + 1`` pieces. A text within ``tolerance(n)`` character edits (insertions, deletions,
  substitutions) keeps at least one piece intact, found in the new text shifted by at most the edits before
  it (pigeonhole, as in the PassJoin similarity join). The query side hashes, for every stored length that
  could be within reach, the substrings at those shifted positions; no randomness, no misses.
* **Band keys** (MinHash LSH over character 3-grams) find reworded texts about the same problem with a
  probability that grows with their overlap; they are a net for more than small edits, not a guarantee.

The cleaned text drops what callers change without meaning to: width and case (NFKC), whitespace,
punctuation, and numbers (phone numbers, house numbers, dates all become one "0", and 十四度 reads as 14度).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

from jiesu.intelligence.text import chinese_numbers_as_digits, mask_digits

SHORT_TOLERANCE = 3  # edits always found in texts under LONG_TEXT characters
LONG_TOLERANCE = 5  # edits always found in longer texts
LONG_TEXT = 100
MIN_CHARS = 4  # shorter texts get no segment keys (every piece would be one character)
MAX_CHARS = 2000  # longer texts are cut (a repeat differs in its first 2,000 characters too)
SHINGLE = 3
BANDS = 10
ROWS = 3
NUM_PERM = BANDS * ROWS
_PRIME = np.uint64(4294967311)  # a prime above 2**32: (a*x + b) stays under 2**64 for 32-bit a, x
_rng = np.random.default_rng(20201212)  # fixed: stored and new signatures must use the same permutations
_A = _rng.integers(1, 2**32 - 1, NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 2**32 - 1, NUM_PERM, dtype=np.uint64)
_DROP = re.compile(r"[\W_]+", re.UNICODE)


def clean(text: str) -> str:
    """The text as compared: NFKC, lower case, numbers (in digits or Chinese numerals) masked, no whitespace or
    punctuation."""
    text = chinese_numbers_as_digits(unicodedata.normalize("NFKC", text or "").lower())
    return _DROP.sub("", mask_digits(text))[:MAX_CHARS]


def tolerance(length: int) -> int:
    return SHORT_TOLERANCE if length < LONG_TEXT else LONG_TOLERANCE


def _key(*parts: object) -> int:
    digest = hashlib.blake2b("|".join(map(str, parts)).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _pieces(length: int) -> list[tuple[int, int]]:
    """(start, size) of the pieces of a text of ``length``: tolerance + 1 pieces, as even as possible."""
    count = tolerance(length) + 1
    base, extra = divmod(length, count)
    starts, position = [], 0
    for index in range(count):
        size = base + (1 if index >= count - extra else 0)
        starts.append((position, size))
        position += size
    return starts


def segment_keys(cleaned: str) -> list[int]:
    """The keys stored for a text: one per piece, naming the length, the piece number and its characters."""
    if len(cleaned) < MIN_CHARS:
        return []
    return [_key("s", len(cleaned), index, cleaned[start:start + size])
            for index, (start, size) in enumerate(_pieces(len(cleaned)))]


def segment_probes(cleaned: str) -> set[int]:
    """The keys to look up for a new text: every stored text within its tolerance shares one of them."""
    m = len(cleaned)
    probes: set[int] = set()
    for n in range(max(MIN_CHARS, m - LONG_TOLERANCE), min(MAX_CHARS, m + LONG_TOLERANCE) + 1):
        tau, delta = tolerance(n), m - n
        if abs(delta) > tau:
            continue
        for index, (start, size) in enumerate(_pieces(n)):
            for shift in range(-tau, tau + 1):
                # edits before the piece move it by ``shift``, edits after it account for the rest of delta
                if abs(shift) + abs(delta - shift) > tau or not 0 <= start + shift <= m - size:
                    continue
                probes.add(_key("s", n, index, cleaned[start + shift:start + shift + size]))
    return probes


def minhash(cleaned: str) -> np.ndarray:
    """NUM_PERM minimum hashes of the text's character 3-grams (uint32); all 2**32-1 for an empty text."""
    shingles = {cleaned[i:i + SHINGLE] for i in range(max(1, len(cleaned) - SHINGLE + 1))} if cleaned else set()
    if not shingles:
        return np.full(NUM_PERM, 2**32 - 1, dtype=np.uint32)
    values = np.fromiter((zlib.crc32(s.encode("utf-8")) for s in shingles), dtype=np.uint64, count=len(shingles))
    hashed = (np.outer(values, _A) + _B) % _PRIME
    return (hashed.min(axis=0) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def band_keys(signature: np.ndarray) -> list[int]:
    rows = signature.reshape(BANDS, ROWS)
    return [_key("b", band, rows[band].tobytes().hex()) for band in range(BANDS)]


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


@dataclass(frozen=True)
class Signature:
    cleaned: str
    minhash: np.ndarray
    keys: list[int]  # segment keys then band keys, as stored

    @property
    def minhash_bytes(self) -> bytes:
        return self.minhash.astype("<u4").tobytes()


def signature_of(title: str, content: str) -> Signature:
    cleaned = clean(f"{title} {content}")
    sig = minhash(cleaned)
    keys = list(dict.fromkeys(segment_keys(cleaned) + (band_keys(sig) if cleaned else [])))
    return Signature(cleaned, sig, keys)


def minhash_from_bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype="<u4")


def text_similarity(a: str, b: str) -> float:
    """Exact Jaccard of the character 2-grams of two cleaned texts (for ranking the few candidates)."""
    grams_a = {a[i:i + 2] for i in range(max(1, len(a) - 1))} if a else set()
    grams_b = {b[i:i + 2] for i in range(max(1, len(b) - 1))} if b else set()
    if not grams_a or not grams_b:
        return 0.0
    return len(grams_a & grams_b) / len(grams_a | grams_b)
