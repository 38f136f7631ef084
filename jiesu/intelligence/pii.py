"""Personal data in free text: mobile and landline numbers, ID-card numbers, vehicle plates and bank cards.

Two uses, two standards. *Linking* a caller's earlier tickets (``extract_personal_data``, ``phone_keys``) needs
numbers that are certainly what they seem: ID numbers must pass their check digit and birth date. *Masking*
for display, public pages and de-identified logs (``personal_data_to_mask``, ``mask_personal_data``) is
conservative: a number only has to look like personal data — an ID number with a wrong check digit (a
mistyped ID is still somebody's), a bank card number, a mobile written against letters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from jiesu.intelligence.text import normalize

MOBILE = "mobile"
LANDLINE = "landline"
ID_CARD = "id_card"
PLATE = "plate"
LONG_NUMBER = "long_number"  # shaped like an ID number but invalid, or a bank card: masked, never linked

_SEP = r"[ \-－]?"
_MOBILE_RE = re.compile(
    rf"(?<![\dA-Za-z])(?:(?:\+|00)?86{_SEP})?(1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}})(?![\dA-Za-z])"
)
_LANDLINE_RE = re.compile(
    r"(?<![\dA-Za-z\-])(?:[(（]?(0\d{2,3})[)）]?[ \-－]?)?([2-9]\d{6,7})(?:[\-－转](\d{1,5}))?(?![\dA-Za-z])"
)
_ID18_RE = re.compile(r"(?<![\dA-Za-z])(\d{17}[\dXx])(?![\dA-Za-z])")
_ID15_RE = re.compile(r"(?<![\dA-Za-z])(\d{15})(?![\dA-Za-z])")
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_RE = re.compile(
    rf"([{_PROVINCES}])([A-HJ-NP-Z])[·•・\.\- ]?"
    r"((?:[DF][A-HJ-NP-Z0-9]\d{4})|(?:\d{5}[DF])|(?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]))(?![A-Za-z0-9])"
)
# Masking only: ID-shaped numbers whatever their check digit (15 or 18 digits, 17 + X) and other 15–19 digit
# runs (bank cards), also written in groups of four (6222 0212 3456 7890 123), and bare mobiles against letters.
_LONG_RUN_RE = re.compile(r"(?<!\d)(?:\d{17}[Xx]|\d{15,19})(?!\d)")
_GROUPED_RE = re.compile(r"(?<!\d)(?<!\d[ \-－])\d{4}(?:[ \-－]\d{4}){3}(?:[ \-－]?\d{1,3})?(?![ \-－]?\d)")
_BARE_MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Found:
    kind: str
    value: str
    start: int
    end: int


def id_check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of an 18-character resident ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _valid_birth(yyyymmdd: str) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return 1900 <= born.year <= date.today().year


def is_valid_id_number(value: str) -> bool:
    value = value.upper()
    if re.fullmatch(r"\d{17}[\dX]", value):
        return _valid_birth(value[6:14]) and id_check_digit(value[:17]) == value[17]
    if re.fullmatch(r"\d{15}", value):
        return _valid_birth("19" + value[6:12])
    return False


Finder = Callable[[str], Iterator[Found]]


def _valid_ids(text: str) -> Iterator[Found]:
    for rx in (_ID18_RE, _ID15_RE):
        for m in rx.finditer(text):
            if is_valid_id_number(m.group(1)):
                yield Found(ID_CARD, m.group(1).upper(), m.start(), m.end())


def _mobiles(text: str) -> Iterator[Found]:
    for m in _MOBILE_RE.finditer(text):
        yield Found(MOBILE, re.sub(r"\D", "", m.group(1)), m.start(), m.end())


def _landlines(text: str) -> Iterator[Found]:
    for m in _LANDLINE_RE.finditer(text):
        if _is_landline(m):
            yield Found(LANDLINE, "-".join(p for p in m.group(1, 2) if p), m.start(), m.end())


def _plates(text: str) -> Iterator[Found]:
    for m in _PLATE_RE.finditer(text):
        yield Found(PLATE, "".join(m.groups()), m.start(), m.end())


def _long_numbers(text: str) -> Iterator[Found]:
    for rx in (_LONG_RUN_RE, _GROUPED_RE):
        for m in rx.finditer(text):
            yield Found(LONG_NUMBER, re.sub(r"[^\dX]", "", m.group(0).upper()), m.start(), m.end())


def _bare_mobiles(text: str) -> Iterator[Found]:
    for m in _BARE_MOBILE_RE.finditer(text):
        yield Found(MOBILE, m.group(0), m.start(), m.end())


def _collect(text: str, finders: tuple[Finder, ...]) -> list[Found]:
    """What the finders find, in order of the text; where two overlap, the earlier finder wins."""
    found: list[Found] = []
    for finder in finders:
        for item in finder(text):
            if not any(item.start < other.end and other.start < item.end for other in found):
                found.append(item)
    return sorted(found, key=lambda f: f.start)


_FOR_LINKING: tuple[Finder, ...] = (_valid_ids, _mobiles, _landlines, _plates)
_FOR_MASKING: tuple[Finder, ...] = (_valid_ids, _long_numbers, _mobiles, _bare_mobiles, _landlines, _plates)


def extract_personal_data(text: str) -> list[Found]:
    """Every personal number and plate in ``text`` that is certainly one (valid ID numbers only), in order,
    none overlapping (ID numbers win over phones). For linking; to hide data use ``personal_data_to_mask``."""
    return _collect(text, _FOR_LINKING)


def personal_data_to_mask(text: str) -> list[Found]:
    """Everything in ``text`` that may be personal data, conservatively: the certain finds, plus ID-shaped
    numbers that fail their check (``LONG_NUMBER``), 15–19 digit numbers such as bank cards, and mobiles
    written against letters. The one function behind every masking for display and de-identified logs."""
    return _collect(text, _FOR_MASKING)


def _is_landline(m: re.Match[str]) -> bool:
    """A bare 7–8 digit number counts only when written like a phone number (area code or near 电话)."""
    if m.group(1):
        return True
    before = m.string[max(0, m.start() - 8) : m.start()]
    return any(word in before for word in ("电话", "座机", "固话", "号码", "联系", "拨打", "致电", "Tel", "tel"))


def mask_value(kind: str, value: str) -> str:
    if kind == MOBILE:
        return value[:3] + "****" + value[-4:]
    if kind == LANDLINE:
        area, _, number = value.rpartition("-")
        masked = "*" * (len(number) - 2) + number[-2:]
        return f"{area}-{masked}" if area else masked
    if kind in (ID_CARD, LONG_NUMBER):
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    if kind == PLATE:
        return value[:2] + "·" + "*" * (len(value) - 2)
    return "*" * len(value)


def mask_personal_data(text: str) -> str:
    """``text`` with every number or plate that may be personal data masked (138****5678, 吉C·*****,
    2203**********1234 even for an ID number with a wrong check digit)."""
    out, last = [], 0
    for item in personal_data_to_mask(text):
        out += [text[last : item.start], mask_value(item.kind, item.value)]
        last = item.end
    out.append(text[last:])
    return "".join(out)


def phone_keys(text: str, default_area_code: str = "") -> list[str]:
    """The phone numbers in ``text`` as digit strings, to link a caller's tickets (+86 138-1234-5678 → 13812345678).

    Landlines without an area code get ``default_area_code`` (the city's) so both spellings link.
    """
    keys: list[str] = []
    for item in extract_personal_data(normalize(text)):
        if item.kind == MOBILE:
            key = item.value
        elif item.kind == LANDLINE:
            area, _, number = item.value.rpartition("-")
            key = (area or default_area_code) + number
        else:
            continue
        if key not in keys:
            keys.append(key)
    return keys
