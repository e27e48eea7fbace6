"""A referral's life: sent → accepted or declined → in progress → completed (or cancelled), and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from ctxh.audit.models import AuditEntry
from ctxh.cases.models import CaseEvent
from ctxh.core.exceptions import ConflictError
from ctxh.referrals import services, workflow
from ctxh.referrals.models import Referral, ReferralChange, Status


def _status(referral):
    return Referral.objects.get(pk=referral.pk).status


def test_it_sends_a_referral_with_its_due_date_history_timeline_and_audit(cast, case, refer, counselling):
    referral = refer(services=[counselling], urgency="urgent")
    assert referral.status == Status.SENT and referral.person_id == case.person_id
    assert referral.province_id == case.province_id and referral.commune_id == case.commune_id
    assert list(referral.services.all()) == [counselling]
    # Three working days from now (rule referral.response_days), counted by the working calendar.
    assert referral.due_on == services.due_on_for(referral.sent_at)
    assert referral.due_on > timezone.localdate()
    assert referral.number == f"CG-{timezone.localdate().year}-{referral.pk:06d}"
    change = ReferralChange.objects.get(referral=referral)
    assert (change.from_status, change.to_status, change.actor, change.via) == ("", "sent", cast.caseworker, "centre")
    event = CaseEvent.objects.get(case=case, kind="referral_sent")
    assert event.actor == cast.caseworker and event.data["provider"] == "Trung tâm Tư vấn Hoa Sen"
    assert event.data["referral"] == referral.pk and event.data["services"] == [counselling.name]
    assert AuditEntry.objects.filter(action="referral.sent", object_id=str(referral.pk), actor=cast.caseworker).exists()


def test_every_legal_path_reaches_its_end(cast, refer):
    a = refer()
    a = services.referral_accept(actor=cast.caseworker, referral=a, note="Đơn vị gọi điện nhận")
    a = services.referral_start(actor=cast.caseworker, referral=a)
    a = services.referral_complete(actor=cast.caseworker, referral=a, feedback="Đã tư vấn 4 buổi")
    assert a.status == Status.COMPLETED and a.provider_feedback == "Đã tư vấn 4 buổi"
    assert a.accepted_at and a.started_at and a.completed_at and a.version == 4

    b = services.referral_accept(actor=cast.caseworker, referral=refer())
    b = services.referral_complete(actor=cast.caseworker, referral=b, feedback="Khám một lần là xong")
    assert b.status == Status.COMPLETED and b.started_at is None

    c = services.referral_decline(actor=cast.caseworker, referral=refer(), reason="Đã hết chỗ")
    assert c.status == Status.DECLINED and c.decline_reason == "Đã hết chỗ" and c.declined_at

    for moves in ([], ["accept"], ["accept", "start"]):
        r = refer()
        for code in moves:
            r = services.referral_act(actor=cast.caseworker, referral=r, action=code)
        r = services.referral_cancel(actor=cast.caseworker, referral=r, reason="Gia đình đã chuyển đi tỉnh khác")
        assert r.status == Status.CANCELLED and r.cancel_reason and r.cancelled_at


@pytest.mark.parametrize("status", Status.values)
def test_illegal_moves_are_refused_with_a_clear_message(cast, refer, status):
    referral = refer()
    Referral.objects.filter(pk=referral.pk).update(status=status, decline_reason="x")
    legal = {m.code for m in workflow.moves_from(status)}
    for code in ["accept", "decline", "start", "complete", "cancel"]:
        if code in legal:
            continue
        with pytest.raises(ValidationError) as exc:
            services.referral_act(actor=cast.caseworker, referral=referral, action=code, text="lý do")
        assert "Không thể" in " ".join(exc.value.messages)
        assert _status(referral) == status


def test_the_table_is_what_the_issue_says():
    assert {s: sorted(m.code for m in workflow.moves_from(s)) for s in Status.values} == {
        "sent": ["accept", "cancel", "decline"],
        "accepted": ["cancel", "complete", "start"],
        "in_progress": ["cancel", "complete"],
        "declined": [], "completed": [], "cancelled": [],
    }


def test_declining_completing_and_cancelling_need_their_text(cast, refer):
    referral = refer()
    with pytest.raises(ValidationError) as exc:
        services.referral_decline(actor=cast.caseworker, referral=referral, reason="  ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.referral_cancel(actor=cast.caseworker, referral=referral, reason="")
    services.referral_accept(actor=cast.caseworker, referral=referral)
    with pytest.raises(ValidationError) as exc:
        services.referral_complete(actor=cast.caseworker, referral=referral, feedback="")
    assert "feedback" in exc.value.message_dict
    assert _status(referral) == Status.ACCEPTED


def test_a_stale_version_is_a_conflict(cast, refer):
    referral = refer()
    services.referral_accept(actor=cast.caseworker, referral=referral, expected_version=1)
    with pytest.raises(ConflictError) as exc:
        services.referral_cancel(actor=cast.caseworker, referral=referral, reason="Nhầm đơn vị", expected_version=1)
    assert "vừa được cập nhật" in exc.value.message
    assert _status(referral) == Status.ACCEPTED


def test_each_move_lands_on_the_case_timeline_and_in_the_audit_log(cast, case, refer):
    referral = refer()
    services.referral_accept(actor=cast.caseworker, referral=referral)
    services.referral_complete(actor=cast.caseworker, referral=referral, feedback="Trẻ đã ổn định")
    updates = list(CaseEvent.objects.filter(case=case, kind="referral_update").order_by("at", "id"))
    assert [(e.data["from"], e.data["to"], e.data["by"]) for e in updates] == [
        ("sent", "accepted", "centre"), ("accepted", "completed", "centre")]
    assert updates[1].data["text"] == "Trẻ đã ổn định"
    assert set(AuditEntry.objects.filter(object_id=str(referral.pk), object_type="referrals.referral")
               .values_list("action", flat=True)) >= {"referral.sent", "referral.accepted", "referral.completed"}


def test_the_waiting_worker_is_told_when_the_provider_answers(cast, case, refer, provider_staff, account_provider):
    from ctxh.accounts.models import Notification

    referral = refer(provider=account_provider)
    assert Notification.objects.filter(user=provider_staff, verb="referral.received").exists()
    services.referral_accept(actor=provider_staff, referral=referral)
    assert Notification.objects.filter(user=cast.caseworker, verb="referral.accepted").exists()


def test_only_the_centre_cancels_and_outsiders_learn_nothing(cast, refer, provider_staff, account_provider,
                                                             caseworker2):
    referral = refer(provider=account_provider)
    with pytest.raises(PermissionDenied):
        services.referral_cancel(actor=provider_staff, referral=referral, reason="Không muốn")
    for user in (caseworker2, cast.collaborator2, cast.far_worker, cast.outsider, cast.statistician):
        with pytest.raises((Http404, PermissionDenied)):
            services.referral_accept(actor=user, referral=referral)
    assert _status(referral) == Status.SENT


def test_a_referral_needs_a_case_or_a_call_in_the_database_too(cast, refer):
    from django.db import IntegrityError, transaction

    referral = refer()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Referral.objects.filter(pk=referral.pk).update(case=None, call=None)


def test_a_closed_case_cannot_refer(cast, case, refer):
    from ctxh.cases.models import Case

    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now(), status="closed")
    with pytest.raises(ValidationError) as exc:
        refer()
    assert "đã đóng" in " ".join(exc.value.messages)


def test_a_referral_from_a_call_is_about_one_of_its_people(cast, geo, make_call, provider):
    from tests.factories import PersonFactory
    from tests.referrals.factories import ConsentFactory

    mother = PersonFactory(full_name="Lò Thị Mai", commune=geo["c1"], birth_date=dt.date(1988, 1, 1))
    stranger = PersonFactory(full_name="Vi Văn Khải", commune=geo["c1"])
    ConsentFactory(person=mother)
    ConsentFactory(person=stranger)
    call = make_call([mother])
    with pytest.raises(ValidationError) as exc:
        services.referral_create(actor=cast.counsellor, provider=provider, call=call, person=stranger,
                                 reason="Cần tư vấn")
    assert "person" in exc.value.message_dict
    referral = services.referral_create(actor=cast.counsellor, provider=provider, call=call, reason="Cần tư vấn")
    assert referral.person == mother and referral.call == call and referral.case is None
    assert referral.province_id == call.province_id


def test_a_referral_from_a_call_with_a_case_lands_on_that_cases_timeline(cast, geo, case, consent, make_call,
                                                                         provider):
    from ctxh.hotline.models import Call

    call = make_call([case.person])
    Call.objects.filter(pk=call.pk).update(case=case)
    referral = services.referral_create(actor=cast.counsellor, provider=provider, call=Call.objects.get(pk=call.pk),
                                        reason="Cần tư vấn")
    assert referral.case == case and referral.call_id == call.pk
    assert CaseEvent.objects.filter(case=case, kind="referral_sent", data__referral=referral.pk).exists()
    other_case = type(case)(pk=case.pk + 1000)
    with pytest.raises(ValidationError) as exc:  # a case the call is not about
        services.referral_create(actor=cast.counsellor, provider=provider, call=call, case=other_case, reason="x")
    assert "case" in exc.value.message_dict


def test_an_emergency_referral_straight_from_a_call_is_told_to_the_directors_of_the_place(cast, geo, make_call,
                                                                                         provider):
    from ctxh.accounts.models import Notification
    from tests.factories import PersonFactory

    child = PersonFactory(full_name="Hà Văn Tín", commune=geo["c1"], birth_date=dt.date(2016, 2, 2))
    call = make_call([child])
    reason = "Trẻ bị đe dọa tính mạng, cần đưa ngay đến nơi tạm lánh an toàn tối nay."
    referral = services.referral_create(actor=cast.counsellor, provider=provider, call=call, reason="Cần tạm lánh",
                                        emergency=True, emergency_reason=reason)
    assert referral.case is None and referral.consent_basis == "emergency"
    told = Notification.objects.filter(verb="referral.consent_exception")
    assert set(told.values_list("user", flat=True)) == {cast.director.pk}
    assert reason in told.get().message
