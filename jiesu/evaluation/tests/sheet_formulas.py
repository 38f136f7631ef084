"""A small evaluator for the formulas the circular writes (IF, OR, ROUND, MIN, RANK, SUM, arithmetic and
comparisons over cells and ranges), so tests can check that the sheet computes what the PDF prints."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

RANGE = re.compile(r"\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)")
REF = re.compile(r"(?<![A-Za-z\"])\$?([A-Z]{1,2})\$?(\d+)\b")
EQUALS = re.compile(r"(?<![<>=!])=(?!=)")


def _split_args(text: str, start: int) -> tuple[list[str], int]:
    """The top-level arguments of the call whose "(" is at ``start``, and the index after its ")"."""
    depth, args, current, i, quoted = 0, [], "", start + 1, False
    while True:
        ch = text[i]
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            if depth == 0:
                return [*args, current], i + 1
            depth -= 1
        elif not quoted and ch == "," and depth == 0:
            args, current, i = [*args, current], "", i + 1
            continue
        current += ch
        i += 1


def lazy_if(code: str) -> str:
    """IF(c, a, b) as Python's ``(a) if (c) else (b)``, so the branch not taken is not evaluated."""
    at = code.find("IF(")
    while at != -1 and at > 0 and code[at - 1].isalpha():
        at = code.find("IF(", at + 1)
    if at == -1:
        return code
    (cond, yes, no), end = _split_args(code, at + 2)
    return f"{code[:at]}(({lazy_if(yes)}) if ({lazy_if(cond)}) else ({lazy_if(no)})){lazy_if(code[end:])}"


class Num(float):
    """A number whose division by zero gives NaN, as a branch IF does not take may divide by zero."""

    def __truediv__(self, other: Any) -> Num:  # type: ignore[override]
        return Num(math.nan) if float(other) == 0 else Num(float(self) / float(other))

    def __rtruediv__(self, other: Any) -> Num:  # type: ignore[override]
        return Num(math.nan) if float(self) == 0 else Num(float(other) / float(self))


def _round(value: float, digits: int) -> float:
    return float(Decimal(str(value)).quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP))


class Sheet:
    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.memo: dict[tuple[int, int], Any] = {}

    def value(self, column: str, row: int) -> Any:
        key = (column_index_from_string(column), row)
        if key not in self.memo:
            raw = self.ws.cell(row=row, column=key[0]).value
            if isinstance(raw, str) and raw.startswith("="):
                self.memo[key] = self.evaluate(raw)
            else:
                self.memo[key] = "" if raw is None else (Num(raw) if isinstance(raw, int | float) else raw)
        return self.memo[key]

    def _range(self, c1: str, r1: str, c2: str, r2: str) -> list[Any]:
        assert c1 == c2
        return [self.value(c1, r) for r in range(int(r1), int(r2) + 1)]

    def evaluate(self, formula: str) -> Any:
        code = RANGE.sub(lambda m: f"_R({m.group(1)!r},{m.group(2)},{m.group(3)!r},{m.group(4)})", formula[1:])
        code = REF.sub(lambda m: f"_C({m.group(1)!r},{m.group(2)})", code)
        code = lazy_if(EQUALS.sub("==", code).replace("<>", "!="))
        names = {"_R": self._range, "_C": self.value, "OR": lambda *a: any(a),
                 "ROUND": lambda v, d: Num(_round(v, d)), "MIN": lambda *a: Num(min(a)),
                 "SUM": lambda r: Num(sum(v for v in r if v != "")),
                 "RANK": lambda v, r: 1 + sum(1 for x in r if x != "" and x > v)}
        result = eval(code, {"__builtins__": {}}, names)  # the formulas are our own, written by the circular
        return result


def computed(ws: Worksheet, column: str, row: int) -> Any:
    return Sheet(ws).value(column, row)
