"""The case page: what it shows, the access log, sealed cases and breaking the glass, the optimistic lock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ctxh.audit.models import AccessEntry
from ctxh.cases import services
from ctxh.cases.models import Attachment, CaseMember, Note
from tests.cases.conftest import plan_items, put_at

PDF = b"%PDF-1.7\n" + b"0" * 200


def detail(case, tab=""):
    url = reverse("cases:detail", kwargs={"pk": case.pk})
    return f"{url}?tab={tab}" if tab else url


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


# What the page shows ---------------------------------------------------------------------------

def test_the_header_shows_the_case_at_a_glance(login, cast, assigned_case):
    case = assigned_case(serious_risk=True, reported_at=timezone.now() - dt.timedelta(hours=13))
    body = login(cast.caseworker).get(detail(case)).content.decode()
    assert case.number in body and "Bảo vệ trẻ em" in body
    assert reverse("people:detail", args=[case.person_id]) in body and "Lò Thị Hoa" in body
    assert "Tiếp nhận thông tin, thông báo" in body  # the current step
    assert "Nguy cơ tổn hại nghiêm trọng" in body and "Caseworker" in body
    due = timezone.localtime(case.deadlines.get().due_at)
    assert due.strftime("%d/%m/%Y %H:%M") in body and "Quá hạn" in body
    assert "Niêm phong" not in body


def test_every_opening_is_written_to_the_access_log(login, cast, assigned_case):
    case = assigned_case()
    client = login(cast.caseworker)
    client.get(detail(case))
    client.get(detail(case, "plan"))
    entries = AccessEntry.objects.filter(actor=cast.caseworker, object_type="cases.case", object_id=str(case.pk))
    assert entries.count() == 2 and set(entries.values_list("purpose", flat=True)) == {"view"}
    assert entries.first().person_id == case.person_id


def test_the_buttons_are_the_moves_the_user_may_make(login, cast, assigned_case):
    case = assigned_case()
    worker = login(cast.caseworker).get(detail(case)).content.decode()
    assert 'value="start_initial_assessment"' in worker
    assert reverse("cases:closure-request", args=[case.pk]) in worker
    reader = login(cast.collaborator).get(detail(case)).content.decode()  # sees the commune's case, not on the team
    assert 'value="start_initial_assessment"' not in reader and "Sửa thông tin" not in reader


def test_a_reopen_button_asks_for_a_reason_and_confirmation(login, cast, assigned_case):
    case = put_at(assigned_case(), "closed")
    body = login(cast.director).get(detail(case)).content.decode()
    assert 'value="reopen"' in body and 'name="reason"' in body and "data-confirm" in body


@pytest.mark.parametrize("tab", ["timeline", "assessment", "plan", "notes", "team", "reviews", "closure", "access"])
def test_every_tab_opens(login, cast, assigned_case, tab):
    case = assigned_case()
    response = login(cast.director).get(detail(case, tab))
    assert response.status_code == 200
    assert f'href="?tab={tab}" aria-selected="true"' in response.content.decode()


@pytest.mark.parametrize("notes", [1, 30])
def test_the_timeline_costs_the_same_queries_however_long(login, cast, assigned_case, notes,
                                                         django_assert_max_num_queries):
    case = assigned_case()
    for i in range(notes):
        services.note_add(actor=cast.caseworker, case=case, text=f"Ghi chép {i}")
    client = login(cast.caseworker)
    with django_assert_max_num_queries(24):
        body = client.get(detail(case, "timeline")).content.decode()
    assert f"Ghi chép {notes - 1}" in body


def test_the_access_tab_is_for_directors(login, cast, assigned_case):
    case = assigned_case()
    assert "?tab=access" not in login(cast.caseworker).get(detail(case)).content.decode()
    assert 'href="?tab=access" aria-selected="true"' not in login(cast.caseworker).get(
        detail(case, "access")).content.decode()


# Sealed cases and breaking the glass ---------------------------------------------------------------

def test_a_sealed_case_is_broken_into_with_a_reason_that_the_director_sees(login, cast, assigned_case, adult,
                                                                          caseworker2):
    case = assigned_case("gbv", person=adult)
    assert case.sealed
    client = login(caseworker2)
    response = client.get(detail(case))
    body = response.content.decode()
    assert response.status_code == 403 and "Hồ sơ được niêm phong" in body
    assert "Đinh Thị Lan" not in body and case.summary not in body

    response = client.post(reverse("cases:break-glass", args=[case.pk]), {"reason": "gấp"})
    assert response.status_code == 422 and "ít nhất" in response.content.decode()
    assert not AccessEntry.objects.filter(break_glass=True).exists()

    reason = "Nạn nhân gọi tổng đài lúc 2 giờ sáng, cần xem hồ sơ để hỗ trợ ngay."
    response = client.post(reverse("cases:break-glass", args=[case.pk]), {"reason": reason})
    assert response.status_code == 302 and response["Location"] == detail(case)
    page = client.get(detail(case)).content.decode()
    assert "Đinh Thị Lan" in page
    assert "Bạn đang truy cập khẩn cấp; việc này được ghi lại và báo cho lãnh đạo." in page
    entries = AccessEntry.objects.filter(actor=caseworker2, object_id=str(case.pk))
    assert entries.filter(purpose="break_glass", break_glass=True, reason=reason).exists()
    assert entries.filter(purpose="view", break_glass=True, reason=reason).exists()

    director = login(cast.director)
    timeline = director.get(detail(case, "timeline")).content.decode()
    assert "Truy cập khẩn cấp" in timeline and reason in timeline
    log = director.get(detail(case, "access")).content.decode()
    assert "truy cập khẩn cấp" in log and reason in log and "Caseworker2" in log


def test_sealed_cases_stay_404_for_those_who_may_not_break_the_glass(login, cast, assigned_case, adult):
    case = assigned_case("gbv", person=adult)
    for user in (cast.collaborator2, cast.far_worker):
        assert login(user).get(detail(case)).status_code == 404
        assert login(user).post(reverse("cases:break-glass", args=[case.pk]),
                                {"reason": "x" * 40}).status_code == 404
    for user in (cast.statistician, cast.outsider):
        assert login(user).get(detail(case)).status_code == 403
    # A collaborator of the commune works there but is outside a sealed case: asked for a reason.
    response = login(cast.collaborator).get(detail(case))
    assert response.status_code == 403 and "Hồ sơ được niêm phong" in response.content.decode()


def test_the_team_opens_a_sealed_case_without_breaking_anything(login, cast, assigned_case, adult):
    case = assigned_case("gbv", person=adult)
    body = login(cast.caseworker).get(detail(case)).content.decode()
    assert "Niêm phong" in body and "truy cập khẩn cấp" not in body
    assert login(cast.caseworker).get(reverse("cases:break-glass", args=[case.pk])).status_code == 302


def test_sealing_through_the_page_closes_the_case_to_the_commune(login, cast, assigned_case):
    case = assigned_case()
    assert login(cast.collaborator).get(detail(case)).status_code == 200
    response = login(cast.caseworker).post(reverse("cases:seal", args=[case.pk]),
                                           {"sealed": "True", "reason": "Phát hiện dấu hiệu xâm hại tình dục"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.sealed
    assert login(cast.collaborator).get(detail(case)).status_code == 403


# The optimistic lock -------------------------------------------------------------------------------------

def test_a_stale_save_is_refused_with_what_changed_and_keeps_the_input(login, cast, assigned_case):
    case = assigned_case()
    client = login(cast.caseworker)
    form = client.get(reverse("cases:edit", args=[case.pk]))
    assert form.status_code == 200 and f'value="{case.version}"' in form.content.decode()
    stale = case.version
    services.case_update(actor=cast.director, case=case, data={"summary": "Bản của lãnh đạo"},
                         expected_version=stale)
    data = {"summary": "Bản của cán bộ", "source": case.source,
            "reported_at": timezone.localtime(case.reported_at).strftime("%d/%m/%Y %H:%M"),
            "risk_level": "", "commune": case.commune_id, "version": stale}
    response = client.post(reverse("cases:edit", args=[case.pk]), data)
    body = response.content.decode()
    assert response.status_code == 409
    assert "Bản của lãnh đạo" in body and "Director" in body  # what changed, and who
    assert "Bản của cán bộ" in body  # what the user typed is still there
    case.refresh_from_db()
    assert case.summary == "Bản của lãnh đạo"
    assert f'name="version" value="{case.version}"' in body
    # Saving again on purpose overwrites.
    response = client.post(reverse("cases:edit", args=[case.pk]), {**data, "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "Bản của cán bộ"


def test_a_stale_move_is_refused_and_keeps_the_reason(login, cast, assigned_case):
    case = put_at(assigned_case(), "closed")
    stale = case.version
    # Someone else changes the case in between.
    services.case_set_sealed(actor=cast.caseworker, case=case, sealed=True, reason="Thông tin nhạy cảm")
    response = login(cast.director).post(reverse("cases:transition", args=[case.pk]),
                                         {"code": "reopen", "version": stale, "reason": "Có tin báo mới"})
    assert response.status_code == 409 and "Có tin báo mới" in response.content.decode()
    case.refresh_from_db()
    assert case.is_closed


def test_a_stale_plan_draft_is_refused(login, cast, assigned_case):
    case = put_at(assigned_case(), "plan")
    plan = services.plan_save(actor=cast.caseworker, case=case, goals="An toàn", items=plan_items(cast.caseworker))
    services.plan_save(actor=cast.director, case=case, goals="Bản của lãnh đạo", items=plan_items(cast.caseworker),
                       expected_revision=plan.revision)
    from tests.cases.test_views_workflow import formset

    response = login(cast.caseworker).post(reverse("cases:plan", args=[case.pk]), {
        "goals": "Bản cũ của tôi", "revision": plan.revision,
        **formset("items", [{"action": "Thăm nhà", "domain": "", "responsible": cast.caseworker.pk, "provider": "",
                             "due_date": "", "status": "todo"}])})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Bản cũ của tôi" in body and "Bản của lãnh đạo" in body


def test_assessment_errors_land_on_the_domain_row(login, cast, assigned_case):
    from tests.cases.test_views_workflow import needs_data

    case = assigned_case()
    response = login(cast.caseworker).post(reverse("cases:assessment", args=[case.pk]), {
        "kind": "needs", "assessed_on": timezone.localdate().strftime("%d/%m/%Y"), "risk_level": "low",
        "summary": "Gia đình khó khăn", "version": case.version,
        **needs_data({"livelihood": ("Cần vốn chăn nuôi", "")})})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Cần chọn mức ưu tiên." in body and "Cần vốn chăn nuôi" in body


# Notes, files, team --------------------------------------------------------------------------------------

def test_notes_are_added_and_team_notes_stay_in_the_team(login, cast, assigned_case):
    case = assigned_case()
    client = login(cast.caseworker)
    assert client.post(reverse("cases:note-add", args=[case.pk]), {"text": "", "visibility": "case"}).status_code == 422
    client.post(reverse("cases:note-add", args=[case.pk]), {"text": "Đã thăm nhà.", "visibility": "case"})
    client.post(reverse("cases:note-add", args=[case.pk]), {"text": "Nghi người cha.", "visibility": "team"})
    assert Note.objects.filter(case=case).count() == 2
    assert "Nghi người cha." in client.get(detail(case, "notes")).content.decode()
    other = login(cast.collaborator).get(detail(case, "notes")).content.decode()
    assert "Đã thăm nhà." in other and "Nghi người cha." not in other


def test_files_are_uploaded_and_handed_out_only_through_the_view(login, cast, assigned_case, media):
    case = assigned_case()
    client = login(cast.caseworker)
    bad = client.post(reverse("cases:attachment-add", args=[case.pk]),
                      {"file": SimpleUploadedFile("virus.exe", b"MZ\x90"), "visibility": "case"})
    assert bad.status_code == 422 and "Chỉ nhận tệp" in bad.content.decode()
    response = client.post(reverse("cases:attachment-add", args=[case.pk]), {
        "file": SimpleUploadedFile("Biên bản.pdf", PDF, content_type="application/pdf"),
        "description": "Biên bản xác minh", "visibility": "team"})
    assert response.status_code == 302
    att = Attachment.objects.get()
    download = client.get(reverse("cases:attachment", args=[att.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    assert AccessEntry.objects.filter(actor=cast.caseworker, purpose="attachment").exists()
    assert login(cast.collaborator).get(reverse("cases:attachment", args=[att.pk])).status_code == 404  # team only
    assert login(cast.collaborator2).get(reverse("cases:attachment", args=[att.pk])).status_code == 404


def test_the_director_changes_the_team_and_the_history_stays(login, cast, assigned_case, caseworker2):
    case = assigned_case()
    client = login(cast.director)
    team = client.get(detail(case, "team")).content.decode()
    assert "Caseworker2" in team  # offered as a worker
    response = client.post(reverse("cases:assign", args=[case.pk]),
                           {"worker": caseworker2.pk, "role": "lead", "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == caseworker2
    member = CaseMember.objects.get(case=case, user=caseworker2, ended_at__isnull=True)
    assert client.post(reverse("cases:member-end", args=[case.pk, member.pk]), {"reason": "Nghỉ phép"}).status_code == 302
    case.refresh_from_db()
    assert case.assigned_to is None
    team = client.get(detail(case, "team")).content.decode()
    assert "Nghỉ phép" in team and "Lịch sử phân công" in team
    assert login(cast.caseworker).post(reverse("cases:assign", args=[case.pk]),
                                       {"worker": caseworker2.pk, "role": "lead"}).status_code == 403


def test_saving_the_edit_form_unchanged_changes_nothing(login, cast, assigned_case):
    case = assigned_case()  # reported at a time with seconds, which the form shows to the minute
    before = (case.reported_at, case.version)
    response = login(cast.caseworker).post(reverse("cases:edit", args=[case.pk]), {
        "summary": case.summary, "source": case.source,
        "reported_at": timezone.localtime(case.reported_at).strftime("%d/%m/%Y %H:%M"),
        "risk_level": "", "commune": case.commune_id, "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.reported_at, case.version) == before
