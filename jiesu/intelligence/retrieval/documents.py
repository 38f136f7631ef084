"""What goes into the retrieval index and what comes out of a search."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

REPLY = "reply"
ARTICLE = "article"


@dataclass(frozen=True)
class Document:
    doc_id: str
    kind: str
    title: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "kind": self.kind, "title": self.title, "text": self.text,
                "metadata": self.metadata}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        return cls(str(data["doc_id"]), data["kind"], data.get("title", ""), data.get("text", ""),
                   data.get("metadata") or {})


@dataclass(frozen=True)
class Hit:
    doc_id: str
    score: float
    kind: str
    title: str
    snippet: str
    terms: tuple[str, ...]  # query words found in the document, rarest first (for highlighting)
    metadata: dict[str, Any] = field(default_factory=dict)
