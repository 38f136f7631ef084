from jiesu.core.masking import mask_address, mask_id_number, mask_name, mask_phone


def test_masks_keep_only_what_identifies_nobody():
    assert mask_name("张三丰") == "张**"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("220302199001011234") == "2203**********1234"
    assert mask_address("铁西区阳光新城小区3号楼2单元") == "铁西区阳光新城小区*号楼*单元"
