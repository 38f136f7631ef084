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
