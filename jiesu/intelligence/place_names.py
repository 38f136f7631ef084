"""Named places that the regions table does not hold: estates, villages, roads, schools (丽发新城, 金鼎村, 汇金路).

``places.extract_place`` resolves the names of the regions table (district → street → community). Callers
also name places below or beside it — an estate, a road, a market — which no table lists and no library
resolves (../shared/docs/nlp-notes.md). These are found by their ending (小区, 花园, 村, 路 …); where the name
starts is decided by the corpus the text belongs to: of the candidate starts (2 to ``MAX_PREFIX`` characters
before the ending), the longest one that almost every text containing the shortest one also contains
(``KEEP_SHARE``). "反映春华镇" is rare where "春华镇" is common, so the name is 春华镇; "丽发新城" is as common
as "发新城", so the name is 丽发新城. Coded units of pseudonymised data (A市, A3区, K9县) and the regions
table's own names are cut out first: they are found by ``places`` and ``retrieval.analysis``, not here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from jiesu.intelligence.text import normalize

MAX_PREFIX = 6
KEEP_SHARE = 0.6
# Endings, longest first, with the rank of the place they end (lower = more specific, preferred as the key).
ENDINGS: dict[str, int] = {
    "小区": 0, "花园": 0, "家园": 0, "新城": 0, "新村": 0, "公寓": 0, "大厦": 0, "广场": 0, "山庄": 0, "公馆": 0,
    "华府": 0, "名城": 0, "苑": 0, "湾": 0, "小学": 1, "中学": 1, "学校": 1, "医院": 1, "市场": 1, "村": 1,
    "社区": 2, "大道": 3, "路": 3, "街": 3, "街道": 4, "镇": 4,
}
# Words with a place ending that name no particular place.
GENERIC = frozenset({
    "水泥路", "马路", "公路", "道路", "铁路", "出路", "思路", "线路", "高速公路", "农村", "乡村", "新农村", "全村",
    "本村", "该村", "城镇", "乡镇", "本小区", "该小区", "我们小区", "我小区", "整个小区", "老旧小区", "新小区",
    "附近小区", "周边小区", "居民小区", "住宅小区", "商业街", "步行街", "大街", "街道", "社区", "本社区",
    "该社区", "小学", "中学", "学校", "医院", "市场", "菜市场", "农贸市场", "房地产市场", "人民医院", "中心医院",
    "国际", "广场", "公寓", "花园", "家园", "小区", "新城", "府", "苑", "湾", "庭", "村", "镇", "乡", "路", "街",
    "大道", "红绿灯路", "十字路", "丁字路", "回家路", "上学路", "人行道路", "进村路", "村组", "一个小区",
})
# Coded units of pseudonymised exports (A市, A3区, K9县; the province written 西地省), not names of places.
CODED_UNIT = re.compile(r"[A-Z]\d*[省市县区]|西地省")
_NOT_NAME = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")
_ENDING = re.compile("|".join(sorted(map(re.escape, ENDINGS), key=len, reverse=True)))
# A name never starts with these (verbs and function words that precede a place in a sentence).
_BAD_START = frozenset("区道期下在的了与及或是到从向给对把被让使于为由将请问我你他她它们这那该本各每某个就也都又还再")
# Nor is it a sentence: these inside a candidate mean it runs past the name's start.
_NOT_INSIDE = re.compile(r"[的了是在与或及到从向给对把被让您你我他她该这那此]|政府|\d{3,}")
# Before 路 or 街 these make a verb or a phrase (跑路, 走路, 修路, 过马路, 上街), not a road's name.
_ROAD_PHRASE = frozenset("跑走让过修铺带引问退网套半思线门马公道通进出上回找拦堵挡")
# Words before an ending that make it a common phrase (安置小区, 影响小区), not a name.
_COMMON_PREFIX = frozenset({
    "安置", "影响", "导致", "进入", "现在", "附近", "周边", "整个", "所在", "我们", "你们", "他们", "这个", "那个",
    "一个", "各个", "每个", "所有", "其他", "旁边", "对面", "隔壁", "住在", "位于", "就是", "还是", "目前", "以前",
    "原来", "包括", "由于", "通往", "前往", "回到", "来到", "经过", "沿线", "路过", "靠近", "临近", "属于", "公交",
    "条线", "多条", "一条", "两条", "这条", "那条", "城市", "乡镇", "农村", "街道", "社区", "小区", "周围", "门口",
    "必经之", "快速", "断头", "城际", "过马", "行道", "区道", "条道", "进小", "出小", "全市", "全省", "全县",
    "投诉", "反映", "咨询", "举报", "关于", "建议", "请求", "希望", "要求", "强烈", "恳请", "请问", "询问", "距离",
    "离开", "搬到", "搬进", "入住", "购买", "买了", "租住", "居住", "家住", "住址", "地址", "路段", "一带",
    "外围", "老旧", "新建", "商品", "居民", "住宅", "回迁", "拆迁", "保障", "廉租", "公租", "培训", "实验",
    "两个", "几个", "国际", "多个", "严重",
})
# A place ending inside the prefix: two names side by side (西湖街道茶场村), each found on its own.
_INNER_PLACE = re.compile(r"小区|社区|街道|大道|[镇路街村]|家园|花园")
_PHASE = re.compile(r"(?:[一二三四五六七八九十\d]+期)+$")


@dataclass(frozen=True)
class NamedPlace:
    name: str  # as keyed: 丽发新城 (小区 and the phase 二期 dropped)
    rank: int  # 0 estate … 4 town; lower is more specific


def _runs(text: str, cut: Iterable[str] = ()) -> list[str]:
    text = normalize(text)
    text = CODED_UNIT.sub(" ", text)
    for name in cut:
        text = text.replace(name, " ")
    return [run for run in _NOT_NAME.split(text) if run]


def _candidates(run: str) -> list[tuple[int, list[str]]]:
    """For each ending in the run: its rank and the names it may end, shortest prefix first."""
    out = []
    previous_end = -1
    for match in _ENDING.finditer(run):
        end = match.end()
        if match.start() == previous_end:  # 丽发新城小区: 小区 extends the name just found
            previous_end = end
            continue
        previous_end = end
        names = []
        for start in range(match.start() - 2, max(-1, match.start() - MAX_PREFIX - 1), -1):
            prefix = run[start:match.start()]
            if not _may_be_name(prefix) or (match.group(0) in "路街" and prefix[-1] in _ROAD_PHRASE):
                break  # a longer candidate contains this one
            names.append(run[start:end])
        if names:
            out.append((ENDINGS[match.group(0)], names))
    return out


def _may_be_name(prefix: str) -> bool:
    """Whether the characters before an ending may be a name's own (not a sentence, another place or a phrase)."""
    return (prefix[0] not in _BAD_START and not _NOT_INSIDE.search(prefix) and not _INNER_PLACE.search(prefix)
            and not prefix.isascii() and not _PHASE.fullmatch(prefix) and prefix[-1] != "线"
            and not any(prefix.startswith(word) or prefix.endswith(word) for word in _COMMON_PREFIX))


