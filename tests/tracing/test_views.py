"""The staff pages: list and filters, create, detail with explained candidates, review, outcomes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ctxh.audit.models import AccessEntry
from ctxh.tracing import services
from ctxh.tracing.models import TracingMatch, TracingRequest
from tests.factories import PersonFactory
from tests.tracing.conftest import request_data

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {"source": "hotline", "seeker_name": "Nguyễn Thị Hoa", "seeker_phone": "0904 555 666",
            "seeker_relationship": "parent", "sought_name": "Nguyen Van An", "sought_sex": "male", "birth": "1985",
            "last_province": "22", "last_commune": "", "last_place_text": "", "last_seen": "03/2010",
            "circumstances": "", "description": "", "assigned_to": "", "consent": "on"}
    data.update(overrides)
    return data


def test_the_list_shows_requests_with_their_pending_candidates(login, cast, make_request, an):
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    make_request(sought_name="Trần Thị Bình", seeker_name="Lê Văn Cường")
    response = login(cast.counsellor).get(reverse("tracing:list"))
    html = response.content.decode()
    assert response.status_code == 200 and req.receipt_number in html and "Trần Thị Bình" in html
    row = next(r for r in response.context["page"].object_list if r.pk == req.pk)
    assert row.pending_matches == 1


@pytest.mark.parametrize("params,expected", [
    ({"q": "tran thi binh"}, ["Trần Thị Bình"]),
    ({"q": "Cường"}, ["Trần Thị Bình"]),
    ({"q": "an"}, ["Nguyễn Văn An"]),
    ({"q": "0977 123"}, ["Trần Thị Bình"]),
    ({"q": "00001"}, ["Nguyễn Văn An"]),
    ({"status": "searching"}, ["Trần Thị Bình"]),
    ({"source": "hotline"}, ["Nguyễn Văn An"]),
    ({"assigned": "none"}, ["Nguyễn Văn An"]),
    ({"sort": "name"}, ["Nguyễn Văn An", "Trần Thị Bình"]),
])
def test_the_list_filters(login, cast, make_request, params, expected):
    make_request(sought_name="Nguyễn Văn An", source="hotline")
    make_request(sought_name="Trần Thị Bình", seeker_name="Lê Văn Cường", seeker_phone="0977123456",
                 assigned_to=cast.caseworker)
    response = login(cast.caseworker).get(reverse("tracing:list"), params)
    assert [r.sought_name for r in response.context["page"].object_list] == expected


def test_the_list_has_an_empty_state_and_answers_htmx_with_the_table(login, cast):
    client = login(cast.caseworker)
    assert "Không có yêu cầu nào" in client.get(reverse("tracing:list")).content.decode()
    partial = client.get(reverse("tracing:list"), headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()


def test_the_list_costs_a_fixed_number_of_queries(login, cast, make_request, django_assert_max_num_queries):
    for i in range(6):
        make_request(sought_name=f"Người Số {i}", assigned_to=cast.caseworker)
    client = login(cast.caseworker)
    client.get(reverse("tracing:list"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("tracing:list")).status_code == 200


def test_a_caseworker_records_a_request_and_sees_its_candidate(login, cast, an):
    client = login(cast.caseworker)
    assert client.get(reverse("tracing:create")).status_code == 200
    response = client.post(reverse("tracing:create"), _form(assigned_to=str(cast.counsellor.pk)))
    req = TracingRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tracing:detail", args=[req.pk])
    assert (req.source, req.status, req.assigned_to, req.last_seen_precision) == ("hotline", "searching",
                                                                                   cast.counsellor, "month")
    html = client.get(response["Location"]).content.decode()
    assert "Nguyễn Văn An" in html and "Họ và tên trùng khớp (không kể dấu)" in html and "(+55)" in html


def test_the_create_form_keeps_input_and_needs_consent(login, cast):
    response = login(cast.caseworker).post(reverse("tracing:create"), _form(consent="", birth="khoảng"))
    html = response.content.decode()
    assert response.status_code == 422 and not TracingRequest.objects.exists()
    assert "Cần có sự đồng ý" in html and "Nguyen Van An" in html and "1988-1992" in html


def test_the_detail_is_access_logged_with_each_candidate_shown(login, cast, make_request, an):
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    login(cast.director).get(reverse("tracing:detail", args=[req.pk]))
    rows = AccessEntry.objects.filter(actor=cast.director, object_type="tracing.tracingrequest",
                                      object_id=str(req.pk))
    assert set(rows.values_list("purpose", "person_id")) == {("tracing.view", None), ("tracing.match", an.pk)}


def test_a_candidate_the_reader_may_not_see_is_left_out(login, cast, make_request, an, geo):
    far = PersonFactory(full_name="Nguyễn Văn An", sex="male", commune=geo["far"], birth_date=dt.date(1985, 3, 2))
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    assert req.matches.filter(person=far).exists()
    response = login(cast.caseworker).get(reverse("tracing:detail", args=[req.pk]))
    assert [row.person for row in response.context["rows"]] == [an]
    hidden = req.matches.get(person=far)
    assert login(cast.caseworker).post(reverse("tracing:match-confirm", args=[req.pk, hidden.pk])).status_code == 404


def test_a_request_of_another_province_shows_only_its_number_and_province(login, cast, make_request):
    ours = make_request(sought_name="Lê Thị Mai", birth_year_from=1990, birth_year_to=1990)
    theirs = services.tracing_request_create(actor=cast.far_worker, data=request_data(
        seeker_name="Đỗ Văn Khải", seeker_phone="0988000111", sought_name="Le Thi Mai",
        birth_year_from=1990, birth_year_to=1990))
    assert theirs.province_id == 1
    html = login(cast.caseworker).get(reverse("tracing:detail", args=[ours.pk])).content.decode()
    assert theirs.receipt_number in html and "Hà Nội" in html and "Đỗ Văn Khải" not in html
    assert reverse("tracing:detail", args=[theirs.pk]) not in html


def test_confirming_and_rejecting_from_the_page(login, cast, make_request, an):
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    match = req.matches.get()
    client = login(cast.caseworker)
    html = client.get(reverse("tracing:detail", args=[req.pk])).content.decode()
    assert "data-confirm=" in html and reverse("tracing:match-confirm", args=[req.pk, match.pk]) in html
    response = client.post(reverse("tracing:match-confirm", args=[req.pk, match.pk]), {"note": "Đã gọi", "version": 1})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.person == an and req.status == "candidate_found"
    client.post(reverse("tracing:match-reject", args=[req.pk, match.pk]), {"note": "", "version": 2})
    req.refresh_from_db()
    assert req.person is None and TracingMatch.objects.get(pk=match.pk).status == "rejected"


def test_confirm_and_reject_need_a_post(login, cast, make_request, an):
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    match = req.matches.get()
    assert login(cast.caseworker).get(reverse("tracing:match-confirm", args=[req.pk, match.pk])).status_code == 405


def test_an_edit_conflict_keeps_the_typed_input_and_shows_what_changed(login, cast, make_request):
    req = make_request(sought_name="Phạm Minh Tuấn")
    services.tracing_request_update(actor=cast.counsellor, request=req, expected_version=1,
                                    data={"description": "Nốt ruồi ở cằm"})
    client = login(cast.caseworker)
    page = client.get(reverse("tracing:edit", args=[req.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'name="version" value="2"' in html and 'value="Nốt ruồi ở cằm"' not in html
    assert "Nốt ruồi ở cằm</textarea>" in html and 'value="Phạm Minh Tuấn"' in html
    data = _form(source="staff", sought_name="Phạm Minh Tuấn", description="Sẹo ở trán", version="1")
    data.pop("consent")
    response = client.post(reverse("tracing:edit", args=[req.pk]), data)
    html = response.content.decode()
    assert response.status_code == 409 and "Sẹo ở trán" in html and "Nốt ruồi ở cằm" in html
    assert response.context["form"]["version"].value() == "2"
    assert TracingRequest.objects.get(pk=req.pk).description == "Nốt ruồi ở cằm"
    data["version"] = "2"
    assert client.post(reverse("tracing:edit", args=[req.pk]), data).status_code == 302
    assert TracingRequest.objects.get(pk=req.pk).description == "Sẹo ở trán"


def test_the_rematch_button_runs_matching_again(login, cast, make_request, geo):
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    assert not req.matches.exists()
    PersonFactory(full_name="Nguyễn Văn An", sex="male", commune=geo["c3"], birth_date=dt.date(1985, 1, 1))
    response = login(cast.caseworker).post(reverse("tracing:rematch", args=[req.pk]))
    assert response.status_code == 302 and req.matches.count() == 1


def test_recording_a_reunification_from_the_page(login, cast, make_request):
    req = make_request()
    client = login(cast.caseworker)
    assert client.get(reverse("tracing:reunify", args=[req.pk])).status_code == 200
    today = timezone.localdate()
    response = client.post(reverse("tracing:reunify", args=[req.pk]), {
        "reunified_on": today.strftime("%d/%m/%Y"), "method": "at_centre", "notes": "Gặp nhau", "version": "1"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "reunified" and req.reunified_on == today
    html = client.get(reverse("tracing:detail", args=[req.pk])).content.decode()
    assert "Đã đoàn tụ" in html and "Gặp nhau tại Trung tâm" in html and "Đóng yêu cầu" not in html


def test_closing_from_the_page_with_a_stale_version_is_a_conflict(login, cast, make_request):
    req = make_request()
    services.tracing_request_update(actor=cast.counsellor, request=req, expected_version=1, data={"description": "x"})
    client = login(cast.caseworker)
    response = client.post(reverse("tracing:close", args=[req.pk]), {
        "status": "closed_not_found", "note": "Đã tìm ở ba xã", "version": "1"})
    assert response.status_code == 409 and "Đã tìm ở ba xã" in response.content.decode()
    response = client.post(reverse("tracing:close", args=[req.pk]), {
        "status": "closed_not_found", "note": "Đã tìm ở ba xã", "version": "2"})
    assert response.status_code == 302 and TracingRequest.objects.get(pk=req.pk).status == "closed_not_found"


def test_a_bad_outcome_keeps_the_form(login, cast, make_request):
    req = make_request()
    response = login(cast.caseworker).post(reverse("tracing:reunify", args=[req.pk]), {
        "reunified_on": "01/01/2099", "method": "phone", "notes": "Gặp lại", "version": "1"})
    assert response.status_code == 422 and "Gặp lại" in response.content.decode()
    assert TracingRequest.objects.get(pk=req.pk).status == "new"


def test_a_stale_confirmation_is_refused_and_the_note_is_shown_back(login, cast, make_request, an):
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    match = req.matches.get()
    client = login(cast.caseworker)
    TracingRequest.objects.filter(pk=req.pk).update(version=2)  # someone saved the request meanwhile
    response = client.post(reverse("tracing:match-confirm", args=[req.pk, match.pk]),
                           {"note": "Đã gọi bà Hoa", "version": 1}, follow=True)
    page = response.content.decode()
    assert "Yêu cầu đã được người khác sửa sau khi bạn mở." in page and "Đã gọi bà Hoa" in page
    assert TracingRequest.objects.get(pk=req.pk).person is None
    assert TracingMatch.objects.get(pk=match.pk).status == "pending"
