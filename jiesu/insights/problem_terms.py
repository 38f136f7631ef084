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

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize as l2_normalize

from jiesu.intelligence.features import tokens_of
from jiesu.intelligence.signatures import clean

DETAIL_CHARS = 120
MAX_DF = 0.25
MIN_PLACES_FOR_MAX_DF = 8
WORD_WEIGHT = 0.6  # of the vector's length; the bigrams get the rest
_CODED = re.compile(r"[A-Z]\d*[省市县区]|西地省")
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
    text = _CODED.sub(" ", text)
    for name in place_label.split(" · "):
        if len(name) >= 2:
            text = text.replace(f"{name}小区", " ").replace(name, " ")
    return text


def _words(text: str) -> list[str]:
    return [t for t in tokens_of(text, digits=False) if _WORDLIKE.match(t) and t not in _NOT_PROBLEM]


def _bigrams(text: str) -> list[str]:
    cleaned = clean(text)
    return [cleaned[i:i + 2] for i in range(len(cleaned) - 1) if not cleaned[i:i + 2].isdigit()]


def _weighted(docs: list[list[str]], places: Sequence[str]) -> tuple[sp.csr_matrix, np.ndarray]:
    """Sublinear TF × IDF over places; (matrix, vocabulary)."""
    counts = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, use_idf=False, norm=None, dtype=np.float32)
    tf = counts.fit_transform(docs).tocsr()
    vocabulary = counts.get_feature_names_out()
    keys = [key or f"#{row}" for row, key in enumerate(places)]
    index = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    by_place = sp.csr_matrix((np.ones(len(keys), dtype=np.float32), ([index[k] for k in keys], range(len(keys)))),
                             shape=(len(index), len(keys))) @ (tf > 0).astype(np.float32)
    df = np.asarray((by_place > 0).sum(axis=0)).ravel()
    idf = np.log((1 + len(index)) / (1 + df)) + 1.0
    if len(index) >= MIN_PLACES_FOR_MAX_DF:  # a handful of places: every term may matter
        idf[df > MAX_DF * len(index)] = 0.0
    return (tf @ sp.diags(idf.astype(np.float32))).tocsr(), vocabulary


class ProblemVectors:
    """Fits on the messages of one analysis; ``matrix`` rows are L2-normalised; ``terms(rows)`` describe a group.
    ``places``: each message's place key ("" none)."""

    def __init__(self, texts: Sequence[str], places: Sequence[str] | None = None) -> None:
        places = places if places is not None else [""] * len(texts)
        word_block, self.vocabulary = _weighted([_words(t) for t in texts], places)
        gram_block, _ = _weighted([_bigrams(t) for t in texts], places)
        self.word_block = l2_normalize(word_block)
        self.matrix = l2_normalize(sp.hstack([self.word_block * np.sqrt(WORD_WEIGHT),
                                              l2_normalize(gram_block) * np.sqrt(1 - WORD_WEIGHT)], format="csr"))

    def terms(self, rows: Sequence[int], count: int = 3) -> list[str]:
        """The words that most characterise these messages: highest mean weight, said by more than one if any."""
        block = self.word_block[list(rows)]
        weight = np.asarray(block.sum(axis=0)).ravel()
        said_by = np.asarray((block > 0).sum(axis=0)).ravel()
        if len(rows) > 1:
            weight = weight * (said_by > 1)
        order = np.argsort(-weight)
        out = [str(self.vocabulary[i]) for i in order[:count * 4] if weight[i] > 0
               and self.vocabulary[i] not in _NOT_PROBLEM]
        return out[:count]


def _identity(tokens: list[str]) -> list[str]:
    return tokens
