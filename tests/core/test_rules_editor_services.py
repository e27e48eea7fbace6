"""Rule rows change only through rule_add / rule_change / rule_remove: administrators, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ctxh.audit.models import AuditEntry
from ctxh.core import rule_services
from ctxh.core.exceptions import ConflictError
from ctxh.core.models import Rule
from ctxh.core.rule_forms import parse_number
from ctxh.core.rule_services import rule_add, rule_change, rule_fingerprint, rule_remove
from ctxh.core.rules import rule_value

# A rule of this test's own: other apps' rows change as the law does.
BASE = "assistance.coef.ctxh_test"


@pytest.fixture(autouse=True)
def rows(db):
    Rule.objects.create(key=BASE, valid_from=dt.date(2021, 7, 1), value=1.5, unit="hệ số",
                        source="Nghị định 20/2021/NĐ-CP, Điều 6")
    return Rule.objects.create(key=BASE, valid_from=dt.date(2024, 7, 1), value=2.0, unit="hệ số",
                               source="Quyết định thử nghiệm 1")


def _future() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


def test_an_administrator_adds_a_row_and_the_value_in_force_changes(cast):
    assert rule_value(BASE, dt.date(2026, 7, 1)) == 2.0
    rule = rule_add(actor=cast.admin, key=BASE, valid_from=dt.date(2026, 7, 1), value=2.5,
                    unit="hệ số", source="Quyết định thử nghiệm 2")
    assert rule_value(BASE, dt.date(2026, 6, 30)) == 2.0
    assert rule_value(BASE, dt.date(2026, 7, 1)) == 2.5
    entry = AuditEntry.objects.get(action="rule.added")
    assert entry.actor == cast.admin and entry.object_id == str(rule.pk)
    assert entry.changes["value"] == 2.5 and entry.changes["source"] == "Quyết định thử nghiệm 2"
    assert entry.changes["rule"] == BASE


@pytest.mark.parametrize("user", ["director", "collaborator", "statistician", "outsider"])
def test_no_one_but_an_administrator_may_change_rules(cast, user):
    with pytest.raises(PermissionDenied):
        rule_add(actor=cast[user], key=BASE, valid_from=_future(), value=1, source="x")
    row = Rule.objects.filter(key=BASE).first()
    with pytest.raises(PermissionDenied):
        rule_change(actor=cast[user], rule=row, expected=rule_fingerprint(row), valid_from=row.valid_from,
                    value=1, source="x")
    with pytest.raises(PermissionDenied):
        rule_remove(actor=cast[user], rule=row, expected=rule_fingerprint(row))


def test_it_refuses_a_row_without_source_or_value_or_with_a_bad_key(cast):
    with pytest.raises(ValidationError) as exc:
        rule_add(actor=cast.admin, key="Mức Chuẩn", valid_from=_future(), value="  ", source=" ")
    errors = exc.value.message_dict
    assert errors["source"] == ["Cần ghi văn bản quy định (số, ngày, cơ quan ban hành)."]
    assert errors["value"] == ["Cần nhập giá trị."]
    assert "Mã quy định gồm chữ thường không dấu" in errors["key"][0]


def test_it_refuses_a_second_row_on_the_same_day(cast):
    with pytest.raises(ValidationError) as exc:
        rule_add(actor=cast.admin, key=BASE, valid_from=dt.date(2024, 7, 1), value=1, source="x")
    assert "đã có một dòng hiệu lực từ 01/07/2024" in exc.value.message_dict["valid_from"][0]


def test_a_change_is_audited_as_a_diff_and_guarded_by_what_the_editor_read(cast):
    row = Rule.objects.get(key=BASE, valid_from=dt.date(2024, 7, 1))
    read = rule_fingerprint(row)
    rule_change(actor=cast.admin, rule=row, expected=read, valid_from=row.valid_from, value=2.0,
                unit="hệ số", source="Quyết định thử nghiệm 1", note="Đối chiếu công báo")
    entry = AuditEntry.objects.get(action="rule.changed")
    assert entry.changes == {"rule": BASE, "note": ["", "Đối chiếu công báo"]}
    with pytest.raises(ConflictError):  # the row changed since ``read``
        rule_change(actor=cast.admin, rule=row, expected=read, valid_from=row.valid_from, value=1, source="x")
    assert rule_value(BASE, dt.date(2025, 1, 1)) == 2.0


def test_only_a_row_not_yet_in_force_can_be_removed(cast):
    past = Rule.objects.get(key=BASE, valid_from=dt.date(2024, 7, 1))
    with pytest.raises(ValidationError) as exc:
        rule_remove(actor=cast.admin, rule=past, expected=rule_fingerprint(past))
    assert "Chỉ xóa được dòng có hiệu lực từ một ngày trong tương lai" in exc.value.messages[0]
    future = rule_add(actor=cast.admin, key=BASE, valid_from=_future(), value=3, source="Dự thảo")
    seen = rule_fingerprint(future)
    rule_change(actor=cast.admin, rule=future, expected=seen, valid_from=future.valid_from, value=4, source="Dự thảo 2")
    with pytest.raises(ConflictError):  # changed since the confirmation was read: not deleted blindly
        rule_remove(actor=cast.admin, rule=future, expected=seen)
    future.refresh_from_db()
    rule_remove(actor=cast.admin, rule=future, expected=rule_fingerprint(future))
    assert not Rule.objects.filter(pk=future.pk).exists()
    assert AuditEntry.objects.get(action="rule.removed").changes["value"] == 4


def _closed_month(actor, commune, month):
    from ctxh.assistance import services

    plist = services.payment_list_generate(actor=actor, commune=commune, month=month)
    for line in plist.lines.all():
        services.payment_line_mark_paid(actor=actor, line=line)
    services.payment_list_close(actor=actor, payment_list=plist)


def test_a_past_base_level_row_computes_the_arrears_of_the_months_paid(
        cast, geo, django_capture_on_commit_callbacks):
    from ctxh.assistance.models import ArrearsItem
    from tests.assistance.factories import entitled

    ent = entitled(geo["c1"], coefficient="2.0", start_on=dt.date(2025, 1, 1))
    _closed_month(cast.director, geo["c1"], dt.date(2025, 8, 1))
    _closed_month(cast.director, geo["c1"], dt.date(2025, 9, 1))
    with django_capture_on_commit_callbacks(execute=True):
        rule = rule_add(actor=cast.admin, key="assistance.base_level", valid_from=dt.date(2025, 9, 1),
                        value=540_000, source="Quyết định thử nghiệm 4")
    assert (rule.arrears.status, rule.arrears.as_of) == ("queued", dt.date(2025, 9, 1))
    items = list(ArrearsItem.objects.filter(entitlement=ent))
    assert [(i.month, i.difference, i.computed_by) for i in items] == [(dt.date(2025, 9, 1), 80_000, cast.admin)]

    # Moved to a later date, the row still touches the months from its old date: August is recomputed too.
    with django_capture_on_commit_callbacks(execute=True):
        moved = rule_change(actor=cast.admin, rule=rule, expected=rule_fingerprint(rule),
                            valid_from=dt.date(2025, 8, 1), value=540_000, source="Quyết định thử nghiệm 4")
    assert moved.arrears.as_of == dt.date(2025, 8, 1)
    assert sorted(ArrearsItem.objects.filter(entitlement=ent).values_list("month", "difference")) == [
        (dt.date(2025, 8, 1), 80_000), (dt.date(2025, 9, 1), 80_000)]


def test_rows_that_touch_no_paid_month_queue_nothing(cast, geo, django_capture_on_commit_callbacks):
    later = rule_add(actor=cast.admin, key="assistance.base_level", valid_from=_future(), value=3, source="Dự thảo")
    assert later.arrears.status == "none"  # not in force yet: nothing is due
    unpaid = rule_add(actor=cast.admin, key="assistance.base_level", valid_from=dt.date(2025, 3, 1), value=510_000,
                      source="Quyết định thử nghiệm 5")
    assert unpaid.arrears.status == "none"  # no closed list from then
    other = rule_add(actor=cast.admin, key="cases.note_limit", valid_from=dt.date(2020, 1, 1), value=5, source="x")
    assert other.arrears.status == "none"


def test_without_an_arrears_function_the_row_is_saved_and_the_gap_reported(cast, monkeypatch):
    monkeypatch.setattr(rule_services, "_arrears_function", lambda: None)
    rule = rule_add(actor=cast.admin, key="assistance.base_level", valid_from=dt.date(2021, 1, 2),
                    value=300_000, source="Quyết định thử nghiệm 3")
    assert rule.arrears.status == "unavailable" and Rule.objects.filter(pk=rule.pk).exists()


@pytest.mark.parametrize("text,value", [
    ("540000", 540_000), ("540.000", 540_000), ("1 500 000 ₫", 1_500_000), ("1,5", 1.5), ("1.5", 1.5),
    ("2,25", 2.25), ("1.234.567,5", 1_234_567.5), ("-3", -3),
])
def test_numbers_are_read_the_vietnamese_way(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,500,000", "5.00.000"])
def test_numbers_that_are_not_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)
