"""Sharing a person's data with a provider needs their consent — or a life-threatening emergency, recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ctxh.accounts.models import Notification
from ctxh.audit.models import AuditEntry
from ctxh.cases.models import CaseEvent
from ctxh.referrals import services
from ctxh.referrals.models import Referral
from tests.referrals.factories import ConsentFactory


def _send(cast, case, provider, **kwargs):
    return services.referral_create(actor=cast.caseworker, provider=provider, case=case,
                                    reason="Trẻ cần tư vấn tâm lý.", **kwargs)


def test_without_consent_the_referral_is_refused_in_vietnamese(cast, case, provider):
    with pytest.raises(ValidationError) as exc:
        _send(cast, case, provider)
    message = " ".join(exc.value.message_dict["consent"])
    assert "Lò Thị Hoa chưa có sự đồng ý" in message and "chia sẻ thông tin" in message
    assert not Referral.objects.exists()


def test_a_withdrawn_consent_does_not_count(cast, case, provider, child):
    today = timezone.localdate()
    ConsentFactory(person=child, given_on=today - dt.timedelta(days=90), withdrawn_on=today - dt.timedelta(days=1),
                   withdrawal_reason="Gia đình không muốn chia sẻ nữa")
    with pytest.raises(ValidationError) as exc:
        _send(cast, case, provider)
    assert "consent" in exc.value.message_dict


def test_a_consent_for_another_purpose_or_from_the_future_does_not_count(cast, case, provider, child):
    ConsentFactory(person=child, purpose="processing")
    ConsentFactory(person=child, given_on=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(ValidationError):
        _send(cast, case, provider)


def test_an_active_sharing_consent_is_recorded_on_the_referral(cast, case, provider, child):
    consent = ConsentFactory(person=child, given_by="representative", representative_name="Lò Văn Sáng")
    referral = _send(cast, case, provider)
    assert referral.consent == consent and referral.consent_basis == "consent" and referral.emergency_reason == ""


def test_the_emergency_exception_needs_a_written_reason(cast, case, provider):
    with pytest.raises(ValidationError) as exc:
        _send(cast, case, provider, emergency=True, emergency_reason="gấp")
    assert "emergency_reason" in exc.value.message_dict
    assert not Referral.objects.exists()


def test_the_emergency_exception_is_recorded_audited_and_told_to_the_director(cast, case, provider):
    reason = "Trẻ bị đe dọa tính mạng, cần đưa ngay đến nơi tạm lánh an toàn tối nay."
    referral = _send(cast, case, provider, emergency=True, emergency_reason=reason)
    assert referral.consent is None and referral.consent_basis == "emergency" and referral.emergency_reason == reason
    entry = AuditEntry.objects.get(action="referral.consent_exception", object_id=str(referral.pk))
    assert entry.actor == cast.caseworker and entry.changes == {"reason": reason}
    assert Notification.objects.filter(user=cast.director, verb="referral.consent_exception").exists()
    event = CaseEvent.objects.get(case=case, kind="referral_sent")
    assert event.data["consent"] == "emergency" and event.data["emergency_reason"] == reason


def test_the_database_refuses_a_referral_without_a_lawful_basis(cast, case, provider, consent):
    from django.db import IntegrityError, transaction

    referral = _send(cast, case, provider)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Referral.objects.filter(pk=referral.pk).update(consent=None)
