"""Importing a taxonomy file, and the rules every category change keeps."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from jiesu.catalog.models import Category
from jiesu.catalog.queries import categories_tree, category_choices
from jiesu.catalog.taxonomy import check_category, save_category
from jiesu.core.errors import ValidationFailed
from jiesu.core.events import events_of


def test_import_command_is_idempotent_and_logs_once(db, capsys):
    call_command("import_categories")
    first = capsys.readouterr().out
    assert "新增 189" in first
    call_command("import_categories")
    assert "新增 0，更新 0" in capsys.readouterr().out
    assert len(events_of("category", "import")) == 1


def test_import_refuses_unknown_parents(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,parent\nA1,子类,ZZ\n", encoding="utf-8")
    with pytest.raises(CommandError, match="上级分类“ZZ”不存在"):
        call_command("import_categories", str(bad))
    assert not Category.objects.exists()


def test_import_refuses_a_fourth_level(db, tmp_path):
    deep = tmp_path / "deep.csv"
    deep.write_text("code,name,parent\n1,一,\n11,二,1\n111,三,11\n1111,四,111\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 5 行超过三级"):
        call_command("import_categories", str(deep))
    assert not Category.objects.exists()


def test_moving_a_branch_moves_its_paths(world):
    world.mid.parent = None
    save_category(None, world.mid, reason="调整为一级分类")
    world.leaf.refresh_from_db()
    assert (world.leaf.level, world.leaf.path, world.leaf.full_name) == (2, "/0101/010101/", "供热 / 暖气不热")
    assert events_of("category", "0101").get().before["parent_id"] == world.top.pk


def test_three_levels_at_most_and_never_below_itself(world):
    with pytest.raises(ValidationFailed, match="最多三级"):
        check_category(Category(code="x", name="第四级", parent=world.leaf))
    world.top.parent = world.leaf
    with pytest.raises(ValidationFailed, match="自身或下级"):
        check_category(world.top)


def test_pickers_hide_inactive_branches(world):
    Category.objects.filter(pk=world.mid.pk).update(is_active=False)
    [top] = categories_tree()
    assert top["children"] == []
    assert category_choices() == [(world.top.pk, "城乡建设")]
    Category.objects.filter(pk=world.mid.pk).update(is_active=True)
    assert category_choices(level=3) == [(world.leaf.pk, "城乡建设 / 供热 / 暖气不热"),
                                         (world.other_leaf.pk, "城乡建设 / 供热 / 停暖")]
