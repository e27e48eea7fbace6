"""The "New call" screen: started at once, a draft saved as you go, resumed after a reload."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ctxh.audit.models import AccessEntry
from ctxh.hotline import services
from ctxh.hotline.models import Call


def _new_call(client):
    response = client.post(reverse("hotline:new"))
    assert response.status_code == 302
    return Call.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_new_call_starts_a_call_and_opens_its_screen_with_a_running_timer(login, cast):
    client = login(cast.counsellor)
    call = _new_call(client)
    page = client.get(reverse("hotline:detail", args=[call.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "data-call-timer" in html and f'data-started="{int(call.started_at.timestamp())}"' in html
    assert 'id="person-q"' in html and "autofocus" in html
    assert "Alt+S" in html and "Alt+K" in html and "Alt+X" in html


def test_new_call_resumes_the_unfinished_call(login, cast):
    client = login(cast.counsellor)
    call = _new_call(client)
    assert client.post(reverse("hotline:new"))["Location"] == reverse("hotline:detail", args=[call.pk])
    assert client.get(reverse("hotline:new"))["Location"] == reverse("hotline:detail", args=[call.pk])
    assert Call.objects.count() == 1


def test_the_draft_survives_a_reload(login, cast, people, topics):
    client = login(cast.counsellor)
    call = _new_call(client)
    # The screen posts what has been typed so far, incomplete (no outcome, no topic chosen yet).
    response = client.post(reverse("hotline:draft", args=[call.pk]), {
        "_form": "call", "version": call.version, "channel": "phone", "urgency": "high",
        "summary": "Cháu gái 10 tuổi bị đánh, mẹ gọi từ nhà bà ngoại",
        "caller_name": "Chị Mai", "subject": [people["child"].pk], "subject_role": ["subject"],
        "topics": [topics["child_physical"].pk], "follow_up_at": "31/02/20xx",
    })
    assert response.status_code == 200 and "Đã lưu nháp" in response.content.decode()
    call.refresh_from_db()
    assert call.summary == "" and call.draft["summary"] == ["Cháu gái 10 tuổi bị đánh, mẹ gọi từ nhà bà ngoại"]

    html = client.get(reverse("hotline:detail", args=[call.pk])).content.decode()
    assert "Cháu gái 10 tuổi bị đánh, mẹ gọi từ nhà bà ngoại" in html
    assert 'value="Chị Mai"' in html
    assert "Lò Thị Hoa" in html  # the person picked stays on the call
    assert f'value="{topics["child_physical"].pk}" checked' in html
    assert '<option value="high" selected>' in html
    assert 'value="31/02/20xx"' in html  # even what does not parse yet


def test_a_partial_draft_changes_only_what_it_names(login, cast, make_call):
    call = make_call(end=False, summary="Đã lưu trước đó")
    client = login(cast.counsellor)
    client.post(reverse("hotline:draft", args=[call.pk]), {"caller_phone": "0987654321"})
    html = client.get(reverse("hotline:detail", args=[call.pk])).content.decode()
    assert "Đã lưu trước đó" in html and 'value="0987654321"' in html


def test_another_counsellor_sees_neither_the_screen_nor_the_draft(login, cast, make_call, django_user_model):
    from ctxh.accounts.models import Organization
    from ctxh.accounts.services import membership_grant

    call = make_call(end=False, summary="")
    login(cast.counsellor).post(reverse("hotline:draft", args=[call.pk]), {"summary": "Bí mật đang gõ"})
    colleague = django_user_model.objects.create_user(username="counsellor2", password="x-2026-mat-khau")
    membership_grant(actor=None, user=colleague, organization=Organization.objects.get(kind="centre", province_id=22),
                     role="counsellor", whole_province=True, communes=[])
    client = login(colleague)
    page = client.get(reverse("hotline:detail", args=[call.pk]))
    assert page.status_code == 200 and "Bí mật đang gõ" not in page.content.decode()
    assert "đang nhận cuộc gọi này" in page.content.decode()
    assert client.post(reverse("hotline:draft", args=[call.pk]), {"summary": "ghi đè"}).status_code == 403
    assert client.get(reverse("hotline:edit", args=[call.pk])).status_code == 403
    call.refresh_from_db()
    assert call.draft["summary"] == ["Bí mật đang gõ"]


def test_a_draft_is_refused_once_the_call_has_ended(login, cast, make_call):
    call = make_call()
    response = login(cast.counsellor).post(reverse("hotline:draft", args=[call.pk]), {"summary": "muộn"})
    assert response.status_code == 409


def _screen_data(call, **extra):
    data = {"_form": "call", "version": call.version, "channel": "phone", "urgency": "normal", "summary": "",
            "outcome": "", "line": "", "caller": "", "caller_name": "", "caller_phone": "", "caller_relation": "",
            "referred_to": "", "follow_up_at": "", "follow_up_note": "", "case_type": "", "case_person": "",
            "case_number": ""}
    data.update(extra)
    return data


def test_saving_keeps_the_call_open_and_applies_the_fields(login, cast, people, topics):
    client = login(cast.counsellor)
    call = _new_call(client)
    response = client.post(reverse("hotline:edit", args=[call.pk]), _screen_data(
        call, action="save", summary="Hỏi chế độ trợ cấp", subject=[people["mother"].pk], subject_role=["subject"],
        topics=[topics["policy_allowance"].pk], follow_up_at="01/01/2099 09:30"))
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.is_open and call.summary == "Hỏi chế độ trợ cấp" and call.version == 2
    assert timezone.localtime(call.follow_up_at).strftime("%d/%m/%Y %H:%M") == "01/01/2099 09:30"
    assert list(call.subjects.all()) == [people["mother"]]


def test_ending_requires_an_outcome_and_keeps_what_was_typed(login, cast, people):
    client = login(cast.counsellor)
    call = _new_call(client)
    response = client.post(reverse("hotline:edit", args=[call.pk]), _screen_data(
        call, action="end", summary="Chưa chọn kết quả", subject=[people["mother"].pk], subject_role=["subject"]))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Cần chọn kết quả cuộc gọi." in html and "Chưa chọn kết quả" in html and "Lò Thị Mai" in html
    call.refresh_from_db()
    assert call.is_open and call.summary == ""  # nothing half-saved


def test_ending_from_the_screen_goes_to_the_record(login, cast, people, topics):
    client = login(cast.counsellor)
    call = _new_call(client)
    response = client.post(reverse("hotline:edit", args=[call.pk]), _screen_data(
        call, action="end", summary="Tư vấn xong", outcome="advice", topics=[topics["legal_aid"].pk],
        subject=[people["mother"].pk], subject_role=["subject"]))
    assert response["Location"] == reverse("hotline:detail", args=[call.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Tư vấn xong" in page and f'data-call-finished="{call.pk}"' in page
    call.refresh_from_db()
    assert not call.is_open


def test_a_stale_save_is_refused_with_409_and_keeps_the_text(login, cast, make_call):
    call = make_call()
    services.call_save(actor=cast.director, call=call, expected_version=call.version, data={"summary": "Lãnh đạo sửa"})
    response = login(cast.counsellor).post(reverse("hotline:edit", args=[call.pk]), _screen_data(
        call, action="save", summary="Tôi sửa", outcome="advice", topics=[t.pk for t in call.topics.all()],
        subject=[s.person_id for s in call.call_subjects.all()], subject_role=["subject"]))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Lãnh đạo sửa" in html and "Tôi sửa" in html


def test_open_a_case_from_the_screen_in_one_step(login, cast, people, topics, case_types):
    client = login(cast.counsellor)
    call = _new_call(client)
    response = client.post(reverse("hotline:edit", args=[call.pk]), _screen_data(
        call, action="open_case", summary="Trẻ bị bạo lực thể chất", outcome="escalated", urgency="emergency",
        topics=[topics["child_physical"].pk], subject=[people["child"].pk], subject_role=["subject"],
        case_type=case_types["child_protection"].pk, case_person=people["child"].pk, serious_risk="on"))
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.case is not None and call.case.person == people["child"] and call.case.serious_risk
    assert call.case.summary == "Trẻ bị bạo lực thể chất" and call.outcome == "case_opened"


def test_open_case_without_a_type_says_so_and_saves_nothing(login, cast, people):
    client = login(cast.counsellor)
    call = _new_call(client)
    response = client.post(reverse("hotline:edit", args=[call.pk]), _screen_data(
        call, action="open_case", summary="Trẻ bị bạo lực", subject=[people["child"].pk], subject_role=["subject"],
        case_person=people["child"].pk))
    assert response.status_code == 422 and "Cần chọn loại trường hợp." in response.content.decode()
    call.refresh_from_db()
    assert call.case is None and call.summary == ""


def test_person_search_finds_without_diacritics_and_offers_caller_or_subject(login, cast, people):
    client = login(cast.counsellor)
    html = client.get(reverse("hotline:person-search"), {"q": "lo hoa"}).content.decode()
    assert "Lò Thị Hoa" in html and 'data-as="subject"' in html and 'data-as="caller"' in html
    assert "Phạm Thị Dung" not in client.get(reverse("hotline:person-search"), {"q": "dung"}).content.decode()


def test_quick_register_adds_a_minimal_person(login, cast, geo):
    client = login(cast.counsellor)
    call = _new_call(client)
    response = client.post(reverse("hotline:person-register", args=[call.pk]), {
        "new-full_name": "hoàng văn nam", "new-sex": "male", "new-birth_year": "2012", "new-commune": geo["c2"].pk,
        "new-role": "subject"})
    html = response.content.decode()
    assert response.status_code == 200 and "data-call-added" in html and "Hoàng Văn Nam" in html
    from ctxh.people.models import Person

    person = Person.objects.get(full_name="Hoàng Văn Nam")
    assert person.birth_precision == "year" and person.birth_date == dt.date(2012, 1, 1)
    assert person.commune == geo["c2"]


def test_quick_register_shows_likely_duplicates_to_pick_from(login, cast, people):
    client = login(cast.counsellor)
    call = _new_call(client)
    data = {"new-full_name": "Lò Thị Hoa", "new-sex": "female", "new-birth_year": "2016", "new-role": "subject"}
    html = client.post(reverse("hotline:person-register", args=[call.pk]), data).content.decode()
    assert "Có thể đã có hồ sơ" in html and f'data-call-pick="{people["child"].pk}"' in html
    assert 'name="new-duplicate_reason"' in html
    html = client.post(reverse("hotline:person-register", args=[call.pk]),
                       {**data, "new-duplicate_reason": "Trùng tên, khác mẹ"}).content.decode()
    assert "data-call-added" in html


def test_opening_a_call_with_people_writes_the_access_log(login, cast, make_call, people):
    call = make_call(subjects=[(people["child"], "subject"), (people["mother"], "family")])
    login(cast.caseworker).get(reverse("hotline:detail", args=[call.pk]))
    rows = AccessEntry.objects.filter(object_type="hotline.call", object_id=str(call.pk), actor=cast.caseworker)
    assert set(rows.values_list("person_id", flat=True)) == {people["child"].pk, people["mother"].pk}


@pytest.mark.parametrize("action", ["follow-up", "follow-up-done"])
def test_follow_up_forms_on_the_record(login, cast, make_call, action):
    call = make_call()
    client = login(cast.counsellor)
    client.post(reverse("hotline:follow-up", args=[call.pk]),
                {"follow_up_at": "02/01/2099 08:00", "follow_up_note": "Gọi lại cho mẹ"})
    if action == "follow-up-done":
        client.post(reverse("hotline:follow-up-done", args=[call.pk]))
    call.refresh_from_db()
    assert call.follow_up_note == "Gọi lại cho mẹ"
    assert (call.follow_up_done_at is not None) == (action == "follow-up-done")
