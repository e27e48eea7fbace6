"""Stopping an entitlement: by a decision with its reason; paid to the end of that month, not after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ctxh.assistance import services
from ctxh.assistance.models import ArrearsItem
from tests.assistance.factories import entitled

D = dt.date


def _stop(cast, ent, **kw):
    values = {"reason": "death", "stop_on": D(2025, 3, 15), "note": "",
              "decision": {"number": "33/QĐ-UBND", "signed_on": D(2025, 3, 25), "signer_name": "Lê Văn Hòa"}}
    values.update(kw)
    return services.entitlement_stop(actor=cast.director, entitlement=ent, **values)


def test_death_ends_payment_from_the_next_month(cast, geo):
    ent = entitled(geo["c1"], start_on=D(2025, 1, 1))
    april_draft = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=D(2025, 4, 1))
    assert april_draft.lines.filter(entitlement=ent).exists()
    stopped = _stop(cast, ent)
    assert stopped.status == "stopped" and stopped.stop_reason == "death" and stopped.stop_on == D(2025, 3, 15)
    assert stopped.stop_decision.kind == "stop" and stopped.stop_decision.effective_on == D(2025, 3, 15)
    assert stopped.stop_decision.signer_title == "Chủ tịch UBND huyện"
    april_draft.refresh_from_db()
    assert not april_draft.lines.filter(entitlement=ent).exists() and april_draft.line_count == 0
    march = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=D(2025, 3, 1))
    assert march.lines.filter(entitlement=ent).exists()
    may = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=D(2025, 5, 1))
    assert not may.lines.filter(entitlement=ent).exists()


def test_a_late_report_of_death_makes_the_overpayment_negative_arrears(cast, geo):
    ent = entitled(geo["c1"], start_on=D(2025, 1, 1))
    for month in (D(2025, 3, 1), D(2025, 4, 1)):
        plist = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=month)
        services.payment_list_close(actor=cast.director, payment_list=plist)
    _stop(cast, ent, decision={"number": "40/QĐ-UBND", "signed_on": D(2025, 5, 3), "signer_name": "Lê Văn Hòa"})
    item = ArrearsItem.objects.get(entitlement=ent)
    assert (item.month, item.paid, item.due, item.difference) == (D(2025, 4, 1), 750_000, 0, -750_000)


def test_the_reason_is_required_and_other_needs_a_note(cast, geo):
    ent = entitled(geo["c1"])
    with pytest.raises(ValidationError) as exc:
        _stop(cast, ent, reason="")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _stop(cast, ent, reason="other")
    assert "note" in exc.value.message_dict
    moved = _stop(cast, ent, reason="moved", note="Chuyển vào TP Hồ Chí Minh")
    assert moved.get_stop_reason_display() == "Chuyển đi nơi khác"


def test_it_cannot_stop_before_the_start_or_twice(cast, geo):
    ent = entitled(geo["c1"], start_on=D(2025, 1, 1))
    with pytest.raises(ValidationError):
        _stop(cast, ent, stop_on=D(2024, 12, 1))
    _stop(cast, ent)
    with pytest.raises(ValidationError):
        _stop(cast, ent)


def test_only_the_director_stops(cast, geo):
    ent = entitled(geo["c1"])
    for user in (cast.collaborator, cast.caseworker, cast.statistician):
        with pytest.raises(PermissionDenied):
            services.entitlement_stop(actor=user, entitlement=ent, reason="death", stop_on=D(2025, 3, 1))
