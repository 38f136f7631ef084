"""Text normalisation and segmentation shared by every model and index."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable

import rjieba

_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
# Excel and some exports write a carriage return as the literal "_x000D_".
_EXCEL_CR = re.compile(r"_x000[dD]_")
# Starred digits as the published data masks phone numbers (138****5678).
_STARRED_DIGITS = re.compile(r"(?<=\d)\*+(?=\d)|(?<=\d)\*+|\*+(?=\d)")

USER_WORD_FREQ = 200_000
_dictionary_lock = threading.Lock()
_user_words: set[str] = set()
_db_dictionary_loaded = False


def normalize(text: str | None) -> str:
    """NFKC, one space for any run of whitespace, and no leading/trailing newlines or tabs (pasted text)."""
    if not text:
        return ""
    text = _EXCEL_CR.sub("\n", unicodedata.normalize("NFKC", str(text)))
    return _SPACE.sub(" ", text).strip()


def mask_digits(text: str, mask: str = "0") -> str:
    """Every run of digits (and the stars that already mask some) becomes one ``mask`` character.

    Phone numbers, dates and house numbers then look alike to models and near-duplicate detection.
    """
    return _DIGITS.sub(mask, _STARRED_DIGITS.sub("0", text))


_NUMERAL_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                   "九": 9}
_NUMERAL_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}
_NUMERAL = "零〇一二两三四五六七八九十百千万"
# A run of Chinese numerals that is a number: two or more numeral characters with a unit among them
# (十四, 二十, 一百零五), or any run before a measure word (三楼, 十四度, 五天); 一直, 一些, 万一 stay words.
_MEASURE = "度楼层号栋幢单元户室元块岁年月日天次个米斤公里分秒点时周期路条间台辆"
_LEADING = "零〇一二两三四五六七八九十百千"  # 万 never starts a number here (万一 is "in case")
_CHINESE_NUMBER = re.compile(rf"(?:[{_LEADING}]*[十百千]|[{_LEADING}]+万)[{_NUMERAL}]*|[{_LEADING}][{_NUMERAL}]*(?=[{_MEASURE}])")


def chinese_number_value(numerals: str) -> int | None:
    """十四 → 14, 二十 → 20, 一百零五 → 105, 三 → 3; a plain digit string (一二三 → 123); None if not a number."""
    if not any(ch in _NUMERAL_UNITS for ch in numerals):
        digits = [_NUMERAL_DIGITS.get(ch) for ch in numerals]
        return None if None in digits else int("".join(str(d) for d in digits))
    total, section, digit = 0, 0, None
    for ch in numerals:
        if ch in _NUMERAL_DIGITS:
            digit = _NUMERAL_DIGITS[ch]
        elif ch == "万":
            total, section, digit = (total + section + (digit or 0)) * 10_000, 0, None
        else:
            section += (1 if digit is None else digit) * _NUMERAL_UNITS[ch]
            digit = None
    return total + section + (digit or 0)


def chinese_numbers_as_digits(text: str) -> str:
    """Numbers written in Chinese numerals as digits (室温只有十四度 → 室温只有14度), so that the two spellings of
    a number compare equal."""
    def digits(match: re.Match[str]) -> str:
        value = chinese_number_value(match.group(0))
        return match.group(0) if value is None else str(value)

    return _CHINESE_NUMBER.sub(digits, text)


def segment(text: str) -> list[str]:
    """Words of ``text`` (jieba's dictionary through rjieba), without whitespace tokens."""
    ensure_user_dictionary()
    return [tok for tok in rjieba.cut(normalize(text)) if tok.strip()]


def load_user_dictionary(words: Iterable[str]) -> int:
    """Teach the segmenter place and unit names (平城区 must stay one word). Returns how many were new."""
    added = 0
    with _dictionary_lock:
        for word in words:
            word = normalize(word).replace(" ", "")
            if len(word) < 2 or word in _user_words:
                continue
            rjieba.add_word(word, USER_WORD_FREQ, "nz")
            _user_words.add(word)
            added += 1
    return added


def user_dictionary() -> frozenset[str]:
    return frozenset(_user_words)


def ensure_user_dictionary() -> None:
    """Load region, alias and unit names from the database once per process; quiet when there is none."""
    global _db_dictionary_loaded
    if _db_dictionary_loaded:
        return
    _db_dictionary_loaded = True
    try:
        words = _names_from_database()
    except Exception:  # no settings, tables or database: jieba's dictionary alone (reload_user_dictionary retries)
        return
    load_user_dictionary(words)


def reload_user_dictionary() -> None:
    """Call after regions or units change (new names are added; removed ones stay harmlessly)."""
    global _db_dictionary_loaded
    _db_dictionary_loaded = False
    ensure_user_dictionary()


def _names_from_database() -> list[str]:
    from django.apps import apps

    if not apps.ready:
        raise RuntimeError("Django apps not ready")
    from jiesu.org.models import Region, RegionAlias, Unit

    names: list[str] = []
    names += Region.objects.filter(is_active=True).values_list("name", flat=True)
    names += RegionAlias.objects.values_list("alias", flat=True)
    for name, short_name in Unit.objects.filter(is_active=True).values_list("name", "short_name"):
        names += [name, short_name]
    return [n for n in names if n]
