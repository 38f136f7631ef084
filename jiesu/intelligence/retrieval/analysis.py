"""How documents and queries become tokens: cleaned text, character n-grams and words."""

from __future__ import annotations

import re

from jiesu.intelligence.text import normalize, segment

# Long digit runs are phone numbers, ticket and ID numbers: one symbol, so they neither match nor dominate.
_LONG_DIGITS = re.compile(r"\d{5,}|\d*\*{2,}\d*")
# Anything that is not a letter or digit separates n-gram runs (punctuation, spaces, quotes).
_SEPARATORS = re.compile(r"[^\w]+|_")
# Coded administrative units (A市, J11市, A3区) as in pseudonymised data and internal abbreviations.
_PLACE_CODE = re.compile(r"[A-Z]\d*[省市县区]")


def clean(text: str | None) -> str:
    """Normalised text with long digit runs replaced by ``#``."""
    return _LONG_DIGITS.sub("#", normalize(text))


def runs(text: str) -> list[str]:
    """Maximal runs of letters and digits of already cleaned text."""
    return [run for run in _SEPARATORS.split(text) if run]


def char_ngrams(text: str, n: int) -> list[str]:
    """Character n-grams inside each run (no n-gram crosses punctuation); runs shorter than n count whole."""
    grams: list[str] = []
    for run in runs(text):
        if len(run) < n:
            if n <= 2:
                grams.append(run)
            continue
        grams.extend(run[i : i + n] for i in range(len(run) - n + 1))
    return grams


def words(text: str) -> list[str]:
    """Segmented words, punctuation dropped."""
    return [w for w in segment(text) if not _SEPARATORS.fullmatch(w)]


class PlaceTable:
    """Which administrative places a cleaned text names, as *keys* that two texts share when they are about the
    same place. Coded units (A市) are their own key. A city's names map to the codes of the region and of its
    ancestors below the city (``intelligence.places.place_keys``), so "阳光新城小区" and "铁西区" share the
    district's key while "铁东区" shares none."""

    def __init__(self, keys: dict[str, list[str]] | None = None):
        self.keys: dict[str, tuple[str, ...]] = {name: tuple(codes) for name, codes in (keys or {}).items()}
        alternatives = sorted(self.keys, key=lambda n: (-len(n), n))  # the longest name at each position
        self.pattern = re.compile("|".join(map(re.escape, alternatives))) if alternatives else None

    def find(self, text: str) -> frozenset[str]:
        found = set(_PLACE_CODE.findall(text))
        if self.pattern is not None:
            for match in self.pattern.finditer(text):
                found.update(self.keys[match.group(0)])
        return frozenset(found)



ANALYZERS = {
    "c1": lambda text: char_ngrams(text, 1),
    "c2": lambda text: char_ngrams(text, 2),
    "c3": lambda text: char_ngrams(text, 3),
    "c4": lambda text: char_ngrams(text, 4),
    "w": words,
}


def analyze(text: str, analyzer: str) -> list[str]:
    return ANALYZERS[analyzer](text)
