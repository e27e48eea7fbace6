"""Needs move identified → requested → fulfilled | declined, one service per move, nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from ctxh.audit.models import AuditEntry
from ctxh.core.exceptions import ConflictError
from ctxh.support import services
from ctxh.support.models import Need, NeedStatus
from tests.support.conftest import term

D = dt.date


def _v(need):
    """The need's version as a page would have read it now."""
    return Need.objects.get(pk=need.pk).version


@pytest.fixture
def need(cast, people):
    return services.need_identify(actor=cast.caseworker, person=people["han"], need_type=term("need_type", "wheelchair"),
                                  detail="Liệt hai chân", identified_on=D(2025, 3, 1))


def test_a_need_starts_identified_in_the_commune_of_the_person(need, geo):
    assert need.status == NeedStatus.IDENTIFIED and need.commune == geo["c1"]
    assert AuditEntry.objects.filter(action="support.need_identified", person_id=need.person_id).exists()


def test_it_is_requested_then_fulfilled_by_the_grant_that_met_it(need, cast, people, record_grant):
    services.need_request(actor=cast.caseworker, need=need, expected_version=_v(need), on=D(2025, 3, 5))
    grant = record_grant(person=people["han"], kind=term("support_kind", "goods"), amount=None,
                         item=term("support_item", "wheelchair"), quantity=1)
    done = services.need_fulfil(actor=cast.caseworker, need=need, expected_version=_v(need), grant=grant, on=D(2025, 4, 1))
    assert (done.status, done.fulfilled_grant, done.requested_on, done.closed_on) == (
        NeedStatus.FULFILLED, grant, D(2025, 3, 5), D(2025, 4, 1))


@pytest.mark.parametrize("start", [NeedStatus.IDENTIFIED, NeedStatus.REQUESTED])
def test_it_can_be_declined_from_identified_or_requested_with_a_reason(need, cast, start):
    if start == NeedStatus.REQUESTED:
        services.need_request(actor=cast.caseworker, need=need, expected_version=_v(need))
    with pytest.raises(ValidationError) as exc:
        services.need_decline(actor=cast.caseworker, need=need, expected_version=_v(need), reason="  ")
    assert "reason" in exc.value.message_dict
    done = services.need_decline(actor=cast.caseworker, need=need, expected_version=_v(need), reason="Đã chuyển đi nơi khác")
    assert done.status == NeedStatus.DECLINED and done.decline_reason == "Đã chuyển đi nơi khác"


def test_an_identified_need_cannot_be_fulfilled_without_being_requested(need, cast, people, record_grant):
    grant = record_grant(person=people["han"])
    with pytest.raises(ValidationError) as exc:
        services.need_fulfil(actor=cast.caseworker, need=need, expected_version=_v(need), grant=grant)
    assert "Không thể ghi đã đáp ứng" in exc.value.message_dict["status"][0]
    assert "Đã xác định" in exc.value.message_dict["status"][0]


@pytest.mark.parametrize("move", ["request", "decline", "fulfil"])
def test_a_closed_need_moves_no_more(need, cast, move):
    services.need_decline(actor=cast.caseworker, need=need, expected_version=_v(need), reason="Không đủ điều kiện")
    with pytest.raises(ValidationError):
        if move == "request":
            services.need_request(actor=cast.caseworker, need=need, expected_version=_v(need))
        elif move == "decline":
            services.need_decline(actor=cast.caseworker, need=need, expected_version=_v(need), reason="Lần nữa")
        else:
            services.need_fulfil(actor=cast.caseworker, need=need, expected_version=_v(need), grant=None)
    assert Need.objects.get(pk=need.pk).status == NeedStatus.DECLINED


def test_a_requested_need_cannot_be_requested_again(need, cast):
    services.need_request(actor=cast.caseworker, need=need, expected_version=_v(need))
    with pytest.raises(ValidationError):
        services.need_request(actor=cast.caseworker, need=need, expected_version=_v(need))


def test_support_given_to_someone_else_does_not_fulfil_the_need(need, cast, people, record_grant):
    services.need_request(actor=cast.caseworker, need=need, expected_version=_v(need))
    grant = record_grant(person=people["an"])
    with pytest.raises(ValidationError) as exc:
        services.need_fulfil(actor=cast.caseworker, need=need, expected_version=_v(need), grant=grant)
    assert "người (hộ) khác" in exc.value.message_dict["grant"][0]


def test_a_household_grant_fulfils_the_need_of_one_of_its_members(cast, people, households, record_grant):
    need = services.need_identify(actor=cast.caseworker, person=people["binh"], need_type=term("need_type", "livelihood"))
    services.need_request(actor=cast.caseworker, need=need, expected_version=_v(need))
    grant = record_grant(household=households["h1"])
    assert services.need_fulfil(actor=cast.caseworker, need=need, grant=grant,
                                expected_version=_v(need)).status == NeedStatus.FULFILLED


def test_recording_support_for_a_need_meets_it_at_once(need, cast, people, record_grant):
    grant = record_grant(person=people["han"], kind=term("support_kind", "goods"), amount=None,
                         item=term("support_item", "wheelchair"), quantity=1, need=need)
    need.refresh_from_db()
    assert need.status == NeedStatus.FULFILLED and need.fulfilled_grant == grant and need.requested_on


def test_an_allocation_can_fulfil_a_need(need, cast, people, donor):
    wheelchairs = services.donation_record(actor=cast.director, donor=donor, received_on=D(2025, 1, 2),
                                           item=term("support_item", "wheelchair"), quantity=10, purpose="Xe lăn")
    allocation = services.allocation_create(actor=cast.director, donation=wheelchairs, person=people["han"],
                                            quantity=1, allocated_on=D(2025, 5, 1), need=need)
    need.refresh_from_db()
    assert need.fulfilled_allocation == allocation and need.closed_on == D(2025, 5, 1)


def test_the_database_refuses_a_fulfilled_need_without_what_met_it(need):
    with pytest.raises(IntegrityError), transaction.atomic():
        Need.objects.filter(pk=need.pk).update(status=NeedStatus.FULFILLED)


def test_a_stale_version_is_a_conflict(need, cast):
    services.need_request(actor=cast.caseworker, need=need, expected_version=_v(need))
    with pytest.raises(ConflictError):
        services.need_decline(actor=cast.caseworker, need=need, reason="x", expected_version=1)


def test_needs_outside_the_area_are_not_found(need, cast):
    with pytest.raises(Http404):
        services.need_request(actor=cast.collaborator2, need=need, expected_version=_v(need))
