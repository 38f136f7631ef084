"""Who an Open311 ``api_key`` belongs to. Keys are the API's tokens (issued and revoked like them); the API
package, which sits above this one, registers its checker when it starts (`jiesu.api.apps`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_CHECKERS: list[Callable[[str], Any]] = []


def register_checker(checker: Callable[[str], Any]) -> None:
    if checker not in _CHECKERS:
        _CHECKERS.append(checker)


def user_for_key(raw: str) -> Any | None:
    raw = (raw or "").strip()
    if not raw or len(raw) > 200:
        return None
    return next((user for checker in _CHECKERS if (user := checker(raw)) is not None), None)
