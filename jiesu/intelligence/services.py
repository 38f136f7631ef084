"""Changes to the model registry: registering a trained artefact and choosing the one that serves a task."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from jiesu.core.errors import NotFound, ValidationFailed
from jiesu.core.events import record_event
from jiesu.intelligence import artefacts, classifier
from jiesu.intelligence.models import ModelVersion
from jiesu.intelligence.queries import find_version

SUBJECT = "model_version"


def _fields_from_meta(meta: dict[str, Any], path: Path) -> dict[str, Any]:
    if meta.get("task") not in artefacts.TASKS or not meta.get("version"):
        raise ValidationFailed(f"模型目录 {path} 的 meta.json 缺少任务或版本信息")
    return {
        "task": meta["task"], "path": str(path), "metrics": meta.get("metrics") or {},
        "data_summary": meta.get("training_data") or {}, "threshold": float(meta.get("threshold") or 0.0),
    }


@transaction.atomic
def register_version(model_dir: str | Path, *, actor: Any = None) -> ModelVersion:
    """Record a saved artefact in the registry (inactive); registering the same version again is a no-op."""
    path = Path(model_dir).resolve()
    try:
        meta = artefacts.read_meta(path)
    except artefacts.ArtefactError as exc:
        raise ValidationFailed(str(exc)) from exc
    existing = ModelVersion.objects.filter(version=meta.get("version", "")).first()
    if existing:
        return existing
    mv = ModelVersion.objects.create(version=meta["version"], **_fields_from_meta(meta, path))
    record_event(subject_type=SUBJECT, subject_id=mv.version, action="registered", actor=actor,
                 after={"task": mv.task, "path": mv.path}, data={"metrics": _headline(mv.metrics)})
    return mv


@transaction.atomic
def activate_version(ref: str, *, actor: Any = None, reason: str = "") -> ModelVersion:
    """Make ``ref`` (a version id or a model directory) the one active model of its task."""
    mv = find_version(ref)
    if mv is None and Path(ref).is_dir():
        path = Path(ref).resolve()
        try:
            meta = artefacts.read_meta(path)
        except artefacts.ArtefactError as exc:
            raise ValidationFailed(str(exc)) from exc
        mv = ModelVersion.objects.filter(version=meta.get("version", "")).first() or ModelVersion.objects.create(
            version=meta.get("version", ""), **_fields_from_meta(meta, path))
    if mv is None:
        raise NotFound(f"找不到模型版本或目录：{ref}")
    if not Path(mv.path, artefacts.MODEL_FILE).is_file():
        raise ValidationFailed(f"模型文件不存在：{mv.path}")
    mv = ModelVersion.objects.select_for_update().get(pk=mv.pk)
    previous = ModelVersion.objects.select_for_update().filter(task=mv.task, is_active=True).exclude(pk=mv.pk)
    before = list(previous.values_list("version", flat=True))
    previous.update(is_active=False)
    mv.is_active = True
    mv.save(update_fields=["is_active"])
    classifier.clear_cache()  # this process (and its open transaction) sees the change at once
    transaction.on_commit(classifier.clear_cache)
    record_event(subject_type=SUBJECT, subject_id=mv.version, action="activated", actor=actor, reason=reason,
                 before={"active": before}, after={"active": mv.version, "task": mv.task})
    return mv


def _headline(metrics: dict[str, Any]) -> dict[str, Any]:
    cv = (metrics or {}).get("cv") or {}
    return {k: cv[k] for k in ("macro_f1", "accuracy", "n") if k in cv}
