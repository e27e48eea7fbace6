"""Notes and the timeline of every event."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from ctxh.cases import selectors, services, workflow


def test_the_timeline_lists_every_event_newest_first(cast, assigned_case):
    case = assigned_case()
    workflow.transition(case, "start_initial_assessment", cast.caseworker)
    services.note_add(actor=cast.caseworker, case=case, text="Đã gặp trẻ tại trường")
    kinds = [e.kind for e in selectors.case_timeline(user=cast.director, case=case)]
    assert kinds == ["note", "transition", "assigned", "opened"]


def test_a_team_note_is_hidden_from_the_communes_collaborator(cast, assigned_case):
    case = assigned_case()
    services.note_add(actor=cast.caseworker, case=case, text="Mẹ trẻ nghi bị chồng đe dọa", visibility="team")
    services.note_add(actor=cast.collaborator, case=case, text="Gia đình đã về quê")
    assert [n.text for n in selectors.case_notes(user=cast.collaborator, case=case)] == ["Gia đình đã về quê"]
    assert len(selectors.case_notes(user=cast.caseworker, case=case)) == 2
    assert len(selectors.case_notes(user=cast.director, case=case)) == 2


def test_a_note_needs_text_and_a_writer_who_sees_the_case(cast, assigned_case, caseworker2):
    case = assigned_case()
    with pytest.raises(ValidationError):
        services.note_add(actor=cast.caseworker, case=case, text="   ")
    for user in (caseworker2, cast.collaborator2, cast.statistician, cast.outsider):
        with pytest.raises(Http404):
            services.note_add(actor=user, case=case, text="x")


def test_the_counsellor_who_took_the_call_may_add_a_note_but_not_move_the_case(cast, assigned_case):
    case = assigned_case()
    services.note_add(actor=cast.counsellor, case=case, text="Người báo tin gọi lại, bổ sung địa chỉ")
    with pytest.raises(PermissionDenied):
        workflow.transition(case, "start_initial_assessment", cast.counsellor)


def test_case_list_filters_and_finds_by_name_without_diacritics(cast, assigned_case, adult):
    a = assigned_case()
    b = assigned_case("elderly", person=adult)
    assert list(selectors.case_list(user=cast.director, q="lo thi hoa")) == [a]
    assert list(selectors.case_list(user=cast.director, q="lan dinh")) == [b]
    assert list(selectors.case_list(user=cast.director, q=b.number)) == [b]
    assert list(selectors.case_list(user=cast.director, case_type="elderly")) == [b]
    assert list(selectors.case_list(user=cast.director, status="intake")) == [a]
    assert set(selectors.case_list(user=cast.director, status="open")) == {a, b}
    assert list(selectors.case_list(user=cast.director, status="closed")) == []
    assert set(selectors.case_list(user=cast.director, assigned_to=cast.caseworker)) == {a, b}
    assert {c.step_name for c in selectors.case_list(user=cast.director)} == {
        "Tiếp nhận thông tin, thông báo", "Thu thập thông tin, đánh giá nhu cầu"}


def test_my_cases_are_the_open_cases_of_my_teams(cast, assigned_case, open_case, caseworker2):
    mine = assigned_case()
    open_case()
    assert list(selectors.my_cases(cast.caseworker)) == [mine]
    assert not selectors.my_cases(caseworker2).exists()
    assert set(selectors.my_cases(cast.counsellor)) == set(selectors.case_list(user=cast.counsellor))
