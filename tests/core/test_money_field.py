"""One money field for every form: whole đồng typed the Vietnamese way, nothing read as another amount."""

from __future__ import annotations

import pytest
from django import forms

from ctxh.core.money import MoneyField


class Form(forms.Form):
    amount = MoneyField(label="Số tiền", required=False)
    delta = MoneyField(label="Điều chỉnh", required=False, allow_negative=True)


@pytest.mark.parametrize("typed,amount", [
    ("1500000", 1_500_000), ("1.500.000", 1_500_000), ("1 500 000", 1_500_000), ("1,500,000", 1_500_000),
    ("1.500.000 ₫", 1_500_000), ("1.500.000đ", 1_500_000), ("5.000.000 đồng", 5_000_000), ("3600000 VND", 3_600_000),
    ("  750.000  ", 750_000), ("0", 0), ("", None),
])
def test_amounts_typed_the_vietnamese_way_are_read_as_whole_dong(typed, amount):
    form = Form({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == amount


@pytest.mark.parametrize("typed", ["1,5", "1.5", "1.500.00", "1.500,000", "12,34", "abc", "1.5tr", "--5"])
def test_a_decimal_part_or_anything_else_is_refused_and_kept(typed):
    form = Form({"amount": typed})
    assert not form.is_valid()
    assert form.errors["amount"] == ["Nhập số tiền bằng đồng, không có phần lẻ, ví dụ 1.500.000."]
    assert f'value="{typed}"' in str(form["amount"])  # what was typed stays in the box


def test_negative_amounts_only_where_a_correction_allows_them():
    form = Form({"amount": "-50.000", "delta": "-50.000"})
    assert not form.is_valid() and form.errors["amount"] == ["Số tiền không được âm."]
    assert form.cleaned_data["delta"] == -50_000


def test_limits_are_stated_in_dong():
    class Bounded(forms.Form):
        fee = MoneyField(min_value=100_000, max_value=9_000_000)

    assert Bounded({"fee": "50.000"}).errors["fee"] == ["Số tiền phải từ 100.000 đồng trở lên."]
    assert Bounded({"fee": "12.000.000"}).errors["fee"] == ["Số tiền không được quá 9.000.000 đồng."]
    assert 'value="3.500.000"' in str(Bounded(initial={"fee": 3_500_000})["fee"])
