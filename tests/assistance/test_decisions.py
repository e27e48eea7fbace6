"""The commune chair's decision: approving (with the signer's title of the day) or refusing a proposal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ctxh.assistance import selectors, services
from ctxh.assistance.models import Decision
from ctxh.audit.models import AuditEntry
from ctxh.core.exceptions import ConflictError

ON = dt.date(2025, 8, 1)


@pytest.fixture
def proposal(cast, disabled):
    return services.entitlement_propose(actor=cast.collaborator, person=disabled, group="d20_5_7_severe_adult", on=ON)


def test_it_starts_the_entitlement_from_the_effective_date(cast, proposal, decision_data):
    ent = services.entitlement_decide(actor=cast.director, entitlement=proposal, approve=True,
                                      decision=decision_data(effective_on=dt.date(2025, 8, 1)),
                                      expected_version=proposal.version)
    assert ent.status == "active" and ent.start_on == dt.date(2025, 8, 1) and ent.version == proposal.version + 1
    d = ent.start_decision
    assert (d.number, d.kind, d.signed_on, d.signer_name) == ("125/QĐ-UBND", "start", dt.date(2025, 8, 5),
                                                             "Nguyễn Văn Thành")
    assert d.signer_title == "Chủ tịch UBND xã/phường"  # Decree 147/2025: the commune chair since 2025-07-01
    assert d.commune == ent.commune and d.created_by == cast.director
    assert AuditEntry.objects.filter(action="entitlement.decided", object_id=str(ent.pk)).exists()
    assert AuditEntry.objects.filter(action="decision.recorded", object_id=str(d.pk)).exists()


def test_a_decision_before_july_2025_names_the_district_chair(cast, proposal, decision_data):
    ent = services.entitlement_decide(actor=cast.director, entitlement=proposal, approve=True,
                                      decision=decision_data(signed_on=dt.date(2025, 3, 10)))
    assert ent.start_decision.signer_title == "Chủ tịch UBND huyện"
    assert ent.start_on == dt.date(2025, 3, 10)


def test_the_title_printed_on_the_decision_is_kept(cast, proposal, decision_data):
    ent = services.entitlement_decide(actor=cast.director, entitlement=proposal, approve=True,
                                      decision=decision_data(signer_title="KT. Chủ tịch — Phó Chủ tịch UBND xã"))
    assert ent.start_decision.signer_title == "KT. Chủ tịch — Phó Chủ tịch UBND xã"


def test_refusing_needs_a_reason_and_makes_no_decision(cast, proposal):
    with pytest.raises(ValidationError):
        services.entitlement_decide(actor=cast.director, entitlement=proposal, approve=False)
    ent = services.entitlement_decide(actor=cast.director, entitlement=proposal, approve=False,
                                      reason="Gia đình có người phụng dưỡng")
    assert ent.status == "rejected" and ent.rejection_reason == "Gia đình có người phụng dưỡng"
    assert not Decision.objects.exists()


def test_a_decision_needs_its_number_date_and_signer(cast, proposal):
    with pytest.raises(ValidationError) as exc:
        services.entitlement_decide(actor=cast.director, entitlement=proposal, approve=True, decision={})
    assert {"number", "signed_on", "signer_name"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):
        services.entitlement_decide(actor=cast.director, entitlement=proposal, approve=True, decision={
            "number": "1/QĐ", "signed_on": dt.date.today() + dt.timedelta(days=3), "signer_name": "A"})


def test_a_stale_version_is_a_conflict(cast, proposal, decision_data):
    with pytest.raises(ConflictError):
        services.entitlement_decide(actor=cast.director, entitlement=proposal, approve=True,
                                    decision=decision_data(), expected_version=proposal.version + 5)


def test_only_a_decided_proposal_can_be_decided_once(cast, proposal, decision_data):
    services.entitlement_decide(actor=cast.director, entitlement=proposal, approve=True, decision=decision_data())
    with pytest.raises(ValidationError):
        services.entitlement_decide(actor=cast.director, entitlement=proposal, approve=True, decision=decision_data())


def test_only_the_director_records_decisions(cast, proposal, decision_data):
    for user in (cast.collaborator, cast.caseworker, cast.statistician, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.entitlement_decide(actor=user, entitlement=proposal, approve=True, decision=decision_data())


def test_decisions_are_listed_within_the_users_communes(cast, proposal, decision_data):
    services.entitlement_decide(actor=cast.director, entitlement=proposal, approve=True, decision=decision_data())
    assert selectors.decision_list(user=cast.collaborator).count() == 1
    assert selectors.decision_list(user=cast.collaborator2).count() == 0
    assert selectors.decision_list(user=cast.far_worker).count() == 0
    with pytest.raises(PermissionDenied):
        selectors.decision_list(user=cast.statistician)
