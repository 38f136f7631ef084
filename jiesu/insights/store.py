"""Sparse vectors as bytes (int32 indices then float32 values) and the ticket → message mapping."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import scipy.sparse as sp

from jiesu.insights.discovery import Message


def to_bytes(row: sp.csr_matrix) -> bytes:
    row = sp.csr_matrix(row)
    indices = row.indices.astype("<i4")
    return len(indices).to_bytes(4, "little") + indices.tobytes() + row.data.astype("<f4").tobytes()


def from_bytes(raw: bytes, width: int) -> sp.csr_matrix:
    raw = bytes(raw)
    n = int.from_bytes(raw[:4], "little")
    indices = np.frombuffer(raw[4:4 + 4 * n], dtype="<i4")
    values = np.frombuffer(raw[4 + 4 * n:4 + 8 * n], dtype="<f4")
    keep = indices < width
    return sp.csr_matrix((values[keep], indices[keep], [0, int(keep.sum())]), shape=(1, width), dtype=np.float32)


def requester_of(ticket: Any) -> str:
    """A hash of the caller's phone key (anonymous callers and unknown numbers: the ticket itself)."""
    from jiesu.intelligence.pii import phone_keys

    keys = [] if ticket.is_anonymous else phone_keys(ticket.requester_phone or "")
    raw = keys[0] if keys else f"ticket:{ticket.pk}"
    return hashlib.blake2b(raw.encode("utf-8"), digest_size=16).hexdigest()


def message_of(ticket: Any) -> Message:
    return Message(str(ticket.pk), ticket.title, ticket.content, ticket.created_at, requester_of(ticket))
