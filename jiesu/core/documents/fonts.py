"""Which Chinese font PDFs embed: a setting, else the Noto fonts shipped as a Python package (installed with
jiesu, so present on a fresh machine), else the system's Noto CJK (Debian's fonts-noto-cjk)."""

from __future__ import annotations

import importlib.resources
import os
from dataclasses import dataclass
from pathlib import Path

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
PACKAGE_FILES = {"sans": "NotoSansSC-Regular.otf", "serif": "NotoSerifSC-Regular.otf"}
# (path, index of the Simplified Chinese face inside a collection)
SYSTEM_FILES = {
    "sans": [("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2)],
    "serif": [("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2)],
}
SETTING = {"sans": "JIESU_PDF_FONT", "serif": "JIESU_PDF_FONT_SERIF"}


class FontMissing(RuntimeError):
    """No Chinese font could be found; the message says what to install or set."""


@dataclass(frozen=True)
class FontFile:
    path: Path
    collection_index: int = 0


def _from_setting(style: str) -> FontFile | None:
    raw = os.environ.get(SETTING[style], "").strip()
    if not raw:
        return None
    path = Path(raw)
    if not path.is_file():
        raise FontMissing(f"{SETTING[style]}={raw} 不是可读的字体文件。")
    return FontFile(path)


def _from_package(style: str) -> FontFile | None:
    try:
        folder = importlib.resources.files(FONT_PACKAGE)
    except ModuleNotFoundError:
        return None
    candidate = Path(str(folder / PACKAGE_FILES[style]))
    return FontFile(candidate) if candidate.is_file() else None


def _from_system(style: str) -> FontFile | None:
    for path, index in SYSTEM_FILES[style]:
        if Path(path).is_file():
            return FontFile(Path(path), index)
    return None


def chinese_font(style: str = "sans") -> FontFile:
    """The font file for ``style`` ("sans" for tables and text, "serif" for formal letters); a serif request
    falls back to the sans font rather than failing."""
    if style not in PACKAGE_FILES:
        raise ValueError(f"unknown font style {style!r}")
    for finder in (_from_setting, _from_package, _from_system):
        found = finder(style)
        if found is not None:
            return found
    if style == "serif":
        return chinese_font("sans")
    raise FontMissing(
        f"找不到中文字体：请安装 Python 包 {FONT_PACKAGE.replace('_', '-')}（随 jiesu 安装）、"
        f"Debian 的 fonts-noto-cjk，或用 {SETTING['sans']} 指定 OTF/TTF 字体文件。"
    )
