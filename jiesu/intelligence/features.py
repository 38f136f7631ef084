"""Turning ticket text into the features the text classifiers use.

Training history may be published already segmented with stop words removed (the Teddy Cup data), while
new tickets arrive raw. ``TextFeaturizer`` makes both look alike: it segments every text the same way, drops
punctuation, and builds TF-IDF of character n-grams of the joined words plus TF-IDF of the words. It can also
keep only the words seen in training (``vocab_filter="on"``), which drops the stop words the publisher removed;
measured on raw text this did not help (docs/benchmarks.md), so it is off by default. The vocabulary and IDF
may be fitted on unlabelled text as well (``fit_tokens(..., extra_docs=...)``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from jiesu.intelligence.text import mask_digits, normalize, segment

_PUNCT_ONLY = re.compile(r"^[\W_]+$")


def looks_presegmented(texts: Sequence[str], sample: int = 500) -> bool:
    """True when most texts are space-separated words without punctuation (published, cleaned corpora)."""
    picked = [normalize(t) for t in texts[:sample] if t]
    if not picked:
        return False
    spaced = sum(1 for t in picked if t.count(" ") >= max(2, len(t) // 8))
    punct = sum(1 for t in picked if any(ch in t for ch in "，。！？、,"))
    return spaced >= 0.8 * len(picked) and punct <= 0.2 * len(picked)


def tokens_of(text: str, *, digits: bool = True) -> list[str]:
    """Words of ``text`` without punctuation; digit runs masked unless ``digits``."""
    text = normalize(text)
    if not digits:
        text = mask_digits(text)
    return [t for t in segment(text) if not _PUNCT_ONLY.match(t)]


_SPACE_NOT_BETWEEN_LATIN = re.compile(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])")


def joined_words(text: str) -> str:
    """A segmented text written as prose again (spaces kept only between Latin letters or digits), so that a
    sentence encoder trained on running text reads the published, segmented corpora as it reads new tickets."""
    return _SPACE_NOT_BETWEEN_LATIN.sub("", normalize(text))


@dataclass
class FeatureConfig:
    char_ngrams: tuple[int, int] = (1, 3)
    word_ngrams: tuple[int, int] = (1, 1)
    use_words: bool = True
    char_weight: float = 1.0
    word_weight: float = 1.0
    min_df: int = 2
    max_char_features: int | None = 400_000
    vocab_filter: str = "off"  # "auto" (when pre-segmented), "on", "off"
    keep_digits: bool = True


class TextFeaturizer(BaseEstimator, TransformerMixin):
    def __init__(self, config: FeatureConfig | None = None) -> None:
        self.config = config

    @property
    def cfg(self) -> FeatureConfig:
        return self.config or FeatureConfig()

    def tokenize_all(self, texts: Iterable[str]) -> list[list[str]]:
        return [tokens_of(t, digits=self.cfg.keep_digits) for t in texts]

    def fit(self, texts: Sequence[str], y=None):  # type: ignore[no-untyped-def]
        self.fit_tokens(self.tokenize_all(texts), presegmented=looks_presegmented(texts))
        return self

    def fit_tokens(self, docs: list[list[str]], *, presegmented: bool,
                   extra_docs: list[list[str]] | None = None) -> TextFeaturizer:
        """Fit on ``docs``; ``extra_docs`` (unlabelled text) only widen the vocabulary and the IDF."""
        self.fit_transform_tokens(docs, presegmented=presegmented, extra_docs=extra_docs)
        return self

    def fit_transform_tokens(self, docs: list[list[str]], *, presegmented: bool,
                             extra_docs: list[list[str]] | None = None) -> sp.csr_matrix:
        """``fit_tokens`` and the features of ``docs`` in one pass (the char n-grams are the slow part)."""
        cfg = self.cfg
        mode = cfg.vocab_filter
        self.filter_vocab_ = mode == "on" or (mode == "auto" and presegmented)
        counts: Counter[str] = Counter(tok for doc in docs for tok in set(doc))
        self.vocab_ = frozenset(counts) if self.filter_vocab_ else frozenset()
        all_docs = self.filter(docs) + self.filter(extra_docs or [])
        self.char_ = TfidfVectorizer(
            analyzer="char", ngram_range=cfg.char_ngrams, sublinear_tf=True, min_df=cfg.min_df,
            max_features=cfg.max_char_features, dtype=np.float32,
        )
        blocks = [self.char_.fit_transform(self._char_docs(all_docs))[: len(docs)] * cfg.char_weight]
        self.word_ = None
        if cfg.use_words:
            self.word_ = TfidfVectorizer(
                analyzer=_identity, ngram_range=(1, 1), sublinear_tf=True, min_df=cfg.min_df, dtype=np.float32,
            )
            blocks.append(self.word_.fit_transform(self._word_docs(all_docs))[: len(docs)] * cfg.word_weight)
        return sp.hstack(blocks, format="csr")

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self.transform_tokens(self.tokenize_all(texts))

    def transform_tokens(self, docs: list[list[str]]) -> sp.csr_matrix:
        docs = self.filter(docs)
        blocks = [self.char_.transform(self._char_docs(docs)) * self.cfg.char_weight]
        if self.word_ is not None:
            blocks.append(self.word_.transform(self._word_docs(docs)) * self.cfg.word_weight)
        return sp.hstack(blocks, format="csr")

    def filter(self, docs: list[list[str]]) -> list[list[str]]:
        if not self.filter_vocab_:
            return docs
        vocab = self.vocab_
        return [[t for t in doc if t in vocab] for doc in docs]

    def _char_docs(self, docs: list[list[str]]) -> list[str]:
        return ["".join(doc) for doc in docs]

    def _word_docs(self, docs: list[list[str]]) -> list[list[str]]:
        lo, hi = self.cfg.word_ngrams
        if (lo, hi) == (1, 1):
            return docs
        out = []
        for doc in docs:
            grams = list(doc) if lo == 1 else []
            for n in range(max(lo, 2), hi + 1):
                grams += ["_".join(doc[i : i + n]) for i in range(len(doc) - n + 1)]
            out.append(grams)
        return out


def _identity(tokens: list[str]) -> list[str]:
    return tokens
