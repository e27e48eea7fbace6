import datetime as dt

import pytest

from tests.factories import PersonFactory


@pytest.fixture
def han(geo):
    """A woman of commune c1 with a full CCCD."""
    return PersonFactory(full_name="Đặng Thị Ngọc Hân", commune=geo["c1"], sex="female",
                         birth_date=dt.date(1988, 3, 9), cccd="022188001234", phone="0912345678")


@pytest.fixture
def person_data(geo):
    return {
        "full_name": "nguyễn  văn đức", "sex": "male", "birth_date": dt.date(1950, 1, 1),
        "birth_precision": "year", "cccd": "022050123456", "phone": "+84 987 654 321",
        "province": geo["province"], "commune": geo["c1"],
    }
