"""Correcting the admission facts, with the version the form read."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ctxh.audit.models import AuditEntry
from ctxh.core.exceptions import ConflictError
from ctxh.residential import services

pytestmark = pytest.mark.django_db


def test_it_saves_changes_and_raises_the_version(home, elder, admit, staff):
    a = admit(elder, home)
    a = services.admission_update(actor=staff, admission=a, expected_version=1, data={
        "kind": "voluntary_paid", "monthly_fee": 3_500_000, "payer_name": "Hoàng Thị Lan"})
    assert a.version == 2 and a.kind == "voluntary_paid" and a.monthly_fee == 3_500_000
    entry = AuditEntry.objects.get(action="residence.updated")
    assert entry.changes["kind"] == ["state", "voluntary_paid"] and entry.changes["_version"] == 2


def test_switching_to_state_care_with_a_fee_left_is_refused(home, elder, admit, staff):
    a = admit(elder, home, kind="voluntary_paid", monthly_fee=3_000_000, payer_name="Con gái")
    with pytest.raises(ValidationError) as exc:
        services.admission_update(actor=staff, admission=a, expected_version=1, data={"kind": "state"})
    assert "monthly_fee" in exc.value.message_dict
    a = services.admission_update(actor=staff, admission=a, expected_version=1, data={
        "kind": "state", "monthly_fee": None, "payer_name": "", "contract_number": ""})
    assert a.monthly_fee is None and a.kind == "state"


def test_an_edit_from_a_stale_form_is_refused_with_what_changed(home, adult, admit, staff, cast):
    a = admit(adult, home)
    services.admission_update(actor=cast.director, admission=a, expected_version=1, data={"decided_by": "Giám đốc"})
    with pytest.raises(ConflictError) as exc:
        services.admission_update(actor=staff, admission=a, expected_version=1, data={"notes": "Ghi chú mới"})
    assert "người khác" in exc.value.message
    assert any("Giám đốc" in new for _l, _o, new in exc.value.changes)


def test_no_change_no_new_version(home, adult, admit, staff):
    a = admit(adult, home)
    same = services.admission_update(actor=staff, admission=a, expected_version=1, data={"reason": a.reason})
    assert same.version == 1 and not AuditEntry.objects.filter(action="residence.updated").exists()


def test_unknown_fields_are_refused(home, adult, admit, staff, other_home):
    a = admit(adult, home)
    with pytest.raises(ValidationError):
        services.admission_update(actor=staff, admission=a, expected_version=1, data={"facility": other_home})
