"""The caseload, the director's desk and the case list: what they show, their filters, and their query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ctxh.cases import services
from ctxh.cases.models import Case
from tests.cases.conftest import plan_items, put_at
from tests.factories import PersonFactory

HTMX = {"HX-Request": "true"}


def _late(assigned_case, **kwargs):
    """A case of a child at serious risk reported 13 hours ago: its 12-hour deadline has passed."""
    return assigned_case(serious_risk=True, reported_at=timezone.now() - dt.timedelta(hours=13), **kwargs)


# My cases ------------------------------------------------------------------------------------------

def test_my_cases_shows_the_open_cases_of_my_team_with_the_overdue_on_top(login, cast, assigned_case, open_case):
    late = _late(assigned_case)
    calm = assigned_case("elderly")
    put_at(assigned_case(), "closed")
    not_mine = open_case()  # opened by the counsellor, not assigned
    body = login(cast.caseworker).get(reverse("cases:my")).content.decode()
    assert late.number in body and calm.number in body and not_mine.number not in body
    overdue_block = body.split("Quá hạn và sắp đến hạn")[1].split("Hồ sơ đang mở")[0]
    assert late.number in overdue_block and calm.number not in overdue_block and "Quá hạn" in overdue_block
    assert body.index(late.number, body.index("Hồ sơ đang mở")) < body.index(calm.number, body.index("Hồ sơ đang mở"))


def test_my_cases_filters_by_type_step_and_overdue(login, cast, assigned_case):
    late = _late(assigned_case)
    calm = assigned_case("elderly")
    client = login(cast.caseworker)
    only_elderly = client.get(reverse("cases:my"), {"case_type": "elderly"}).content.decode()
    assert calm.number in only_elderly and late.number not in only_elderly.split("Hồ sơ đang mở")[1]
    overdue = client.get(reverse("cases:my"), {"overdue": "1"}, headers=HTMX).content.decode()
    assert late.number in overdue and calm.number not in overdue
    at_step = client.get(reverse("cases:my"), {"status": "assessment"}, headers=HTMX).content.decode()
    assert calm.number in at_step and late.number not in at_step


def test_htmx_gets_only_the_table(login, cast, assigned_case):
    case = assigned_case()
    response = login(cast.caseworker).get(reverse("cases:my"), {"sort": "recent"}, headers=HTMX)
    body = response.content.decode()
    assert case.number in body and "<html" not in body and "Quá hạn và sắp đến hạn" not in body


def test_my_cases_has_an_empty_state(login, cast, db):
    body = login(cast.caseworker).get(reverse("cases:my")).content.decode()
    assert "Bạn chưa có hồ sơ nào đang mở" in body and "Không có việc nào quá hạn hoặc sắp đến hạn." in body


def test_my_cases_pages_through_a_long_caseload(login, cast, assigned_case, geo):
    for i in range(27):
        assigned_case("general", person=PersonFactory(full_name=f"Người Số {i}", commune=geo["c1"]))
    client = login(cast.caseworker)
    first = client.get(reverse("cases:my"), {"sort": "recent"}).content.decode()
    assert "27 hồ sơ" in first and "Trang 1/2" in first
    second = client.get(reverse("cases:my"), {"sort": "recent", "page": 2}).content.decode()
    assert "Trang 2/2" in second


def _many(assigned_case, geo, n):
    for i in range(n):
        assigned_case("general" if i % 2 else "child_protection",
                      person=PersonFactory(full_name=f"Trẻ Số {i}", commune=geo["c1"]), serious_risk=bool(i % 3 == 0))


@pytest.mark.parametrize("n", [3, 25])
def test_my_cases_costs_the_same_queries_however_many_cases(login, cast, assigned_case, geo, n,
                                                            django_assert_max_num_queries):
    _many(assigned_case, geo, n)
    client = login(cast.caseworker)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("cases:my")).status_code == 200


@pytest.mark.parametrize("n", [3, 25])
def test_the_case_list_costs_the_same_queries_however_many_cases(login, cast, assigned_case, geo, n,
                                                                 django_assert_max_num_queries):
    _many(assigned_case, geo, n)
    client = login(cast.director)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cases:list"), {"q": "tre"}).status_code == 200


@pytest.mark.parametrize("n", [3, 25])
def test_the_director_page_costs_the_same_queries_however_many_cases(login, cast, open_case, assigned_case, geo, n,
                                                                     django_assert_max_num_queries):
    _many(assigned_case, geo, n)
    for i in range(n):
        open_case(person=PersonFactory(full_name=f"Chưa Giao {i}", commune=geo["c1"]))
    client = login(cast.director)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("cases:director")).status_code == 200


# The case list -----------------------------------------------------------------------------------------

def test_the_case_list_finds_by_number_or_name_without_diacritics(login, cast, assigned_case, adult):
    hoa = assigned_case()
    lan = assigned_case("elderly", person=adult)
    client = login(cast.director)
    by_name = client.get(reverse("cases:list"), {"q": "lo thi hoa"}, headers=HTMX).content.decode()
    assert hoa.number in by_name and lan.number not in by_name
    by_number = client.get(reverse("cases:list"), {"q": lan.number}, headers=HTMX).content.decode()
    assert lan.number in by_number and hoa.number not in by_number
    none = client.get(reverse("cases:list"), {"q": "khong ai ten nay"}, headers=HTMX).content.decode()
    assert "Không có hồ sơ nào khớp" in none


def test_the_case_list_never_shows_a_sealed_case_to_those_outside_it(login, cast, assigned_case, adult, caseworker2):
    sealed = assigned_case("gbv", person=adult)
    plain = assigned_case()
    collaborator = login(cast.collaborator).get(reverse("cases:list")).content.decode()
    assert plain.number in collaborator and sealed.number not in collaborator and "Đinh Thị Lan" not in collaborator
    assert sealed.number in login(cast.director).get(reverse("cases:list")).content.decode()
    assert "0 hồ sơ" in login(caseworker2).get(reverse("cases:list")).content.decode()
    assert "0 hồ sơ" in login(cast.collaborator2).get(reverse("cases:list")).content.decode()


def test_the_case_list_filters_closed_and_awaiting_approval(login, cast, assigned_case, closure_reason):
    closed = put_at(assigned_case(), "closed")
    waiting = assigned_case()
    services.closure_request(actor=cast.caseworker, case=waiting, reason=closure_reason(), outcome="Ổn định")
    client = login(cast.director)
    body = client.get(reverse("cases:list"), {"status": "closed"}, headers=HTMX).content.decode()
    assert closed.number in body and waiting.number not in body
    body = client.get(reverse("cases:list"), {"status": "awaiting_approval"}, headers=HTMX).content.decode()
    assert waiting.number in body and closed.number not in body


def test_an_unknown_filter_value_is_shown_not_ignored_silently(login, cast, assigned_case):
    assigned_case()
    body = login(cast.director).get(reverse("cases:list"), {"case_type": "khong-co"}).content.decode()
    assert 'class="panel bad"' in body


# The director's desk -----------------------------------------------------------------------------------

def test_the_director_sees_workload_overdue_approvals_and_unassigned(login, cast, assigned_case, open_case, adult):
    late = _late(assigned_case)
    at_plan = put_at(assigned_case("elderly", person=adult), "plan")
    plan = services.plan_save(actor=cast.caseworker, case=at_plan, goals="Chăm sóc tại nhà",
                              items=plan_items(cast.caseworker))
    services.plan_submit(actor=cast.caseworker, plan=plan)
    waiting = open_case()
    body = login(cast.director).get(reverse("cases:director")).content.decode()
    workload = body.split('id="workload"')[1].split('id="overdue"')[0]
    assert "Caseworker" in workload and ">2<" in workload  # two open cases in charge
    overdue = body.split('id="overdue"')[1].split('id="due-soon"')[0]
    assert late.number in overdue
    awaiting = body.split('id="awaiting"')[1].split('id="unassigned"')[0]
    assert at_plan.number in awaiting and late.number not in awaiting
    unassigned = body.split('id="unassigned"')[1]
    assert waiting.number in unassigned and late.number not in unassigned
    assert f'action="{reverse("cases:assign", kwargs={"pk": waiting.pk})}"' in unassigned


def test_assigning_from_the_desk_returns_there(login, cast, open_case):
    case = open_case()
    client = login(cast.director)
    response = client.post(reverse("cases:assign", args=[case.pk]), {
        "worker": cast.caseworker.pk, "role": "lead", "version": case.version, "next": reverse("cases:director")})
    assert response.status_code == 302 and response["Location"] == reverse("cases:director")
    assert Case.objects.get(pk=case.pk).assigned_to == cast.caseworker
    # A stale form from the desk is refused, with a message.
    response = client.post(reverse("cases:assign", args=[case.pk]), {
        "worker": cast.caseworker.pk, "role": "co_worker", "version": case.version,
        "next": reverse("cases:director")}, follow=True)
    assert "người khác" in response.content.decode()


def test_the_menu_shows_cases_to_case_roles(login, cast, db):
    link = f'href="{reverse("cases:my")}"'
    assert link in login(cast.caseworker).get(reverse("home")).content.decode()
    assert link in login(cast.counsellor).get(reverse("home")).content.decode()
    assert link not in login(cast.statistician).get(reverse("home")).content.decode()
