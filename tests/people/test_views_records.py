"""Groups, disability, consent and households from their pages."""

import datetime as dt

import pytest
from django.urls import reverse

from ctxh.audit.models import AuditEntry
from ctxh.core.models import Term
from ctxh.people.models import Consent, Household, HouseholdMember, HouseholdPoverty


def test_it_adds_and_ends_a_beneficiary_group(login, cast, han):
    client = login(cast.collaborator)
    group = Term.objects.get(code="d20_5_7")
    response = client.post(reverse("people:group-add", args=[han.pk]),
                           {"group": group.pk, "start_date": "01/02/2025", "source": "QĐ 12/QĐ-UBND"})
    assert response.status_code == 302
    gm = han.groups.get()
    assert gm.start_date == dt.date(2025, 2, 1)
    response = client.post(reverse("people:group-end", args=[gm.pk]), {"end_date": "01/01/2025"})
    assert response.status_code == 422 and "không được trước" in response.content.decode()
    client.post(reverse("people:group-end", args=[gm.pk]), {"end_date": "30/06/2026"})
    gm.refresh_from_db()
    assert gm.end_date == dt.date(2026, 6, 30)
    assert AuditEntry.objects.filter(action__in=["person.group_added", "person.group_ended"]).count() == 2


def test_it_records_a_disability_with_its_certificate(login, cast, han, geo):
    client = login(cast.collaborator)
    response = client.post(reverse("people:disability-add", args=[han.pk]), {
        "type": Term.objects.get(vocabulary="disability_type", code="mobility").pk,
        "level": Term.objects.get(vocabulary="disability_level", code="severe").pk,
        "certificate_number": "123/GXN", "certificate_date": "10/10/2024", "issuing_commune": geo["c1"].pk})
    assert response.status_code == 302
    page = client.get(reverse("people:detail", args=[han.pk]), {"tab": "disability"}).content.decode()
    assert "Khuyết tật vận động" in page and "Khuyết tật nặng" in page and "123/GXN" in page


def test_a_representatives_consent_needs_their_name_and_can_be_withdrawn(login, cast, han):
    client = login(cast.collaborator)
    data = {"purpose": "sharing", "given_by": "representative", "method": "written", "given_on": "01/03/2026"}
    response = client.post(reverse("people:consent-add", args=[han.pk]), data)
    assert response.status_code == 422 and "người đại diện" in response.content.decode()
    client.post(reverse("people:consent-add", args=[han.pk]),
                {**data, "representative_name": "Đặng Văn Bố", "representative_relation": "Cha"})
    consent = Consent.objects.get()
    client.post(reverse("people:consent-withdraw", args=[consent.pk]),
                {"withdrawn_on": "02/03/2026", "reason": "Không muốn chia sẻ"})
    consent.refresh_from_db()
    assert consent.withdrawn_on == dt.date(2026, 3, 2) and not consent.is_active


def test_a_household_is_created_with_its_head_and_members(login, cast, han, geo):
    from tests.factories import PersonFactory

    child = PersonFactory(full_name="Đặng Minh Khôi", commune=geo["c1"], birth_date=dt.date(2015, 1, 1))
    client = login(cast.collaborator)
    response = client.post(reverse("people:household-create"), {
        "province": geo["province"].pk, "commune": geo["c1"].pk, "address_detail": "Thôn 3", "head": han.pk})
    household = Household.objects.get()
    assert response.status_code == 302 and household.members.get().person == han
    response = client.post(reverse("people:household-member-add", args=[household.pk]),
                           {"person": child.pk, "relationship": "head"})
    assert response.status_code == 422 and "một chủ hộ" in response.content.decode()
    client.post(reverse("people:household-member-add", args=[household.pk]),
                {"person": child.pk, "relationship": "child"})
    assert household.members.count() == 2
    client.post(reverse("people:household-poverty", args=[household.pk]),
                {"year": 2025, "status": "near_poor", "decision": "QĐ 5"})
    row = HouseholdPoverty.objects.get()
    assert row.standard.code == "ND07-2021" and row.status == "near_poor"
    member = HouseholdMember.objects.get(person=child)
    client.post(reverse("people:household-member-remove", args=[member.pk]), {"reason": "Chuyển đi"})
    assert household.members.count() == 1


def test_a_household_cannot_be_placed_outside_the_users_communes(login, cast, geo):
    response = login(cast.collaborator).post(reverse("people:household-create"), {
        "province": geo["province"].pk, "commune": geo["c2"].pk})
    assert response.status_code == 422 and not Household.objects.exists()


@pytest.mark.parametrize("year,standard", [(2026, "ND07-2021"), (2027, "ND351-2025")])
def test_poverty_uses_the_standard_in_force_that_year(cast, geo, year, standard):
    from ctxh.people.services import household_poverty_set
    from tests.factories import HouseholdFactory

    household = HouseholdFactory(commune=geo["c1"])
    row = household_poverty_set(actor=cast.collaborator, household=household, year=year, status="poor")
    assert row.standard.code == standard
