"""Second stage: a few similarity features of the top candidates, combined by logistic regression.

The weights are learned from the city's own history (pairs of message → the reply it got); without them the
first-stage fusion order is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FEATURES = (
    "fused", "log_rank", "bm25_c1", "bm25_c2", "bm25_c3", "bm25_w", "bm25_title_c2",
    "cos_c2", "cos_c3", "cos_w", "coverage_c2", "log_length", "place_conflict",
)
DENSE_FEATURES = (*FEATURES, "dense_cos")  # queries with an encoder vector


def augmented(features: np.ndarray) -> np.ndarray:
    """Each feature as is, relative to the candidates' mean and relative to the best candidate: the model then
    sees how a document stands out among this query's candidates, not only its absolute similarity."""
    if not len(features):
        return np.zeros((0, 3 * features.shape[1]))
    return np.hstack([features, features - features.mean(axis=0), features - features.max(axis=0)])


@dataclass
class Reranker:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    features: tuple[str, ...] = FEATURES

    def score(self, features: np.ndarray) -> np.ndarray:
        """Higher is better; ``features`` are the rows of one query's candidates."""
        return ((augmented(features) - self.mean) / self.scale) @ self.coef + self.intercept

    def to_json(self) -> dict:
        return {"features": list(self.features), "augmented": True, "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "coef": self.coef.tolist(), "intercept": self.intercept}

    @classmethod
    def from_json(cls, data: dict) -> Reranker | None:
        features = tuple(data.get("features", []))
        if features not in (FEATURES, DENSE_FEATURES) or not data.get("augmented"):
            return None  # trained for another feature set: retrain rather than misuse
        return cls(np.asarray(data["mean"]), np.asarray(data["scale"]), np.asarray(data["coef"]),
                   float(data["intercept"]), features)

    @classmethod
    def fit(cls, per_query: list[np.ndarray], labels: np.ndarray, c: float = 1.0) -> Reranker:
        """``per_query``: one feature matrix per training query; ``labels``: 0/1 of all their rows in order."""
        from sklearn.linear_model import LogisticRegression

        if labels.all() or not labels.any():
            raise ValueError("需要同时有正例和负例才能训练重排序模型")
        features = np.vstack([augmented(matrix) for matrix in per_query])
        mean = features.mean(axis=0)
        scale = np.maximum(features.std(axis=0), 1e-6)
        model = LogisticRegression(C=c, max_iter=2000).fit((features - mean) / scale, labels)
        names = DENSE_FEATURES if per_query and per_query[0].shape[1] == len(DENSE_FEATURES) else FEATURES
        return cls(mean, scale, model.coef_.ravel(), float(model.intercept_[0]), names)
