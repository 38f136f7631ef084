"""The review workflow: the owning unit writes and submits, the centre publishes; every version is kept."""

from __future__ import annotations

import pytest

from jiesu.core.errors import ActionNotAllowed, PermissionDeniedError, ValidationFailed
from jiesu.core.events import events_of
from jiesu.knowledge import services
from jiesu.knowledge.models import ArticleStatus, VersionStatus


def test_draft_submit_publish_records_one_event_each(kb):
    version = kb.draft()
    services.submit(kb.editor, version)
    version = services.publish(kb.publisher, version, note="内容准确")
    article = version.article
    assert article.status == ArticleStatus.PUBLISHED and article.current_id == version.pk
    assert version.reviewer == kb.publisher and version.published_at is not None
    assert [e.action for e in events_of("article", article.pk)] == ["create_draft", "submit", "publish"]


def test_body_is_sanitised_and_plain_text_kept(kb):
    version = kb.draft(body_html='<p onclick="x()">低保<script>alert(1)</script>标准</p><img src=x onerror=y>')
    assert "script" not in version.body_html and "onclick" not in version.body_html
    assert "<img" not in version.body_html
    assert version.body_text == "低保标准"


def test_publishing_a_new_version_archives_the_old_one_and_keeps_both(kb):
    first = kb.published()
    second = services.create_draft(kb.editor, article=first.article, title="城市低保标准（2026）")
    assert second.number == 2 and second.body_html == first.body_html  # copied from the latest version
    services.submit(kb.editor, second)
    services.publish(kb.publisher, second)
    first.refresh_from_db()
    assert first.status == VersionStatus.ARCHIVED and first.archived_at is not None
    assert second.article.versions.count() == 2
    second.article.refresh_from_db()
    assert second.article.current_id == second.pk


def test_submitted_version_is_frozen(kb):
    version = kb.draft()
    services.submit(kb.editor, version)
    with pytest.raises(ActionNotAllowed):
        services.edit_draft(kb.editor, version, title="改标题")
    version.refresh_from_db()
    assert version.title == "城市低保标准"


def test_rejected_version_goes_back_to_draft_when_edited(kb):
    version = kb.draft()
    services.submit(kb.editor, version)
    with pytest.raises(ValidationFailed):
        services.reject(kb.publisher, version, note="  ")
    services.reject(kb.publisher, version, note="请注明文件依据")
    version = services.edit_draft(kb.editor, version, legal_basis="《社会救助暂行办法》")
    assert version.status == VersionStatus.DRAFT and version.review_note == "请注明文件依据"


def test_only_the_centre_publishes(kb):
    version = kb.draft()
    services.submit(kb.editor, version)
    with pytest.raises(PermissionDeniedError):
        services.publish(kb.editor, version)
    with pytest.raises(PermissionDeniedError):
        services.publish(kb.operator, version)


def test_a_unit_cannot_edit_another_units_article(kb):
    version = kb.draft()
    with pytest.raises(PermissionDeniedError):
        services.edit_draft(kb.heating_editor, version, title="供热")
    with pytest.raises(PermissionDeniedError):
        kb.draft(author=kb.heating_editor)


def test_cannot_publish_twice_or_skip_review(kb):
    version = kb.draft()
    with pytest.raises(ActionNotAllowed):
        services.publish(kb.publisher, version)
    services.submit(kb.editor, version)
    services.publish(kb.publisher, version)
    with pytest.raises(ActionNotAllowed):
        services.publish(kb.publisher, version)


def test_archive_withdraws_the_article(kb):
    version = kb.published()
    services.archive(kb.publisher, version.article, reason="政策废止")
    version.refresh_from_db()
    assert version.status == VersionStatus.ARCHIVED
    assert version.article.versions.count() == 1
    with pytest.raises(ActionNotAllowed):
        services.archive(kb.publisher, version.article)


@pytest.mark.parametrize("fields, field", [
    ({"title": ""}, "title"),
    ({"body_html": "<p> </p>"}, "body_html"),
    ({"valid_from": "2025-05-01", "valid_to": "2025-01-01"}, "valid_to"),
    ({"valid_from": "明年"}, "valid_from"),
    ({"conditions": [{"field": "shoe_size", "op": ">=", "value": 40}]}, "conditions"),
    ({"keywords": [1, 2]}, "keywords"),
])
def test_bad_fields_are_refused_in_chinese(kb, fields, field):
    with pytest.raises(ValidationFailed) as exc:
        kb.draft(**fields)
    assert field in exc.value.field_errors
    assert not kb.civil.articles.exists()


def test_one_open_draft_per_article(kb):
    version = kb.draft()
    with pytest.raises(ActionNotAllowed):
        services.create_draft(kb.editor, article=version.article, title="另一稿")
