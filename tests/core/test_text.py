from ctxh.core.text import fold, given_name, normalize_name, normalize_phone


def test_it_folds_vietnamese_marks_and_d():
    assert fold("Đặng  Thị Ngọc Hân") == "dang thi ngoc han"
    assert fold("NGUYỄN văn Đào") == "nguyen van dao"


def test_it_normalises_names_and_phones():
    assert normalize_name("  nguyễn   thị   mai ") == "Nguyễn Thị Mai"
    assert given_name("Nguyễn Thị Mai") == "Mai"
    assert normalize_phone("+84 912 345 678") == "0912345678"
