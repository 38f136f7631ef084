"""Every change to the knowledge base: an explicit actor, one transaction, one event (subject "article").

Workflow of a version: draft → submitted → published → archived, or submitted → rejected. The owning unit
(``Perm.KNOWLEDGE_EDIT`` over the article's unit) writes and submits; the hotline centre
(``Perm.KNOWLEDGE_PUBLISH``) publishes, rejects and archives. A submitted version is never changed again:
corrections are a new version.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jiesu.core import clock
from jiesu.core.errors import ActionNotAllowed, PermissionDeniedError, ValidationFailed
from jiesu.core.events import record_event
from jiesu.core.permissions import Perm
from jiesu.core.scope import require_perm
from jiesu.knowledge.content import plain_text, sanitize_html
from jiesu.knowledge.eligibility import validate_conditions
from jiesu.knowledge.models import Article, ArticleKind, ArticleStatus, ArticleVersion, VersionStatus
from jiesu.knowledge.tasks import enqueue_encoding

SUBJECT = "article"
TEXT_FIELDS = ("title", "body_html", "legal_basis", "source_document", "valid_from", "valid_to", "keywords",
               "questions", "conditions")


def index_mark() -> datetime:
    """When the search indexes must look again: wall-clock time, not the service clock, so that a change made
    while the clock stands still (demo replay, tests) still reads as newer than the last one indexed."""
    return timezone.now()


def _event(actor: Any, article: Article, action: str, version: ArticleVersion | None = None, **kw: Any) -> None:
    data = {"version": version.number, "version_id": version.pk} if version else {}
    record_event(subject_type=SUBJECT, subject_id=article.pk, action=action, actor=actor,
                 actor_unit=actor.primary_unit() if hasattr(actor, "primary_unit") else None,
                 data={**data, **kw.pop("data", {})}, **kw)


def _require(actor: Any, perm: Perm, unit_id: int | None) -> None:
    if not require_perm(actor, perm).covers(unit_id):
        raise PermissionDeniedError("该知识不属于您的单位，不能操作。")


def _can_edit(actor: Any, article: Article | None, unit_id: int | None = None) -> None:
    """The owning unit's editors, and the centre (which may correct before publishing)."""
    unit_id = article.unit_id if article is not None else unit_id
    try:
        _require(actor, Perm.KNOWLEDGE_EDIT, unit_id)
    except PermissionDeniedError:
        _require(actor, Perm.KNOWLEDGE_PUBLISH, unit_id)