def key_of(name: str) -> str:
    """丽发新城小区 → 丽发新城, 伊景园滨河苑二期 → 伊景园滨河苑 (the same place however it is written)."""
    key = _PHASE.sub("", name)
    if key.endswith("小区") and len(key) > 4:
        key = key[:-2]
    return key


class PlaceNameFinder:
    """Learns where names start from a corpus (``fit``), then finds the named places of each text."""

    def __init__(self, cut: Iterable[str] = ()) -> None:
        self.cut = sorted(set(cut), key=len, reverse=True)  # region names, found by ``places`` instead
        self.df: Counter[str] = Counter()

    def fit(self, texts: Iterable[str]) -> PlaceNameFinder:
        for text in texts:
            seen: set[str] = set()
            for run in _runs(text, self.cut):
                for _rank, names in _candidates(run):
                    seen.update(names)
            self.df.update(seen)
        return self

    def find(self, text: str) -> list[NamedPlace]:
        """The named places of ``text`` in order of appearance, generic words left out."""
        found: list[NamedPlace] = []
        for run in _runs(text, self.cut):
            for rank, names in _candidates(run):
                name = self._choose(names)
                if name and name not in GENERIC and key_of(name) not in GENERIC:
                    found.append(NamedPlace(key_of(name), rank))
        return found

    def _choose(self, names: list[str]) -> str:
        base = self.df.get(names[0], 0)
        chosen = names[0]
        if base < 2:
            return chosen
        for name in names[1:]:
            if self.df.get(name, 0) < KEEP_SHARE * base:
                break
            chosen = name
        return chosen
