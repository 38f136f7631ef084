"""Similar-case retrieval over past replies and knowledge articles.

Public interface: ``RetrievalIndex`` (build, ``add``, ``search``), ``Document`` / ``Hit``, ``save`` / ``load``
of an index directory, ``fit_reranker`` from message → reply pairs, and ``similar_cases`` for the product's
current index (under ``settings.VAR_DIR / "index" / "retrieval"``).
"""

from jiesu.intelligence.retrieval.documents import ARTICLE, REPLY, Document, Hit
from jiesu.intelligence.retrieval.index import Params, RetrievalIndex
from jiesu.intelligence.retrieval.store import current_index, load, product_index_dir, save, similar_cases
from jiesu.intelligence.retrieval.training import Example, fit_reranker

__all__ = [
    "ARTICLE", "REPLY", "Document", "Example", "Hit", "Params", "RetrievalIndex", "current_index",
    "fit_reranker", "load", "product_index_dir", "save", "similar_cases",
]
