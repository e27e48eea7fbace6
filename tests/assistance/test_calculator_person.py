"""Checking a registered person from their file: scoped, logged, same engine."""

import datetime as dt

import pytest
from django.urls import reverse

from ctxh.audit.models import AccessEntry
from ctxh.core.models import Term
from ctxh.people.models import GroupMembership, HouseholdMember, HouseholdPoverty, PovertyStandard
from tests.factories import HouseholdFactory, PersonFactory


@pytest.fixture
def mai(geo):
    """Bà Lò Thị Mai of commune c1, born 1941 (year only), poor, no one to support her."""
    person = PersonFactory(full_name="Lò Thị Mai", commune=geo["c1"], birth_date=dt.date(1941, 1, 1),
                           birth_precision="year")
    household = HouseholdFactory(commune=geo["c1"])
    HouseholdMember.objects.create(household=household, person=person, relationship="head")
    standard = PovertyStandard.objects.get(code="ND07-2021")
    for year in (2025, 2026):
        HouseholdPoverty.objects.create(household=household, year=year, status="poor", standard=standard)
    GroupMembership.objects.create(person=person, group=Term.objects.get(vocabulary="allowance_group", code="d20_5_6a"),
                                   start_date=dt.date(2024, 1, 1), source="QĐ 12/QĐ-UBND")
    return person


def url(person, on=None):
    base = reverse("assistance:calculator-person", args=[person.pk])
    return f"{base}?on={on}" if on else base


def test_it_shows_the_answer_from_the_file_and_logs_the_reading(login, cast, mai):
    response = login(cast.collaborator).get(url(mai, "15/03/2025"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lò Thị Mai" in body and "Người cao tuổi thuộc hộ nghèo, không có người có nghĩa vụ phụng dưỡng" in body
    assert "Hộ nghèo" in body and "1.000.000 ₫" in body and "Nghị định 20/2021/NĐ-CP, Điều 6, khoản 1" in body
    entry = AccessEntry.objects.get(person_id=mai.pk)
    assert entry.actor == cast.collaborator and entry.purpose == "entitlement.check"


def test_the_date_changes_the_answer(login, cast, mai):
    client = login(cast.collaborator)
    # No poverty review for 2024: not point a, but 80+ without pension at 360.000 × 1,0.
    body = client.get(url(mai, "15/03/2024")).content.decode()
    assert "Chưa có kết quả rà soát" in body and "chưa rõ phân loại" in body
    assert "Người từ đủ 80 tuổi không có lương hưu" in body and "360.000 ₫" in body
    assert "1.000.000 ₫" in client.get(url(mai, "2025-03-15")).content.decode()


def test_a_bad_date_falls_back_to_today_with_a_message(login, cast, mai):
    body = login(cast.collaborator).get(url(mai, "hôm qua")).content.decode()
    assert "Ngày xét không đúng dạng" in body and f"{dt.date.today():%d/%m/%Y}" in body


def test_it_offers_to_try_other_facts_in_the_calculator(login, cast, mai):
    client = login(cast.collaborator)
    body = client.get(url(mai, "15/03/2025")).content.decode()
    assert 'name="birth" value="1941"' in body and 'name="groups" value="d20_5_6a"' in body
    form = {"on": "15/03/2025", "birth": "1941", "sex": "female", "groups": ["d20_5_6a"], "household_poverty": "poor",
            "commune": mai.commune_id, "disability_level": "severe"}
    answer = client.post(reverse("assistance:calculator"), form).content.decode()
    assert "Khuyết tật nặng, người cao tuổi" in answer


def test_it_sends_anonymous_users_to_login(client, mai):
    response = client.get(url(mai))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("user,status", [("outsider", 403), ("statistician", 403), ("collaborator2", 404),
                                         ("far_worker", 404)])
def test_it_refuses_those_outside(login, cast, mai, user, status):
    assert login(cast[user]).get(url(mai)).status_code == status
    assert not AccessEntry.objects.filter(person_id=mai.pk).exists()


def test_the_province_centre_may_check(login, cast, mai):
    assert login(cast.caseworker).get(url(mai)).status_code == 200
