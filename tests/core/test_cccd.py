from ctxh.core.cccd import cccd_check, cccd_decode, cccd_make


def test_it_decodes_province_year_and_sex():
    assert cccd_decode("022190012345") == ("022", 1990, "female")
    assert cccd_decode("001205000001") == ("001", 2005, "male")


def test_it_refuses_wrong_length_and_unknown_province():
    assert cccd_check("12345").errors
    assert cccd_check("003190012345").errors  # 003 is no province code


def test_it_warns_when_sex_or_birth_year_disagree():
    number = cccd_make("022", "female", 1990, 12345)
    assert cccd_check(number, sex="female", birth_year=1990).ok
    assert not cccd_check(number, sex="female", birth_year=1990).warnings
    check = cccd_check(number, sex="male", birth_year=1991)
    assert check.ok and len(check.warnings) == 2
