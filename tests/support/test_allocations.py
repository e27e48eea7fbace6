"""An allocation never exceeds what remains of a donation; remaining = total − active allocations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404

from ctxh.support import selectors, services
from ctxh.support.models import Allocation, Donation
from tests.support.conftest import term

D = dt.date


def _allocate(cast, donation, **kwargs):
    args = {"allocated_on": D(2025, 2, 1)}
    args.update(kwargs)
    return services.allocation_create(actor=cast.director, donation=donation, **args)


def test_remaining_is_the_total_less_the_allocations(cast, heifers, households, people):
    _allocate(cast, heifers, household=households["h1"], quantity=2)
    _allocate(cast, heifers, household=households["h2"], quantity=1)
    _allocate(cast, heifers, person=people["han"], quantity=5)
    heifers.refresh_from_db()
    assert heifers.remaining == 992 == selectors.donation_remaining(heifers)
    assert (heifers.total, heifers.allocated) == (1000, 8)


def test_an_allocation_larger_than_what_remains_is_refused_with_what_remains(cast, heifers, households):
    _allocate(cast, heifers, household=households["h1"], quantity=998)
    with pytest.raises(ValidationError) as exc:
        _allocate(cast, heifers, household=households["h2"], quantity=3)
    message = exc.value.message_dict["quantity"][0]
    assert "chỉ còn 2 con" in message and "đã phân bổ 998 con trên tổng 1.000 con" in message
    heifers.refresh_from_db()
    assert heifers.remaining == 2 and Allocation.objects.count() == 1


def test_all_of_a_donation_can_be_allocated_and_then_nothing_more(cast, heifers, households):
    _allocate(cast, heifers, household=households["h1"], quantity=1000)
    with pytest.raises(ValidationError):
        _allocate(cast, heifers, household=households["h2"], quantity=1)
    heifers.refresh_from_db()
    assert heifers.remaining == 0 == selectors.donation_remaining(heifers)


def test_a_cash_donation_is_allocated_in_money(cast, cash_donation, people):
    with pytest.raises(ValidationError) as exc:
        _allocate(cast, cash_donation, person=people["han"], quantity=1)
    assert "amount" in exc.value.message_dict
    _allocate(cast, cash_donation, person=people["han"], amount=10_000_000)
    with pytest.raises(ValidationError) as exc:
        _allocate(cast, cash_donation, person=people["an"], amount=40_000_001)
    assert "chỉ còn 40.000.000 ₫" in exc.value.message_dict["amount"][0]


def test_zero_is_not_an_allocation(cast, heifers, households):
    with pytest.raises(ValidationError):
        _allocate(cast, heifers, household=households["h1"], quantity=0)


def test_cancelling_gives_the_share_back(cast, heifers, households):
    allocation = _allocate(cast, heifers, household=households["h1"], quantity=10)
    services.allocation_cancel(actor=cast.director, allocation=allocation, reason="Nhập nhầm hộ")
    heifers.refresh_from_db()
    assert heifers.remaining == 1000 == selectors.donation_remaining(heifers)
    with pytest.raises(ValidationError):
        services.allocation_cancel(actor=cast.director, allocation=allocation, reason="Lần nữa")


def test_the_database_refuses_a_negative_remaining(heifers):
    with pytest.raises(IntegrityError), transaction.atomic():
        Donation.objects.filter(pk=heifers.pk).update(remaining=F("remaining") - 1001)
    with pytest.raises(IntegrityError), transaction.atomic():
        Donation.objects.filter(pk=heifers.pk).update(remaining=1001)


def test_a_donation_for_some_communes_goes_only_there(cast, donor, geo, households):
    rice = services.donation_record(actor=cast.director, donor=donor, received_on=D(2025, 1, 20),
                                    item=term("support_item", "rice"), quantity=500, purpose="Gạo cứu đói",
                                    communes=[geo["c2"]])
    with pytest.raises(ValidationError) as exc:
        _allocate(cast, rice, household=households["h1"], quantity=30)
    assert geo["c2"].name in exc.value.message_dict["person"][0]
    assert _allocate(cast, rice, household=households["h2"], quantity=30).quantity == 30


def test_an_allocation_before_the_donation_arrived_is_refused(cast, heifers, households):
    with pytest.raises(ValidationError) as exc:
        _allocate(cast, heifers, household=households["h1"], quantity=1, allocated_on=D(2025, 1, 1))
    assert "15/01/2025" in exc.value.message_dict["allocated_on"][0]


def test_a_donation_is_cash_or_goods_not_both(cast, donor):
    with pytest.raises(ValidationError):
        services.donation_record(actor=cast.director, donor=donor, received_on=D(2025, 1, 2), amount=1_000_000,
                                 item=term("support_item", "rice"), quantity=10, purpose="x")
    with pytest.raises(ValidationError):
        services.donation_record(actor=cast.director, donor=donor, received_on=D(2025, 1, 2), purpose="x")


def test_only_donation_managers_allocate(cast, heifers, households):
    with pytest.raises(PermissionDenied):
        services.allocation_create(actor=cast.caseworker, donation=heifers, household=households["h1"], quantity=1,
                                   allocated_on=D(2025, 2, 1))


def test_donations_of_another_province_are_not_found(cast, heifers, households, geo):
    with pytest.raises(Http404):
        selectors.donation_get(user=cast.far_worker, pk=heifers.pk)


def test_the_allocation_list_hides_recipients_outside_the_area(cast, heifers, households):
    _allocate(cast, heifers, household=households["h1"], quantity=1)
    _allocate(cast, heifers, household=households["h2"], quantity=1)
    seen = selectors.donation_allocations(user=cast.collaborator2, donation=heifers)
    assert [a.household for a in seen.visible] == [households["h2"]] and seen.hidden_count == 1
