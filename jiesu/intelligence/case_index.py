"""Keeping the similar-case index current: approved replies are added to the product's retrieval index.

A reply reaches the index once the centre has approved it (审核通过): drafts and replies sent back never do.
``update()`` adds the replies approved since the last one indexed (the highest reply id in the index is the
watermark) and saves the index (a reader sees the old or the new one, never half). It is run by the
``refresh_case_index`` task (``jiesu index cases --enqueue``) or directly (``jiesu index cases [--every N]``),
on a schedule: adding a batch and saving once is cheaper than saving after every reply, and a reply approved
a few minutes ago is rarely what the next caller needs.

With the sentence encoder available, each new reply's vector is computed here, in the task (through the
vector cache, so a rebuild re-encodes nothing), and saved with the index: a search never encodes a document.
An index built with another encoder model (or none) is rebuilt with this one on the next update.
"""

from __future__ import annotations

from pathlib import Path

from jiesu.intelligence.embeddings import embed
from jiesu.intelligence.encoder import Encoder, get_encoder
from jiesu.intelligence.retrieval import REPLY, Document, RetrievalIndex, product_index_dir, save
from jiesu.intelligence.retrieval import load as load_index
from jiesu.intelligence.retrieval.dense import document_text

PREFIX = "reply:"


def reply_document(reply_id: int, number: str, title: str, result: str) -> Document:
    return Document(f"{PREFIX}{reply_id}", REPLY, title, result, {"ref": number, "reply_id": reply_id})


def _watermark(index: RetrievalIndex) -> int:
    ids = [doc.metadata.get("reply_id", 0) for doc in index.docs if doc.doc_id.startswith(PREFIX)]
    return max(ids, default=0)


def _load(directory: Path, rebuild: bool, encoder_id: str) -> tuple[RetrievalIndex, bool]:
    """The index to update and whether it starts empty (a rebuild, a first build, or another encoder)."""
    if not rebuild and (directory / "meta.json").exists():
        index = load_index(directory)  # a private copy: the cached one may be serving searches in this process
        if index.encoder_id == encoder_id or not encoder_id:  # without an encoder: add lexically, keep the vectors
            return index, False
    return RetrievalIndex(), True


def _vectors(index: RetrievalIndex, docs: list[Document], encoder: Encoder | None):  # type: ignore[no-untyped-def]
    if encoder is None or not docs:
        return None
    return embed([document_text(d.title, d.text) for d in docs], query=False,
                 max_chars=index.params.dense_doc_chars, encoder=encoder)


def update(*, rebuild: bool = False, batch: int = 5000) -> int:
    """Adds the replies approved since the last update (all of them with ``rebuild``); returns how many."""
    from jiesu.intelligence.places import place_keys
    from jiesu.tickets.models import Reply
    from jiesu.tickets.states import ReplyReviewDecision

    directory = product_index_dir()
    encoder = get_encoder()
    index, fresh = _load(directory, rebuild, encoder.model_id if encoder else "")
    places_changed = index.use_places(place_keys())
    new = (Reply.objects.filter(review_decision=ReplyReviewDecision.APPROVE, pk__gt=_watermark(index))
           .order_by("pk").values_list("pk", "assignment__ticket__number", "assignment__ticket__title", "result"))
    added = 0
    for start in range(0, new.count(), batch):
        docs = [reply_document(*row) for row in new[start:start + batch] if (row[3] or "").strip()]
        added += index.add(docs, _vectors(index, docs, encoder), encoder.model_id if encoder else "")
    if added or fresh or places_changed:
        save(index, directory)
    return added
