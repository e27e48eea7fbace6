"""The tracing services: create, edit with versions, review candidates, reunify, close."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from ctxh.audit.models import AuditEntry
from ctxh.core.exceptions import ConflictError
from ctxh.tracing import services
from ctxh.tracing.models import TracingMatch, TracingRequest
from tests.tracing.conftest import request_data

pytestmark = pytest.mark.django_db


def test_it_records_a_request_with_a_receipt_number(make_request, cast):
    req = make_request(sought_name="  nguyễn   văn  an ", seeker_phone="+84 904 555 666",
                       sought_aliases="cu tí; Bé An,cu tí")
    year = timezone.localdate().year
    assert req.receipt_number == f"TN-{year}-00001" and req.status == "new" and req.province_id == 22
    assert req.sought_name == "Nguyễn Văn An" and req.name_folded == "nguyen van an" and req.given_folded == "an"
    assert req.seeker_phone == "0904555666" and req.sought_aliases == "Cu Tí, Bé An"
    assert req.given_keys == " an ti " and req.birth_precision == "year" and req.created_by == cast.caseworker
    assert AuditEntry.objects.filter(action="tracing.created", object_id=str(req.pk)).exists()


def test_receipt_numbers_follow_each_other_within_the_year(make_request):
    numbers = [make_request().receipt_number for _ in range(3)]
    year = timezone.localdate().year
    assert numbers == [f"TN-{year}-00001", f"TN-{year}-00002", f"TN-{year}-00003"]


def test_a_birth_range_is_kept_as_a_range(make_request):
    req = make_request(birth_year_from=1988, birth_year_to=1992)
    assert (req.birth_precision, req.birth_display) == ("range", "1988–1992")
    unknown = make_request(birth_year_from=None, birth_year_to=None)
    assert unknown.birth_precision == "unknown" and unknown.birth_display == ""


def test_it_needs_consent(cast):
    with pytest.raises(ValidationError) as err:
        services.tracing_request_create(actor=cast.caseworker, data=request_data(consent=False))
    assert "consent" in err.value.message_dict and not TracingRequest.objects.exists()


@pytest.mark.parametrize("field,value", [
    ("seeker_phone", "12345"), ("seeker_name", "  "), ("sought_name", ""), ("seeker_relationship", "boss"),
    ("birth_year_from", 1850), ("circumstances", "x" * 1501),
])
def test_it_refuses_bad_values_with_the_field_named(cast, field, value):
    with pytest.raises(ValidationError) as err:
        services.tracing_request_create(actor=cast.caseworker, data=request_data(**{field: value}))
    assert field in err.value.message_dict


def test_a_commune_must_be_in_the_province(cast, geo):
    with pytest.raises(ValidationError) as err:
        services.tracing_request_create(actor=cast.caseworker, data=request_data(
            last_province=geo["other_province"], last_commune=geo["c1"]))
    assert "last_commune" in err.value.message_dict


def test_a_commune_alone_gives_its_province(make_request, geo):
    assert make_request(last_commune=geo["c2"]).last_province_id == 22


@pytest.mark.parametrize("user", ["collaborator", "statistician", "outsider", "admin"])
def test_only_tracing_staff_record_requests(cast, user):
    with pytest.raises(PermissionDenied):
        services.tracing_request_create(actor=cast[user], data=request_data())


def test_the_assignee_must_be_tracing_staff_of_the_province(cast):
    with pytest.raises(ValidationError) as err:
        services.tracing_request_create(actor=cast.caseworker, data=request_data(assigned_to=cast.far_worker))
    assert "assigned_to" in err.value.message_dict
    req = services.tracing_request_create(actor=cast.caseworker, data=request_data(assigned_to=cast.counsellor))
    assert req.status == "searching"


def test_an_edit_bumps_the_version_and_is_audited(make_request, cast):
    req = make_request()
    updated = services.tracing_request_update(actor=cast.counsellor, request=req, expected_version=1,
                                              data={"description": "Nốt ruồi ở cằm"})
    assert updated.version == 2 and TracingRequest.objects.get(pk=req.pk).description == "Nốt ruồi ở cằm"
    row = AuditEntry.objects.get(action="tracing.updated")
    assert row.changes["description"] == ["", "Nốt ruồi ở cằm"] and row.changes["_version"] == 2


def test_a_stale_edit_is_refused_with_what_changed(make_request, cast):
    req = make_request()
    services.tracing_request_update(actor=cast.counsellor, request=req, expected_version=1,
                                    data={"description": "Nốt ruồi ở cằm"})
    with pytest.raises(ConflictError) as err:
        services.tracing_request_update(actor=cast.caseworker, request=req, expected_version=1,
                                        data={"description": "Sẹo ở trán"})
    assert any("Nốt ruồi ở cằm" in new for _label, _old, new in err.value.changes)
    assert TracingRequest.objects.get(pk=req.pk).description == "Nốt ruồi ở cằm"


def test_a_worker_of_another_province_cannot_edit(make_request, cast):
    req = make_request()
    with pytest.raises(Http404):
        services.tracing_request_update(actor=cast.far_worker, request=req, expected_version=1,
                                        data={"description": "x"})


def test_confirming_a_registry_candidate_sets_the_person(make_request, an, cast):
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    match = req.matches.get(person=an)
    services.tracing_match_confirm(actor=cast.caseworker, match=match, note="Đã gọi xác minh", expected_version=1)
    req.refresh_from_db()
    match.refresh_from_db()
    assert req.person == an and req.status == "candidate_found" and req.version == 2
    assert match.status == "confirmed" and match.reviewed_by == cast.caseworker and match.review_note == "Đã gọi xác minh"
    assert AuditEntry.objects.filter(action="tracing.match_confirmed", person_id=an.pk).exists()


def test_only_one_registry_person_can_be_confirmed(make_request, an, geo, cast):
    from tests.factories import PersonFactory

    twin = PersonFactory(full_name="Nguyễn Văn An", sex="male", commune=geo["c2"], birth_date=dt.date(1985, 3, 2))
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    services.tracing_match_confirm(actor=cast.caseworker, match=req.matches.get(person=an), expected_version=1)
    with pytest.raises(ValidationError):
        services.tracing_match_confirm(actor=cast.caseworker, match=req.matches.get(person=twin), expected_version=2)


def test_rejecting_a_confirmed_candidate_takes_the_person_off(make_request, an, cast):
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    match = req.matches.get(person=an)
    services.tracing_match_confirm(actor=cast.caseworker, match=match, expected_version=1)
    services.tracing_match_reject(actor=cast.caseworker, match=TracingMatch.objects.get(pk=match.pk),
                                  note="Xác minh lại: không phải", expected_version=2)
    req.refresh_from_db()
    assert req.person is None and req.status == "searching"
    assert TracingMatch.objects.get(pk=match.pk).status == "rejected"


def test_a_candidate_of_another_request_cannot_be_reviewed_through_this_one(make_request, an, cast):
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    other = make_request(sought_name="Trần Văn Ba")
    match = req.matches.get(person=an)
    match.request = other
    with pytest.raises(Http404):
        services.tracing_match_confirm(actor=cast.caseworker, match=match, expected_version=1)


def test_reunification_is_the_outcome(make_request, cast):
    req = make_request()
    today = timezone.localdate()
    done = services.tracing_request_reunify(actor=cast.caseworker, request=req, reunified_on=today,
                                            method="at_centre", notes="Gặp nhau tại Trung tâm", expected_version=1)
    assert (done.status, done.reunified_on, done.closed_on, done.version) == ("reunified", today, today, 2)
    assert done.outcome_notes == "Gặp nhau tại Trung tâm"
    with pytest.raises(ValidationError):
        services.tracing_request_close(actor=cast.caseworker, request=done, status="withdrawn", note="x",
                                       expected_version=2)


@pytest.mark.parametrize("day,method,field", [
    (dt.date(2099, 1, 1), "phone", "reunified_on"), (dt.date(2000, 1, 1), "phone", "reunified_on"),
    (None, "phone", "reunified_on"), ("today", "by_magic", "method"),
])
def test_reunification_needs_a_sensible_date_and_method(make_request, cast, day, method, field):
    req = make_request()
    day = timezone.localdate() if day == "today" else day
    with pytest.raises(ValidationError) as err:
        services.tracing_request_reunify(actor=cast.caseworker, request=req, reunified_on=day, method=method,
                                         expected_version=1)
    assert field in err.value.message_dict


def test_a_stale_reunification_is_a_conflict(make_request, cast):
    req = make_request()
    services.tracing_request_update(actor=cast.counsellor, request=req, expected_version=1, data={"description": "x"})
    with pytest.raises(ConflictError):
        services.tracing_request_reunify(actor=cast.caseworker, request=req, reunified_on=timezone.localdate(),
                                         method="phone", expected_version=1)


def test_closing_needs_a_reason_and_ends_matching(make_request, cast):
    req = make_request()
    with pytest.raises(ValidationError) as err:
        services.tracing_request_close(actor=cast.caseworker, request=req, status="closed_not_found", note=" ",
                                       expected_version=1)
    assert "note" in err.value.message_dict
    closed = services.tracing_request_close(actor=cast.caseworker, request=req, status="closed_not_found",
                                            note="Đã xác minh ở 3 xã, không có tin", expected_version=1)
    assert closed.status == "closed_not_found" and closed.closed_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.tracing_request_rematch(actor=cast.caseworker, request=closed)
    with pytest.raises(ValidationError):
        services.tracing_request_update(actor=cast.caseworker, request=closed, expected_version=closed.version,
                                        data={"sought_name": "Người Khác"})


def test_a_closed_request_may_still_change_hands(make_request, cast):
    req = make_request()
    closed = services.tracing_request_close(actor=cast.caseworker, request=req, status="withdrawn",
                                            note="Gia đình tự tìm được", expected_version=1)
    moved = services.tracing_request_update(actor=cast.caseworker, request=closed, expected_version=closed.version,
                                            data={"assigned_to": cast.counsellor})
    assert moved.assigned_to == cast.counsellor and moved.status == "withdrawn"


def test_a_staff_request_cannot_claim_to_come_from_the_public_form(cast, make_request):
    with pytest.raises(ValidationError):
        services.tracing_request_create(actor=cast.caseworker, data=request_data(), source="public")
    req = make_request()
    with pytest.raises(ValidationError):
        services.tracing_request_update(actor=cast.caseworker, request=req, expected_version=1,
                                        data={"source": "public"})
