"""Who sees a case; sealed cases; breaking the glass with a reason that is logged and shown to the director."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from ctxh.accounts.models import Notification
from ctxh.audit.models import AccessEntry
from ctxh.cases import selectors, services
from ctxh.cases.models import CaseEvent
from ctxh.core.models import Term
from ctxh.people.models import GroupMembership, Person
from tests.cases.conftest import frozen


def _sees(user, case) -> bool:
    try:
        selectors.case_get(user=user, pk=case.pk)
    except Http404:
        return False
    return True


def test_gbv_cases_are_sealed_whatever_the_caller_says(cast, open_case, adult):
    assert open_case("gbv", person=adult).sealed
    assert open_case("gbv", person=adult, sealed=False).sealed


def test_a_child_in_the_sexual_abuse_group_gets_a_sealed_case(cast, open_case, child):
    GroupMembership.objects.create(person=child, group=Term.objects.get(vocabulary="child_special", code="tedb_11"),
                                   start_date=dt.date(2026, 1, 5), source="QĐ 12/QĐ-UBND")
    assert open_case().sealed


def test_the_intake_can_seal_a_case(cast, open_case):
    assert not open_case().sealed
    assert open_case(sealed=True).sealed


def test_who_sees_an_ordinary_case(cast, assigned_case, caseworker2):
    case = assigned_case()  # child of commune c1, opened by the counsellor, caseworker in charge
    for user in (cast.caseworker, cast.director, cast.counsellor, cast.collaborator, cast.facility):
        assert _sees(user, case), user
    for user in (caseworker2, cast.collaborator2, cast.statistician, cast.far_worker, cast.outsider, cast.admin):
        assert not _sees(user, case), user


def test_who_sees_a_sealed_case(cast, assigned_case, caseworker2):
    case = assigned_case(sealed=True)
    for user in (cast.caseworker, cast.director, cast.counsellor):
        assert _sees(user, case), user
    for user in (caseworker2, cast.collaborator, cast.facility, cast.collaborator2, cast.statistician,
                 cast.far_worker, cast.outsider, cast.admin):
        assert not _sees(user, case), user


def test_a_worker_who_leaves_the_team_stops_seeing_the_case(cast, assigned_case, caseworker2):
    case = assigned_case(sealed=True)
    services.case_assign(actor=cast.director, case=case, worker=caseworker2)
    assert _sees(caseworker2, case) and not _sees(cast.caseworker, case)


def test_lists_never_show_a_sealed_case_to_those_outside_it(cast, assigned_case, caseworker2):
    sealed = assigned_case("gbv")
    plain = assigned_case()
    assert set(selectors.case_list(user=cast.collaborator)) == {plain}
    assert set(selectors.case_list(user=cast.director)) == {sealed, plain}
    assert not selectors.case_list(user=caseworker2).exists()


def test_search_can_hide_a_sealed_cases_person(cast, assigned_case, adult, child, caseworker2):
    assigned_case("gbv", person=adult)
    assigned_case(person=child)

    def visible_people(user):
        hidden = selectors.sealed_person_ids_hidden_from(user)
        return set(Person.objects.exclude(pk__in=hidden).filter(pk__in=[adult.pk, child.pk]))

    assert visible_people(cast.collaborator) == {child}
    assert visible_people(caseworker2) == {child}
    assert visible_people(cast.statistician) == {child}
    assert visible_people(cast.caseworker) == {adult, child}
    assert visible_people(cast.director) == {adult, child}


def test_a_sealed_case_without_a_commune_is_still_hidden(cast, open_case, adult):
    from ctxh.cases.models import Case

    case = open_case("gbv", person=adult)
    Case.objects.filter(pk=case.pk).update(commune=None)
    assert adult.pk in set(selectors.sealed_person_ids_hidden_from(cast.collaborator))


@pytest.fixture
def sealed(cast, assigned_case):
    return assigned_case("gbv")


REASON = "Trực tổng đài đêm, nạn nhân gọi lại cần tra cứu kế hoạch an toàn"


def test_breaking_the_glass_needs_a_reason(cast, sealed, caseworker2):
    for reason in ("", "   ", "cần xem"):
        with pytest.raises(ValidationError) as exc:
            services.case_break_glass(actor=caseworker2, case=sealed, reason=reason)
        assert "reason" in exc.value.message_dict
    assert not AccessEntry.objects.filter(break_glass=True).exists()
    assert not _sees(caseworker2, sealed)


def test_breaking_the_glass_is_logged_shown_to_the_director_and_opens_the_case(cast, sealed, caseworker2):
    with pytest.raises(Http404):
        selectors.case_get(user=caseworker2, pk=sealed.pk)
    grant = services.case_break_glass(actor=caseworker2, case=sealed, reason=REASON)
    entry = AccessEntry.objects.get(break_glass=True)
    assert entry.actor == caseworker2 and entry.reason == REASON and entry.object_id == str(sealed.pk)
    assert entry.person_id == sealed.person_id
    event = CaseEvent.objects.get(case=sealed, kind="break_glass")
    assert event.team_only and event.data["reason"] == REASON
    note = Notification.objects.get(user=cast.director, verb="case.break_glass")
    assert REASON in note.message and str(caseworker2) in note.message
    opened = selectors.case_open_for_read(user=caseworker2, pk=sealed.pk)
    assert opened == sealed
    read = AccessEntry.objects.filter(purpose="view").get()
    assert read.break_glass and read.reason == REASON
    # The grant runs out.
    with frozen(grant.expires_at + dt.timedelta(minutes=1)):
        assert not _sees(caseworker2, sealed)


@override_settings(CTXH_BREAK_GLASS_HOURS=1)
def test_the_grant_lasts_the_configured_time(cast, sealed, caseworker2):
    grant = services.case_break_glass(actor=caseworker2, case=sealed, reason=REASON)
    assert dt.timedelta(minutes=59) < grant.expires_at - timezone.now() <= dt.timedelta(hours=1)


def test_those_without_case_work_or_outside_the_area_cannot_break_the_glass(cast, sealed):
    for user in (cast.statistician, cast.outsider, cast.counsellor, cast.admin):
        with pytest.raises(PermissionDenied):
            services.case_break_glass(actor=user, case=sealed, reason=REASON)
    for user in (cast.collaborator2, cast.far_worker):
        with pytest.raises(Http404):
            services.case_break_glass(actor=user, case=sealed, reason=REASON)
    assert not AccessEntry.objects.exists()


def test_a_collaborator_of_the_commune_may_break_the_glass_of_a_sealed_case_there(cast, sealed):
    assert not _sees(cast.collaborator, sealed)
    services.case_break_glass(actor=cast.collaborator, case=sealed, reason=REASON)
    assert _sees(cast.collaborator, sealed)


def test_no_glass_to_break_for_those_who_already_see_the_case(cast, sealed):
    with pytest.raises(ValidationError):
        services.case_break_glass(actor=cast.caseworker, case=sealed, reason=REASON)


def test_the_break_glass_viewer_does_not_see_team_only_entries(cast, sealed, caseworker2):
    services.note_add(actor=cast.caseworker, case=sealed, text="Địa chỉ nhà tạm lánh", visibility="team")
    services.note_add(actor=cast.caseworker, case=sealed, text="Đã gọi điện hỏi thăm")
    services.case_break_glass(actor=caseworker2, case=sealed, reason=REASON)
    assert [n.text for n in selectors.case_notes(user=caseworker2, case=sealed)] == ["Đã gọi điện hỏi thăm"]
    kinds = [e.kind for e in selectors.case_timeline(user=caseworker2, case=sealed)]
    assert "break_glass" not in kinds and kinds.count("note") == 1
    director_kinds = [e.kind for e in selectors.case_timeline(user=cast.director, case=sealed)]
    assert "break_glass" in director_kinds and director_kinds.count("note") == 2


def test_each_read_is_logged(cast, sealed):
    selectors.case_open_for_read(user=cast.caseworker, pk=sealed.pk)
    selectors.case_open_for_read(user=cast.director, pk=sealed.pk)
    entries = AccessEntry.objects.filter(object_type="cases.case", object_id=str(sealed.pk))
    assert entries.count() == 2 and not entries.filter(break_glass=True).exists()


def test_unsealing_is_for_directors_and_never_for_gbv(cast, assigned_case):
    case = assigned_case(sealed=True)
    with pytest.raises(PermissionDenied):
        services.case_set_sealed(actor=cast.caseworker, case=case, sealed=False, reason="Nhầm")
    services.case_set_sealed(actor=cast.director, case=case, sealed=False, reason="Đánh dấu nhầm khi tiếp nhận")
    case.refresh_from_db()
    assert not case.sealed
    gbv = assigned_case("gbv")
    with pytest.raises(ValidationError):
        services.case_set_sealed(actor=cast.director, case=gbv, sealed=False, reason="Thử")
