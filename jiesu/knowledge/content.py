"""An article's text: sanitised rich text, its plain text, and the short spoken answer read to a caller."""

from __future__ import annotations

import html
import re

import nh3

from jiesu.intelligence.pii import ID_CARD, LONG_NUMBER, MOBILE, PLATE, personal_data_to_mask
from jiesu.intelligence.text import normalize

ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "b", "i", "table", "thead",
                "tbody", "tr", "th", "td", "a", "blockquote"}
_BLOCK_END = re.compile(r"</(p|h\d|li|tr|blockquote)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]?")
SPOKEN_CHARS = 120


def sanitize_html(raw: str) -> str:
    """Rich text with only harmless tags kept (no scripts, styles or event handlers); plain text becomes <p>s."""
    raw = (raw or "").strip()
    if raw and "<" not in raw:
        raw = "".join(f"<p>{html.escape(line.strip())}</p>" for line in raw.splitlines() if line.strip())
    return nh3.clean(raw, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noopener noreferrer")


def plain_text(clean_html: str) -> str:
    """The text of sanitised HTML, one line per block."""
    text = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", clean_html)))
    return "\n".join(normalize(line) for line in text.splitlines() if line.strip())


_HALF_PUNCT = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_NEAR_HAN = re.compile(r"(?<=[\u4e00-\u9fff）])[,:;?!()]|[,:;?!()](?=[\u4e00-\u9fff（])")


def chinese_punctuation(text: str) -> str:
    """Full-width punctuation back between Chinese characters (NFKC made it ASCII), for reading and display."""
    return _HALF_NEAR_HAN.sub(lambda m: _HALF_PUNCT[m.group(0)], text)


def spoken_text(text: str, limit: int = SPOKEN_CHARS) -> str:
    """The first whole sentences of ``text`` that fit in ``limit`` characters (at least one, cut if too long)."""
    out = ""
    for sentence in _SENTENCE.findall(normalize(text.replace("\n", "。") if "\n" in text else text)):
        sentence = sentence.strip()
        if not sentence or sentence in "。":
            continue
        if out and len(out) + len(sentence) > limit:
            break
        out += sentence
    if len(out) > limit:
        out = out[: limit - 1] + "…"
    return chinese_punctuation(out.replace("。。", "。"))


_PLACEHOLDERS = {MOBILE: "[手机号]", ID_CARD: "[身份证号]", PLATE: "[车牌号]", LONG_NUMBER: "[号码]"}


def without_personal_numbers(text: str) -> str:
    """``text`` with mobile and ID numbers, plates and other 15–19 digit numbers (an ID number mistyped, a bank
    card) replaced by a placeholder — whatever ``pii.personal_data_to_mask`` finds, except landlines.

    Landlines stay: in an article they are nearly always a service number (the heating company's line).
    Safe on sanitised HTML, whose tags never hold such numbers.
    """
    text = text or ""
    out, last = [], 0
    for item in personal_data_to_mask(text):
        if item.kind in _PLACEHOLDERS:
            out += [text[last : item.start], _PLACEHOLDERS[item.kind]]
            last = item.end
    return "".join([*out, text[last:]])


def body_snippet(text: str, terms: tuple[str, ...] | list[str], width: int = 110) -> str:
    """About ``width`` characters of an article's text around the first query word found; "" if none is there."""
    flat = " ".join((text or "").split())
    hits = [flat.find(term) for term in terms if term and term in flat]
    if not hits:
        return ""
    start = max(0, min(hits) - width // 4)
    piece = flat[start : start + width]
    return chinese_punctuation(("…" if start else "") + piece + ("…" if start + width < len(flat) else ""))