def _str_list(value: Any, name: str, errors: dict[str, list[str]]) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [part for part in value.replace("；", ";").replace("|", ";").split(";")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors[name] = ["须为文字列表。"]
        return []
    return [v.strip() for v in value if v.strip()]


def clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Checked and normalised version fields; ValidationFailed (Chinese, per field) if anything is wrong."""
    errors: dict[str, list[str]] = {}
    out = {k: v for k, v in fields.items() if k in TEXT_FIELDS}
    if "title" in out:
        out["title"] = (out["title"] or "").strip()
        if not out["title"] or len(out["title"]) > 200:
            errors["title"] = ["标题必填，且不超过 200 字。"]
    if "body_html" in out:
        out["body_html"] = sanitize_html(out["body_html"] or "")
        if not plain_text(out["body_html"]):
            errors["body_html"] = ["正文不能为空。"]
    for name in ("keywords", "questions"):
        if name in out:
            out[name] = _str_list(out[name], name, errors)
    if "conditions" in out:
        out["conditions"] = out["conditions"] or []
        if problems := validate_conditions(out["conditions"]):
            errors["conditions"] = problems
    for name in ("valid_from", "valid_to"):
        if isinstance(out.get(name), str):
            out[name] = _parse_date(out[name], name, errors)
    start, end = out.get("valid_from"), out.get("valid_to")
    if start and end and end < start:
        errors["valid_to"] = ["失效日期不能早于生效日期。"]
    if errors:
        raise ValidationFailed(field_errors=errors)
    return out


def _parse_date(text: str, name: str, errors: dict[str, list[str]]) -> date | None:
    text = text.strip().replace("/", "-").replace(".", "-")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = [f"日期“{text}”格式应为 2025-01-31。"]
        return None


def create_draft(actor: Any, *, unit: Any = None, kind: str = ArticleKind.FAQ, category: Any = None,
                 regions: Any = (), article: Article | None = None, **fields: Any) -> ArticleVersion:
    """A new article with its first draft, or (``article=``) a new draft version copying the latest one."""
    if article is None:
        if kind not in ArticleKind.values:
            raise ValidationFailed(field_errors={"kind": ["知识类型无效。"]})
        _can_edit(actor, None, getattr(unit, "pk", None))
        if not {"title", "body_html"} <= fields.keys():
            raise ValidationFailed(field_errors={k: ["必填。"] for k in ("title", "body_html") if k not in fields})
    else:
        _can_edit(actor, article)
    values = clean_fields(fields)
    with transaction.atomic():
        if article is None:
            article = Article.objects.create(unit=unit, kind=kind, category=category,
                                             external_key=fields.get("external_key", "") or "")
            article.regions.set(list(regions))
            base: dict[str, Any] = {}
        else:
            article = Article.objects.select_for_update().get(pk=article.pk)
            if article.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.SUBMITTED]).exists():
                raise ActionNotAllowed("该知识已有未发布的草稿或待审核版本，请先处理。")
            latest = article.versions.order_by("-number").first()
            base = {name: getattr(latest, name) for name in TEXT_FIELDS} if latest else {}
        number = (article.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        merged = {**base, **values}
        version = ArticleVersion.objects.create(article=article, number=number, author=actor,
                                                body_text=plain_text(merged.get("body_html", "")), **merged)
        _event(actor, article, "create_draft", version, after={"title": version.title})
    return version


def edit_draft(actor: Any, version: ArticleVersion, *, kind: str | None = None, category: Any = None,
               regions: Any = None, **fields: Any) -> ArticleVersion:
    """Changes a draft (or a rejected version, which becomes a draft again); submitted versions are frozen."""
    _can_edit(actor, version.article)
    values = clean_fields(fields)
    with transaction.atomic():
        version = ArticleVersion.objects.select_for_update().select_related("article").get(pk=version.pk)
        if version.status not in (VersionStatus.DRAFT, VersionStatus.REJECTED):
            raise ActionNotAllowed("已提交的版本不能修改，请新建版本。")
        before = {"title": version.title}
        for name, value in values.items():
            setattr(version, name, value)
        version.body_text = plain_text(version.body_html)
        version.status = VersionStatus.DRAFT
        version.save()
        _set_article_attributes(version.article, kind, category, regions)
        _event(actor, version.article, "edit_draft", version, before=before, after={"title": version.title},
               data={"fields": sorted(values)})
    return version


def _set_article_attributes(article: Article, kind: str | None, category: Any, regions: Any) -> None:
    if kind is not None:
        if kind not in ArticleKind.values:
            raise ValidationFailed(field_errors={"kind": ["知识类型无效。"]})
        article.kind = kind
    if category is not None:
        article.category = category
    article.save()
    if regions is not None:
        article.regions.set(list(regions))


def _transition(actor: Any, version: ArticleVersion, frm: set[str], to: str, action: str) -> ArticleVersion:
    locked = ArticleVersion.objects.select_for_update().select_related("article").get(pk=version.pk)
    if locked.status not in frm:
        raise ActionNotAllowed(f"版本当前状态为“{locked.get_status_display()}”，不能{_ACTION_NAMES[action]}。")
    locked.status = to
    return locked


_ACTION_NAMES = {"submit": "提交审核", "publish": "发布", "reject": "退回", "archive": "归档"}


def submit(actor: Any, version: ArticleVersion) -> ArticleVersion:
    _can_edit(actor, version.article)
    with transaction.atomic():
        v = _transition(actor, version, {VersionStatus.DRAFT}, VersionStatus.SUBMITTED, "submit")
        v.submitted_at = clock.now()
        v.save()
        _event(actor, v.article, "submit", v)
    return v


def publish(actor: Any, version: ArticleVersion, note: str = "") -> ArticleVersion:
    """The centre publishes a submitted version; the version it replaces is archived (kept)."""
    _require(actor, Perm.KNOWLEDGE_PUBLISH, version.article.unit_id)
    with transaction.atomic():
        v = _transition(actor, version, {VersionStatus.SUBMITTED}, VersionStatus.PUBLISHED, "publish")
        now = clock.now()
        previous = v.article.versions.filter(status=VersionStatus.PUBLISHED).exclude(pk=v.pk)
        replaced = list(previous.values_list("number", flat=True))
        previous.update(status=VersionStatus.ARCHIVED, archived_at=now)
        v.published_at, v.reviewer, v.review_note = now, actor, note
        v.save()
        Article.objects.filter(pk=v.article_id).update(current=v, status=ArticleStatus.PUBLISHED,
                                                       index_changed_at=index_mark())
        _event(actor, v.article, "publish", v, reason=note, data={"replaced": replaced})
        enqueue_encoding()
    v.article.refresh_from_db()
    return v


def reject(actor: Any, version: ArticleVersion, note: str) -> ArticleVersion:
    _require(actor, Perm.KNOWLEDGE_PUBLISH, version.article.unit_id)
    if not (note or "").strip():
        raise ValidationFailed(field_errors={"note": ["请写明退回理由。"]})
    with transaction.atomic():
        v = _transition(actor, version, {VersionStatus.SUBMITTED}, VersionStatus.REJECTED, "reject")
        v.reviewer, v.review_note = actor, note.strip()
        v.save()
        _event(actor, v.article, "reject", v, reason=note)
    return v


def archive(actor: Any, article: Article, reason: str = "") -> Article:
    """Withdraws an article: it is no longer offered as an answer; every version stays readable."""
    _require(actor, Perm.KNOWLEDGE_PUBLISH, article.unit_id)
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if locked.status == ArticleStatus.ARCHIVED:
            raise ActionNotAllowed("该知识已归档。")
        now = clock.now()
        locked.versions.filter(status=VersionStatus.PUBLISHED).update(status=VersionStatus.ARCHIVED, archived_at=now)
        locked.status, locked.index_changed_at = ArticleStatus.ARCHIVED, index_mark()
        locked.save(update_fields=["status", "index_changed_at"])
        _event(actor, locked, "archive", reason=reason)
    return locked


def count_hit(article_id: int) -> None:
    Article.objects.filter(pk=article_id).update(hits=F("hits") + 1)


def record_feedback(actor: Any, *, article: Article, helpful: bool, answer: Any = None,
                    comment: str = "") -> Any:
    """A caller's 有帮助/没帮助 on an answer (the actor is None for citizens on the public page)."""
    from jiesu.knowledge.models import Feedback

    if answer is not None and answer.article_id not in (None, article.pk):
        raise ValidationFailed(field_errors={"answer": ["答复记录与知识不一致。"]})
    with transaction.atomic():
        feedback = Feedback.objects.create(article=article, helpful=bool(helpful), answer=answer,
                                           comment=(comment or "").strip()[:500])
        record_event(subject_type=SUBJECT, subject_id=article.pk, action="feedback",
                     actor=actor if getattr(actor, "pk", None) else None,
                     data={"helpful": bool(helpful), "answer": getattr(answer, "pk", None)})
    return feedback
