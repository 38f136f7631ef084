"""Personal data in free text: mobile and landline numbers, ID-card numbers and vehicle plates.

Used to mask ticket text on public pages and in exports, and to link a caller's earlier tickets by number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from jiesu.intelligence.text import normalize

MOBILE = "mobile"
LANDLINE = "landline"
ID_CARD = "id_card"
PLATE = "plate"

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


def extract_personal_data(text: str) -> list[Found]:
    """Every personal number and plate in ``text``, in order, none overlapping (ID numbers win over phones)."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, value: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(Found(kind, value, start, end))

    for rx in (_ID18_RE, _ID15_RE):
        for m in rx.finditer(text):
            if is_valid_id_number(m.group(1)):
                add(ID_CARD, m.group(1).upper(), m.start(), m.end())
    for m in _MOBILE_RE.finditer(text):
        add(MOBILE, re.sub(r"\D", "", m.group(1)), m.start(), m.end())
    for m in _LANDLINE_RE.finditer(text):
        if _is_landline(m):
            add(LANDLINE, "-".join(p for p in m.group(1, 2) if p), m.start(), m.end())
    for m in _PLATE_RE.finditer(text):
        add(PLATE, "".join(m.groups()), m.start(), m.end())
    return sorted(found, key=lambda f: f.start)


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
    if kind == ID_CARD:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    if kind == PLATE:
        return value[:2] + "·" + "*" * (len(value) - 2)
    return "*" * len(value)


def mask_personal_data(text: str) -> str:
    """``text`` with every personal number and plate masked (138****5678, 吉C·*****)."""
    out, last = [], 0
    for item in extract_personal_data(text):
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
