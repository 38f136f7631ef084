"""What a message complains of, as a vector: TF-IDF of its words and character bigrams, places cut out.

The words are the intelligence package's (``features.tokens_of``, rjieba with the regions table's names);
the bigrams (of ``signatures.clean``: numbers masked, punctuation dropped) catch wordings the segmenter cuts
differently (搅拌站/搅拌厂, 噪音/噪声 share 搅拌 and 噪). The title counts twice and the detail is cut to
``DETAIL_CHARS``: the title says the problem, the detail's tail tells a story that differs from caller to
caller. The place is cut out of the text, so that two problems at one estate are not made alike by its name
(the place is matched exactly, by the block).

The inverse document frequency counts *places*, not messages (a message without a place is its own place):
a hot problem's words are said by many people at one estate, and counted per message they would look common
precisely because the problem is hot (停水 in forty messages from one estate). Words said at more than
``MAX_DF`` of the places (问题, 反映, 尽快) carry no problem and are dropped.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize as l2_normalize

from jiesu.intelligence.features import tokens_of
from jiesu.intelligence.place_names import CODED_UNIT
from jiesu.intelligence.signatures import clean

DETAIL_CHARS = 120
MAX_DF = 0.25
MIN_PLACES_FOR_MAX_DF = 8
WORD_WEIGHT = 0.6  # of the vector's length; the bigrams get the rest
_WORDLIKE = re.compile(r"^[\u4e00-\u9fff]{2,}$|^[A-Za-z]{3,}$")
# Words that say nothing of the problem (requests, politeness, the place's kind), left out of the vectors.
_NOT_PROBLEM = frozenset({
    "问题", "反映", "投诉", "咨询", "建议", "关于", "请求", "希望", "要求", "解决", "尽快", "相关", "部门", "领导",
    "请问", "您好", "你好", "谢谢", "感谢", "市民", "居民", "我们", "他们", "现在", "目前", "什么", "怎么", "为什么",
    "是否", "能否", "何时", "如何", "严重", "一直", "已经", "没有", "情况", "举报", "强烈", "恳请", "政府", "有关",
    "处理", "小区", "社区", "业主", "附近", "周边", "这个", "一个", "时候", "影响", "生活", "现象", "存在", "进行",
    "能够", "可以", "还是", "就是", "因为", "所以", "但是", "而且", "非常", "特别", "真的", "一下",
})


def problem_text(title: str, detail: str, place_label: str = "") -> str:
    text = f"{title} {title} {title} {detail[:DETAIL_CHARS]}"
    text = CODED_UNIT.sub(" ", text)
    for name in place_label.split(" · "):
        if len(name) >= 2:
            text = text.replace(f"{name}小区", " ").replace(name, " ")
    return text


def _words(text: str) -> list[str]:
    return [t for t in tokens_of(text, digits=False) if _WORDLIKE.match(t) and t not in _NOT_PROBLEM]


def _bigrams(text: str) -> list[str]:
    cleaned = clean(text)
    return [cleaned[i:i + 2] for i in range(len(cleaned) - 1) if not cleaned[i:i + 2].isdigit()]


def _idf_over_places(tf: sp.csr_matrix, places: Sequence[str]) -> np.ndarray:
    keys = [key or f"#{row}" for row, key in enumerate(places)]
    index = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    by_place = sp.csr_matrix((np.ones(len(keys), dtype=np.float32), ([index[k] for k in keys], range(len(keys)))),
                             shape=(len(index), len(keys))) @ (tf > 0).astype(np.float32)
    df = np.asarray((by_place > 0).sum(axis=0)).ravel()
    idf = np.log((1 + len(index)) / (1 + df)) + 1.0
    if len(index) >= MIN_PLACES_FOR_MAX_DF:  # a handful of places: every term may matter
        idf[df > MAX_DF * len(index)] = 0.0
    return idf.astype(np.float32)


class _Field:
    """One token stream's vocabulary and IDF: sublinear TF × IDF over places."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray) -> None:
        self.vocabulary, self.idf = vocabulary, idf

    @classmethod
    def fit(cls, docs: list[list[str]], places: Sequence[str]) -> tuple[_Field, sp.csr_matrix]:
        counts = CountVectorizer(analyzer=_identity, dtype=np.float32)
        tf = _sublinear(counts.fit_transform(docs))
        field = cls({str(t): int(i) for t, i in counts.vocabulary_.items()}, _idf_over_places(tf, places))
        return field, (tf @ sp.diags(field.idf)).tocsr()

    def transform(self, docs: list[list[str]]) -> sp.csr_matrix:
        """Terms outside the fitted vocabulary are left out."""
        counts = CountVectorizer(analyzer=_identity, dtype=np.float32, vocabulary=self.vocabulary)
        return (_sublinear(counts.transform(docs)) @ sp.diags(self.idf)).tocsr()


