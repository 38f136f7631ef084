import pytest

from jiesu.intelligence.pii import (
    ID_CARD,
    LANDLINE,
    LONG_NUMBER,
    MOBILE,
    PLATE,
    extract_personal_data,
    id_check_digit,
    is_valid_id_number,
    mask_personal_data,
    personal_data_to_mask,
    phone_keys,
)


def kinds(text):
    return [(f.kind, f.value) for f in extract_personal_data(text)]


@pytest.mark.parametrize(("first17", "check"), [("11010519491231002", "X"), ("44052419800101001", "3")])
def test_id_check_digit(first17, check):
    assert id_check_digit(first17) == check
    assert is_valid_id_number(first17 + check)
    assert not is_valid_id_number(first17 + ("0" if check != "0" else "1"))


def test_id_numbers_with_x_and_old_style():
    assert kinds("身份证11010519491231002x。") == [(ID_CARD, "11010519491231002X")]
    assert kinds("旧证号 110105491231002 ") == [(ID_CARD, "110105491231002")]
    assert kinds("旧证号 110105491331002 ") == []  # month 13


def test_id_number_inner_digits_are_not_a_mobile():
    found = kinds("证件号220302198503121231，请核实")
    assert found == [(ID_CARD, "220302198503121231")]
    bad_check = kinds("号码220302198503121232")
    assert all(kind != MOBILE for kind, _ in bad_check)


@pytest.mark.parametrize("spelling", ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678",
                                      "+8613812345678", "86-13812345678"])
def test_mobile_spellings_are_found_once(spelling):
    assert kinds(f"请回电{spelling}谢谢") == [(MOBILE, "13812345678")]


def test_landlines_with_and_without_area_code():
    assert kinds("座机0434-3234567") == [(LANDLINE, "0434-3234567")]
    assert kinds("(010)62345678") == [(LANDLINE, "010-62345678")]
    assert kinds("联系电话3234567") == [(LANDLINE, "3234567")]
    assert kinds("共计3234567元") == []  # a bare number is a phone only near a word like 电话


def test_plates_regular_and_new_energy():
    assert kinds("车牌吉C·12345停在门口") == [(PLATE, "吉C12345")]
    assert kinds("吉CD12345和吉A12345D") == [(PLATE, "吉CD12345"), (PLATE, "吉A12345D")]
    assert kinds("吉CI2345") == []  # I is never used on plates


def test_mask_personal_data():
    text = "电话138 1234 5678，座机0434-3234567，身份证11010519491231002X，车吉C·12345。"
    masked = mask_personal_data(text)
    assert masked == "电话138****5678，座机0434-*****67，身份证1101**********002X，车吉C·*****。"
    assert mask_personal_data("没有个人信息") == "没有个人信息"


def test_phone_keys_link_spellings_of_the_same_caller():
    assert phone_keys("+86 138-1234-5678") == phone_keys("电话13812345678") == ["13812345678"]
    assert phone_keys("0434-3234567，电话3234567", default_area_code="0434") == ["04343234567"]
    assert phone_keys("身份证11010519491231002X") == []


# Masking is conservative: whatever may be somebody's number is hidden; linking (above) keeps validating.

def masked_kinds(text):
    return [(f.kind, f.value) for f in personal_data_to_mask(text)]


def test_an_id_number_with_a_wrong_check_digit_is_masked_but_not_linked():
    question = "我的电话13912345678身份证220302199001011234"
    assert not is_valid_id_number("220302199001011234")
    assert mask_personal_data(question) == "我的电话139****5678身份证2203**********1234"
    assert kinds(question) == [(MOBILE, "13912345678")]


@pytest.mark.parametrize(("text", "masked"), [
    ("证号22030219901301123X请核实", "证号2203**********123X请核实"),  # month 13, ends in X
    ("旧证号110105491331002", "旧证号1101*******1002"),  # old 15-digit style, month 13
    ("ID220302199001011234", "ID2203**********1234"),  # written against letters
])
def test_id_shaped_numbers_are_masked_whatever_their_check_or_birth_date(text, masked):
    assert kinds(text) == []
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize(("text", "masked"), [
    ("卡号6222021234567890", "卡号6222********7890"),  # 16 digits
    ("卡号6222021234567890123", "卡号6222***********0123"),  # 19 digits
    ("卡号6222 0212 3456 7890 123，谢谢", "卡号6222***********0123，谢谢"),  # in groups of four
    ("卡号6222-0212-3456-7890", "卡号6222********7890"),
])
def test_bank_card_numbers_are_masked(text, masked):
    assert masked_kinds(text)[0][0] == LONG_NUMBER
    assert mask_personal_data(text) == masked


def test_mobiles_against_letters_are_masked_and_short_numbers_stay():
    assert mask_personal_data("Tel13912345678") == "Tel139****5678"
    assert mask_personal_data("共计3234567元，2025年10月25日，编号12345678901234") == (
        "共计3234567元，2025年10月25日，编号12345678901234")  # 14 digits: not a card or ID
    assert mask_personal_data("账号22000123456789012345") == "账号22000123456789012345"  # 20 digits: an account


def test_masking_finds_everything_extraction_finds():
    text = "电话138 1234 5678，座机0434-3234567，身份证11010519491231002X，车吉C·12345，卡6222021234567890。"
    certain = kinds(text)
    assert set(certain) <= set(masked_kinds(text))
    assert (LONG_NUMBER, "6222021234567890") in masked_kinds(text)
    assert phone_keys("身份证220302199001011234，卡6222021234567890") == []
