"""docs/api.md documents every action, and the example bodies are valid inputs of their actions."""

from __future__ import annotations

from pathlib import Path

from jiesu.api.examples import ACCEPT, ACTIONS
from jiesu.tickets.inputs import AcceptInput
from jiesu.tickets.lifecycle import TABLE

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def test_every_action_has_a_valid_example():
    assert set(ACTIONS) == {row.action.value for row in TABLE}
    for row in TABLE:
        body = {k: v for k, v in ACTIONS[row.action.value].items() if k != "version"}
        row.inputs.model_validate(body)
    AcceptInput.model_validate(ACCEPT)


def test_docs_show_every_action_with_a_curl_call():
    text = DOC.read_text(encoding="utf-8")
    for row in TABLE:
        assert f"/actions/{row.action.value} " in text, row.action.value