def _sublinear(counts: sp.spmatrix) -> sp.csr_matrix:
    tf = sp.csr_matrix(counts, dtype=np.float32)
    tf.data = 1.0 + np.log(tf.data)
    return tf


class ProblemSpace:
    """The fitted vocabularies and IDF of one analysis (or rebuild): turns texts into problem vectors, the same
    way later (new tickets joining stored issues), until the next rebuild refits it."""

    def __init__(self, words: _Field, grams: _Field) -> None:
        self.words, self.grams = words, grams
        self.terms_by_index = np.array(sorted(words.vocabulary, key=words.vocabulary.__getitem__), dtype=object)

    @classmethod
    def fit(cls, texts: Sequence[str], places: Sequence[str]) -> tuple[ProblemSpace, sp.csr_matrix, sp.csr_matrix]:
        """The space and, for ``texts``, (matrix, word block)."""
        words, word_tf = _Field.fit([_words(t) for t in texts], places)
        grams, gram_tf = _Field.fit([_bigrams(t) for t in texts], places)
        space = cls(words, grams)
        return space, *space._combine(word_tf, gram_tf)

    def transform(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        if not texts:
            empty = sp.csr_matrix((0, len(self.words.vocabulary) + len(self.grams.vocabulary)), dtype=np.float32)
            return empty, sp.csr_matrix((0, max(len(self.words.vocabulary), 1)), dtype=np.float32)
        return self._combine(self.words.transform([_words(t) for t in texts]),
                             self.grams.transform([_bigrams(t) for t in texts]))

    def _combine(self, word_tf: sp.csr_matrix, gram_tf: sp.csr_matrix) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        word_block = l2_normalize(word_tf)
        matrix = l2_normalize(sp.hstack([word_block * np.sqrt(WORD_WEIGHT),
                                         l2_normalize(gram_tf) * np.sqrt(1 - WORD_WEIGHT)], format="csr"))
        return matrix, word_block

    def terms(self, word_block: sp.csr_matrix, count: int = 3) -> list[str]:
        """The words that most characterise these rows: highest summed weight, said by more than one if any."""
        block = word_block.tocsc()
        columns = np.flatnonzero(np.diff(block.indptr))  # words said at all: few, the vocabulary is large
        weight = np.asarray(block[:, columns].sum(axis=0)).ravel()
        if word_block.shape[0] > 1:
            weight = weight * (np.diff(block.indptr)[columns] > 1)
        order = np.argsort(-weight)[:count]
        return [str(self.terms_by_index[columns[i]]) for i in order if weight[i] > 0]

    def to_bytes(self) -> bytes:
        data = {"words": [self.words.vocabulary, self.words.idf.tolist()],
                "grams": [self.grams.vocabulary, self.grams.idf.tolist()]}
        return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def from_bytes(cls, raw: bytes) -> ProblemSpace:
        data = json.loads(zlib.decompress(bytes(raw)).decode("utf-8"))
        fields = [_Field(vocabulary, np.asarray(idf, dtype=np.float32)) for vocabulary, idf in
                  (data["words"], data["grams"])]
        return cls(*fields)


class ProblemVectors:
    """The messages of one analysis as problem vectors: ``matrix`` rows L2-normalised, ``terms(rows)`` describe a
    group. ``places``: each message's place key ("" none), over which the IDF counts."""

    def __init__(self, texts: Sequence[str], places: Sequence[str] | None = None) -> None:
        places = places if places is not None else [""] * len(texts)
        self.space, self.matrix, self.word_block = ProblemSpace.fit(texts, places)

    def terms(self, rows: Sequence[int], count: int = 3) -> list[str]:
        return self.space.terms(self.word_block[list(rows)], count)


def _identity(tokens: list[str]) -> list[str]:
    return tokens
