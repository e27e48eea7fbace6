"""Arrears (truy lĩnh): a base level raised from a month already paid is made good on the next list."""

from __future__ import annotations

import datetime as dt

import pytest

from ctxh.assistance import services
from ctxh.assistance.models import ArrearsItem, PaymentLine
from ctxh.audit.models import AuditEntry
from ctxh.core.models import Rule
from tests.assistance.factories import entitled

D = dt.date
ROW_500K = {"key": "assistance.base_level", "valid_from": D(2024, 7, 1), "value": 500_000, "unit": "VND/tháng",
            "source": "Nghị định 76/2024/NĐ-CP, Điều 1"}


@pytest.fixture
def before_decree_76(db):
    """The rule table as it stood before Decree 76/2024 was entered: 360,000 from 2021-07-01 is the last row."""
    Rule.objects.filter(key="assistance.base_level", valid_from=D(2024, 7, 1)).delete()


def _paid_and_closed(actor, commune, months):
    for month in months:
        plist = services.payment_list_generate(actor=actor, commune=commune, month=month)
        for line in plist.lines.all():
            services.payment_line_mark_paid(actor=actor, line=line)
        services.payment_list_close(actor=actor, payment_list=plist)


def test_it_pays_the_july_raise_as_arrears_on_the_october_list(cast, geo, before_decree_76):
    ent = entitled(geo["c1"], coefficient="1.5", start_on=D(2024, 1, 1))
    _paid_and_closed(cast.director, geo["c1"], [D(2024, 7, 1), D(2024, 8, 1), D(2024, 9, 1)])
    assert set(PaymentLine.objects.filter(entitlement=ent).values_list("amount", flat=True)) == {540_000}

    Rule.objects.create(**ROW_500K)
    result = services.arrears_compute(actor=cast.director, as_of=D(2024, 10, 5), commune_id=geo["c1"].pk)

    items = list(ArrearsItem.objects.filter(entitlement=ent).order_by("month"))
    assert [i.month for i in items] == [D(2024, 7, 1), D(2024, 8, 1), D(2024, 9, 1)]
    assert {(i.paid, i.due, i.difference) for i in items} == {(540_000, 750_000, 210_000)}
    assert result.items == 3 and result.total == 3 * 140_000 * 1.5
    assert "500.000" in items[0].reason

    october = services.payment_list_generate(actor=cast.director, commune=geo["c1"], month=D(2024, 10, 1))
    line = october.lines.get(entitlement=ent)
    assert (line.amount, line.arrears, line.total) == (750_000, 630_000, 1_380_000)
    assert set(ArrearsItem.objects.filter(entitlement=ent).values_list("settled_line", flat=True)) == {line.pk}
    october.refresh_from_db()
    assert october.total_arrears == 630_000


def test_it_adds_nothing_when_run_again(cast, geo, before_decree_76):
    entitled(geo["c1"], coefficient="2.0")
    _paid_and_closed(cast.director, geo["c1"], [D(2024, 7, 1), D(2024, 8, 1)])
    Rule.objects.create(**ROW_500K)
    services.arrears_compute(actor=cast.director, as_of=D(2024, 10, 5), commune_id=geo["c1"].pk)
    again = services.arrears_compute(actor=cast.director, as_of=D(2024, 10, 5), commune_id=geo["c1"].pk)
    assert again.items == 0
    assert ArrearsItem.objects.count() == 2


def test_it_finds_nothing_when_the_paid_months_were_right(cast, geo):
    entitled(geo["c1"])
    _paid_and_closed(cast.director, geo["c1"], [D(2024, 7, 1)])
    result = services.arrears_compute(actor=cast.director, as_of=D(2024, 10, 5), commune_id=geo["c1"].pk)
    assert result.items == 0


def test_it_keeps_an_unsettled_item_off_a_list_the_person_is_not_on(cast, geo, before_decree_76):
    ent = entitled(geo["c1"], name="Lê Thị Hoa")
    other = entitled(geo["c1"], name="Phạm Văn Tú")
    _paid_and_closed(cast.director, geo["c1"], [D(2024, 7, 1)])
    Rule.objects.create(**ROW_500K)
    services.arrears_compute(actor=cast.director, as_of=D(2024, 8, 5), commune_id=geo["c1"].pk)
    services.entitlement_stop(actor=cast.director, entitlement=other, reason="death", stop_on=D(2024, 7, 20),
                              decision={"number": "9/QĐ-UBND", "signed_on": D(2024, 7, 25), "signer_name": "Lê Văn A"})
    august = services.payment_list_generate(actor=cast.director, commune=geo["c1"], month=D(2024, 8, 1))
    assert august.lines.get(entitlement=ent).arrears == 210_000
    assert not august.lines.filter(entitlement=other).exists()
    assert ArrearsItem.objects.get(entitlement=other).settled_line is None


