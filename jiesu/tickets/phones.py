"""A requester's phone number as intake stores it: one spelling per number, or a refusal.

Accepted: a mobile (11 digits, 1[3-9]…), or a landline of 7–8 digits (not starting with 0 or 1), optionally after
an area code (0 + 2–3 digits: 010 and 02x are three digits long, the others four) and optionally with an
extension (转 123, ext 123, #123, or a dash after area code and number). Spaces, dashes and brackets are
ignored, full-width characters are read as their ASCII forms (NFKC), +86 / 0086 is dropped. Service numbers
(12345, 110, 95588 …) are nobody's own number and are refused.

Stored: digits only (13912345678, 04343281234), an extension after 转 (04343281234转123).
"""

from __future__ import annotations

import re
import unicodedata

_IGNORED = re.compile(r"[\s()\[\]【】]")
_DASHES = re.compile(r"[\-‐‑‒–—―−﹣]")
_EXTENSION = re.compile(r"(?:转|ext\.?|x|#)(\d{1,6})$", re.IGNORECASE)
_COUNTRY = re.compile(r"^(?:\+|00)86-?")
MOBILE = re.compile(r"1[3-9]\d{9}")
_LOCAL = r"[2-9]\d{6,7}"
_LANDLINE = re.compile(rf"(?:(?P<area>0[12]\d|0[3-9]\d{{2}})-?)?(?P<local>{_LOCAL})(?:-(?P<ext>\d{{1,6}}))?")


class InvalidPhone(ValueError):
    """Not a mobile or landline number."""


def normalise_phone(raw: str) -> str:
    """The stored spelling of ``raw`` ("" stays ""); InvalidPhone when it is not a mobile or landline number."""
    text = _DASHES.sub("-", _IGNORED.sub("", unicodedata.normalize("NFKC", raw or "")))
    if not text:
        return ""
    text, extension = _split_extension(text)
    text = _without_country_code(text)
    digits = text.replace("-", "")
    if not extension and MOBILE.fullmatch(digits):
        return digits
    return _landline(text, extension)


def _split_extension(text: str) -> tuple[str, str]:
    found = _EXTENSION.search(text)
    if found is None:
        return text, ""
    return text[: found.start()].rstrip("-"), found.group(1)


def _without_country_code(text: str) -> str:
    """Drops +86 / 0086; a landline written internationally loses its 0 (+86 434 …), so it gets it back."""
    national = _COUNTRY.sub("", text)
    if national == text:
        return text
    return national if MOBILE.fullmatch(national.replace("-", "")) or national.startswith("0") else "0" + national


def _landline(text: str, extension: str) -> str:
    found = _LANDLINE.fullmatch(text) or _LANDLINE.fullmatch(text.replace("-", ""))
    if found is None or (found.group("ext") and extension):
        raise InvalidPhone(text)
    area, local = found.group("area") or "", found.group("local")
    extension = extension or found.group("ext") or ""
    return f"{area}{local}{'转' + extension if extension else ''}"
