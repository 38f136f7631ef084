import pytest

from jiesu.intelligence import text
from jiesu.intelligence.text import load_user_dictionary, mask_digits, normalize, segment


def test_normalize_strips_pasted_whitespace_and_folds_width():
    assert normalize("\n\t\t  ＡＢＣ１２３，路灯\r\n不亮  ") == "ABC123,路灯 不亮"
    assert normalize(None) == ""
    assert normalize("第一行_x000D_\n第二行") == "第一行 第二行"


def test_mask_digits_collapses_numbers_and_starred_phones():
    assert mask_digits("电话138****5678，2020年1月") == "电话0，0年0月"
    assert mask_digits("无数字") == "无数字"


def test_user_dictionary_keeps_place_names_whole():
    assert "平城区" not in segment("平城区路灯不亮")
    load_user_dictionary(["平城区", "", "x"])
    assert "平城区" in segment("平城区路灯不亮")
    assert "平城区" in text.user_dictionary()


@pytest.mark.django_db
def test_names_come_from_regions_aliases_and_units():
    from jiesu.org.models import Region, RegionAlias, Unit

    city = Region.objects.create(code="220300", name="测四平市", level=Region.Level.CITY)
    district = Region.objects.create(code="220302", name="测铁西区", level=Region.Level.DISTRICT, parent=city)
    RegionAlias.objects.create(region=district, alias="测铁西")
    Unit.objects.create(code="u1", name="测供热公司", short_name="测热力", kind=Unit.Kind.UTILITY)
    text.reload_user_dictionary()
    words = text.user_dictionary()
    assert {"测四平市", "测铁西区", "测铁西", "测供热公司", "测热力"} <= words
    assert "测供热公司" in segment("测供热公司不供暖")


def test_dictionary_loader_is_quiet_without_database():
    text.reload_user_dictionary()  # no django_db mark: database access is refused and ignored
    assert segment("路灯不亮") != []
