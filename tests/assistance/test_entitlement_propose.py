"""Proposing an entitlement from what the eligibility engine pays the person."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from ctxh.assistance import services
from ctxh.audit.models import AuditEntry

ON = dt.date(2026, 1, 15)


def test_it_copies_the_engines_line_onto_the_proposal(cast, geo, disabled):
    ent = services.entitlement_propose(actor=cast.collaborator, person=disabled, group="d20_5_7_severe_adult", on=ON,
                                       payment={"payment_method": "post"}, note="Hồ sơ đủ giấy tờ")
    assert ent.status == "proposed" and ent.scheme == "monthly_allowance"
    assert ent.coefficient == Decimal("1.5") and ent.base_rule_key == "assistance.base_level"
    assert ent.commune == geo["c1"] and ent.province_id == 22 and ent.payment_method == "post"
    assert ent.label and ent.reasoning and any("1,5" in r for r in ent.reasoning)
    assert ent.proposed_by == cast.collaborator and ent.proposed_on == ON
    assert services.monthly_amount(ent, ON) == 750_000
    assert AuditEntry.objects.filter(action="entitlement.proposed", object_id=str(ent.pk), person_id=disabled.pk).exists()


def test_it_refuses_a_group_the_engine_does_not_pay(cast, disabled):
    with pytest.raises(ValidationError) as exc:
        services.entitlement_propose(actor=cast.collaborator, person=disabled, group="d20_5_6c", on=ON)
    assert "group" in exc.value.message_dict
    assert "d20_5_7_severe_adult" in exc.value.message_dict["group"][0]


def test_it_refuses_a_second_open_proposal_for_the_same_group(cast, disabled):
    services.entitlement_propose(actor=cast.collaborator, person=disabled, group="d20_5_7_severe_adult", on=ON)
    with pytest.raises(ValidationError):
        services.entitlement_propose(actor=cast.caseworker, person=disabled, group="d20_5_7_severe_adult", on=ON)


def test_a_bank_payment_needs_an_account_number(cast, disabled):
    with pytest.raises(ValidationError) as exc:
        services.entitlement_propose(actor=cast.collaborator, person=disabled, group="d20_5_7_severe_adult", on=ON,
                                     payment={"payment_method": "bank"})
    assert "bank_account" in exc.value.message_dict


def test_it_refuses_a_dead_person(cast, disabled):
    disabled.status, disabled.death_date = "deceased", dt.date(2025, 12, 1)
    disabled.save()
    with pytest.raises(ValidationError):
        services.entitlement_propose(actor=cast.collaborator, person=disabled, group="d20_5_7_severe_adult", on=ON)


def test_only_staff_of_the_persons_commune_propose(cast, disabled):
    for user in (cast.statistician, cast.outsider, cast.facility, cast.counsellor):
        with pytest.raises(PermissionDenied):
            services.entitlement_propose(actor=user, person=disabled, group="d20_5_7_severe_adult", on=ON)
    for user in (cast.collaborator2, cast.far_worker):
        with pytest.raises(Http404):
            services.entitlement_propose(actor=user, person=disabled, group="d20_5_7_severe_adult", on=ON)


def test_it_may_not_be_paid_in_a_commune_the_proposer_does_not_cover(cast, geo, disabled):
    with pytest.raises(ValidationError) as exc:
        services.entitlement_propose(actor=cast.collaborator, person=disabled, group="d20_5_7_severe_adult", on=ON,
                                     commune=geo["c2"])
    assert "commune" in exc.value.message_dict