def test_it_owes_the_months_before_a_late_decision(cast, geo, disabled, decision_data):
    plain = entitled(geo["c1"], name="Hoàng Văn Sơn", start_on=D(2025, 1, 1))
    _paid_and_closed(cast.director, geo["c1"], [D(2025, 7, 1), D(2025, 8, 1)])
    ent = services.entitlement_propose(actor=cast.collaborator, person=disabled, group="d20_5_7_severe_adult",
                                       on=D(2025, 7, 1))
    services.entitlement_decide(actor=cast.director, entitlement=ent, approve=True,
                                decision=decision_data(signed_on=D(2025, 9, 3), effective_on=D(2025, 7, 1)))
    items = ArrearsItem.objects.filter(entitlement=ent).order_by("month")
    assert [(i.month, i.paid, i.due) for i in items] == [(D(2025, 7, 1), 0, 750_000), (D(2025, 8, 1), 0, 750_000)]
    assert not ArrearsItem.objects.filter(entitlement=plain).exists()
    assert AuditEntry.objects.filter(action="arrears.computed", object_id=str(ent.pk)).exists()


def test_it_queues_the_arrears_itself_when_a_past_base_level_row_is_entered(
        cast, geo, before_decree_76, django_capture_on_commit_callbacks):
    ent = entitled(geo["c1"])
    _paid_and_closed(cast.director, geo["c1"], [D(2024, 7, 1), D(2024, 8, 1)])
    with django_capture_on_commit_callbacks(execute=True):
        Rule.objects.create(**ROW_500K)
    assert sorted(ArrearsItem.objects.filter(entitlement=ent).values_list("difference", flat=True)) == [210_000] * 2


def test_it_refuses_users_who_do_not_manage_payments(cast, geo):
    from django.core.exceptions import PermissionDenied

    for user in (cast.caseworker, cast.statistician, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.arrears_compute(actor=user, as_of=D(2024, 10, 5), commune_id=geo["c1"].pk)


def test_a_decision_effective_this_month_after_its_list_closed_is_paid_on_the_next_list(
        cast, geo, disabled, decision_data):
    from django.utils import timezone

    from ctxh.assistance.models import month_start, next_month

    this_month = month_start(timezone.localdate())
    entitled(geo["c1"], name="Hoàng Văn Sơn", start_on=D(2025, 1, 1))
    _paid_and_closed(cast.director, geo["c1"], [this_month])
    ent = services.entitlement_propose(actor=cast.collaborator, person=disabled, group="d20_5_7_severe_adult",
                                       on=this_month)
    services.entitlement_decide(actor=cast.director, entitlement=ent, approve=True,
                                decision=decision_data(signed_on=timezone.localdate(), effective_on=this_month))
    assert [(i.month, i.paid, i.due) for i in ArrearsItem.objects.filter(entitlement=ent)] == [
        (this_month, 0, 750_000)]
    following = services.payment_list_generate(actor=cast.director, commune=geo["c1"], month=next_month(this_month))
    line = following.lines.get(entitlement=ent)
    assert (line.amount, line.arrears, line.total) == (750_000, 750_000, 1_500_000)


def test_a_recovery_larger_than_the_month_is_capped_and_the_rest_waits_for_the_next_list(cast, geo):
    ent = entitled(geo["c1"], coefficient="1.5", start_on=D(2025, 1, 1))
    _paid_and_closed(cast.director, geo["c1"], [D(2025, 7, 1), D(2025, 8, 1), D(2025, 9, 1)])
    # A base level corrected downwards from July: each paid month was 600,000 too much.
    Rule.objects.create(key="assistance.base_level", valid_from=D(2025, 7, 1), value=100_000, unit="VND/tháng",
                        source="Sửa sai số liệu (thử nghiệm)")
    services.arrears_compute(actor=cast.director, as_of=D(2025, 10, 5), commune_id=geo["c1"].pk)
    assert sum(ArrearsItem.objects.filter(entitlement=ent).values_list("difference", flat=True)) == -1_800_000

    october = services.payment_list_generate(actor=cast.director, commune=geo["c1"], month=D(2025, 10, 1))
    line = october.lines.get(entitlement=ent)
    assert (line.amount, line.arrears, line.total) == (150_000, -150_000, 0)
    october.refresh_from_db()
    assert october.total == sum(october.lines.values_list("total", flat=True)) == 0
    settled = ArrearsItem.objects.filter(entitlement=ent, settled_line=line)
    assert sum(settled.values_list("difference", flat=True)) == -150_000
    waiting = ArrearsItem.objects.filter(entitlement=ent, settled_line__isnull=True)
    assert sum(waiting.values_list("difference", flat=True)) == -1_650_000
    # The months still sum to what was overpaid, so computing again finds nothing new.
    again = services.arrears_compute(actor=cast.director, as_of=D(2025, 10, 5), commune_id=geo["c1"].pk)
    assert again.items == 0

    november = services.payment_list_generate(actor=cast.director, commune=geo["c1"], month=D(2025, 11, 1))
    assert november.lines.get(entitlement=ent).total == 0
    assert sum(ArrearsItem.objects.filter(entitlement=ent, settled_line__isnull=True)
               .values_list("difference", flat=True)) == -1_500_000
