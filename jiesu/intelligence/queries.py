"""Reading the model registry."""

from __future__ import annotations

from pathlib import Path

from django.db.models import QuerySet

from jiesu.intelligence.models import ModelVersion


def versions(task: str | None = None) -> QuerySet[ModelVersion]:
    qs = ModelVersion.objects.all()
    return qs.filter(task=task) if task else qs


def active_version(task: str) -> ModelVersion | None:
    return ModelVersion.objects.filter(task=task, is_active=True).first()


def find_version(ref: str) -> ModelVersion | None:
    """A version by its id, or by the directory it was saved to."""
    found = ModelVersion.objects.filter(version=ref).first()
    if found is None and ref:
        found = ModelVersion.objects.filter(path=str(Path(ref).resolve())).order_by("-created_at").first()
    return found
