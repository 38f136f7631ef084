"""Chinese numerals read as numbers where they are numbers, and left alone in words."""

from __future__ import annotations

import pytest

from jiesu.intelligence.text import chinese_number_value, chinese_numbers_as_digits


@pytest.mark.parametrize(("numerals", "value"), [("十四", 14), ("二十", 20), ("一百零五", 105), ("两万五千", 25000),
                                                 ("三", 3), ("十", 10), ("三万", 30000)])
def test_values(numerals, value):
    assert chinese_number_value(numerals) == value


@pytest.mark.parametrize(("text", "expected"), [
    ("室温只有十四度", "室温只有14度"), ("住二十三楼", "住23楼"), ("停水三天了", "停水3天了"),
    ("一直不热", "一直不热"), ("万一出事", "万一出事"), ("有一些问题", "有一些问题"), ("14度", "14度"),
])
def test_numbers_become_digits_and_words_stay(text, expected):
    assert chinese_numbers_as_digits(text) == expected
