"""The pages: occupancy overview, a facility's residents, admitting, discharging, going home, follow-ups."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ctxh.residential import services
from ctxh.residential.models import Admission, FollowUp, Reintegration
from tests.factories import PersonFactory
from tests.residential.conftest import fill

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_the_overview_shows_places_and_fees(login, cast, home, other_home, geo, admit, elder):
    fill(home, 2, geo, admit)
    admit(elder, home, kind="voluntary_paid", monthly_fee=4_500_000, payer_name="Con")
    response = login(cast.director).get(reverse("residential:facilities"))
    html = response.content.decode()
    assert response.status_code == 200
    assert home.name in html and other_home.name in html
    assert "hết chỗ" in html and "4.500.000 ₫" in html
    assert 'class="bad"' in html  # the full facility is highlighted
    assert reverse("residential:admit", args=[home.pk]) in html


def test_the_overview_search_narrows_by_name(login, cast, home, other_home):
    html = login(cast.director).get(reverse("residential:facilities"), {"q": "sos ha long"}).content.decode()
    assert other_home.name in html and home.name not in html


def test_staff_see_only_their_facility_on_the_overview(login, staff, home, other_home):
    html = login(staff).get(reverse("residential:facilities")).content.decode()
    assert home.name in html and other_home.name not in html


def test_the_facility_page_lists_residents_with_search_sort_and_pages(login, staff, home, geo, admit, cast):
    home.capacity = 40
    home.save()
    names = [f"Nguyễn Văn Người{i:02d}" for i in range(27)]
    for i, n in enumerate(names):
        admit(PersonFactory(full_name=n, commune=geo["c1"]), home,
              admitted_on=TODAY() - dt.timedelta(days=100 - i))
    admit(PersonFactory(full_name="Đỗ Thị Hằng", commune=geo["c1"]), home, decision_number="77/QĐ-BTXH")
    client = login(staff)
    url = reverse("residential:facility", args=[home.pk])
    first = client.get(url).content.decode()
    assert "28 lượt" in first and "Trang 1/2" in first
    found = client.get(url, {"q": "do thi hang"}).content.decode()
    assert "Đỗ Thị Hằng" in found and "Người00" not in found
    assert "Đỗ Thị Hằng" in client.get(url, {"q": "77/qđ"}).content.decode()
    newest = client.get(url, {"sort": "-admitted"}).content.decode()
    assert newest.index("Đỗ Thị Hằng") < newest.index("Người26")
    partial = client.get(url, {"q": "nguoi26"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "Người26" in partial


def test_the_history_tab_lists_those_who_left(login, staff, home, adult, child, admit, cast):
    a = admit(adult, home)
    admit(child, home)
    services.resident_discharge(actor=cast.director, admission=a, discharged_on=TODAY(), reason="returned_family")
    client = login(staff)
    url = reverse("residential:facility", args=[home.pk])
    current = client.get(url).content.decode()
    history = client.get(url, {"tab": "history"}).content.decode()
    assert "Lò Thị Hoa" in current and "Đinh Văn Lâm" not in current
    assert "Đinh Văn Lâm" in history and "Trở về gia đình" in history and "Lò Thị Hoa" not in history


def _admit_post(person, **extra):
    return {"person": person.pk, "kind": "state", "admitted_on": TODAY().strftime("%d/%m/%Y"),
            "reason": "Người cao tuổi cô đơn, không nơi nương tựa.", "decision_number": "12/QĐ-BTXH",
            "decision_date": TODAY().strftime("%d/%m/%Y"), "decided_by": "Giám đốc", **extra}


def test_staff_admit_a_person_from_the_form(login, staff, home, elder, cast):
    from ctxh.accounts.models import Organization
    from ctxh.accounts.services import membership_grant

    # The staff member also covers the commune the person lives in (person search is by area).
    membership_grant(actor=None, user=staff, organization=Organization.objects.get(name="UBND xã 1"),
                     role="facility_staff", communes=[elder.commune])
    client = login(staff)
    page = client.get(reverse("residential:admit", args=[home.pk]))
    assert page.status_code == 200 and 'hx-get="/people/search/?pick=1"' in page.content.decode()
    response = client.post(reverse("residential:admit", args=[home.pk]), _admit_post(
        elder, kind="voluntary_paid", monthly_fee="4.000.000", payer_name="Hoàng Văn Hải"))
    a = Admission.objects.get(person=elder)
    assert response.status_code == 302 and response["Location"] == reverse("residential:resident", args=[a.pk])
    assert a.monthly_fee == 4_000_000 and a.created_by == staff


def test_the_admit_form_keeps_input_and_shows_a_full_facility(login, cast, home, geo, admit, adult):
    fill(home, 3, geo, admit)
    client = login(cast.director)
    page = client.get(reverse("residential:admit", args=[home.pk]))
    assert "đã đủ chỗ" in page.content.decode()
    response = client.post(reverse("residential:admit", args=[home.pk]), _admit_post(adult))
    html = response.content.decode()
    assert response.status_code == 422 and "Không thể tiếp nhận thêm" in html
    assert "Người cao tuổi cô đơn" in html and "12/QĐ-BTXH" in html
    assert not Admission.objects.filter(person=adult).exists()
    response = client.post(reverse("residential:admit", args=[home.pk]), _admit_post(
        adult, over_capacity_reason="Khẩn cấp: bị bỏ rơi."))
    assert response.status_code == 302 and Admission.objects.get(person=adult).over_capacity_reason


def test_the_admit_form_needs_a_person_in_reach(login, cast, home, geo):
    far_person = PersonFactory(full_name="Người Tỉnh Khác", commune=geo["far"])
    response = login(cast.director).post(reverse("residential:admit", args=[home.pk]), _admit_post(far_person))
    assert response.status_code == 422 and "Không tìm thấy đối tượng" in response.content.decode()


def test_the_resident_page_shows_the_stay_and_a_confirmed_discharge_form(login, staff, home, adult, admit):
    a = admit(adult, home, decision_number="15/QĐ")
    html = login(staff).get(reverse("residential:resident", args=[a.pk])).content.decode()
    assert "Đinh Văn Lâm" in html and "15/QĐ" in html and "data-confirm" in html
    assert reverse("residential:discharge", args=[a.pk]) in html


def test_discharge_home_records_the_reintegration_at_once(login, staff, home, child, admit):
    a = admit(child, home)
    response = login(staff).post(reverse("residential:discharge", args=[a.pk]), {
        "discharged_on": TODAY().strftime("%d/%m/%Y"), "reason": "returned_family", "decision": "30/QĐ",
        "version": a.version, "commune": child.commune_id, "receiver_name": "Lò Văn Páo",
        "receiver_relationship": "Bác ruột", "receiver_phone": "0912345678"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.discharged_on == TODAY()
    r = Reintegration.objects.get(admission=a)
    assert r.receiver_name == "Lò Văn Páo" and r.follow_up_until == services.add_months(TODAY(), 6)
    html = login(staff).get(reverse("residential:resident", args=[a.pk])).content.decode()
    assert "Lò Văn Páo" in html and "Thông tư 02/2020" in html


def test_a_discharge_home_without_a_receiver_changes_nothing(login, staff, home, child, admit):
    a = admit(child, home)
    response = login(staff).post(reverse("residential:discharge", args=[a.pk]), {
        "discharged_on": TODAY().strftime("%d/%m/%Y"), "reason": "returned_family", "version": a.version,
        "commune": child.commune_id, "decision": "31/QĐ"})
    html = response.content.decode()
    assert response.status_code == 422 and "Cần ghi họ tên người tiếp nhận" in html and "31/QĐ" in html
    assert Admission.objects.get(pk=a.pk).is_open and not Reintegration.objects.exists()


def test_a_discharge_from_a_stale_page_is_a_conflict(login, staff, home, adult, admit, cast):
    a = admit(adult, home)
    services.admission_update(actor=cast.director, admission=a, expected_version=1, data={"notes": "Đổi"})
    response = login(staff).post(reverse("residential:discharge", args=[a.pk]), {
        "discharged_on": TODAY().strftime("%d/%m/%Y"), "reason": "died", "version": 1})
    assert response.status_code == 409 and "người khác sửa" in response.content.decode()
    assert Admission.objects.get(pk=a.pk).is_open


def test_follow_up_visits_from_the_page_and_the_due_list(login, staff, home, child, admit, cast):
    a = admit(child, home, admitted_on=TODAY() - dt.timedelta(days=300))
    a = services.resident_discharge(actor=cast.director, admission=a, reason="returned_family",
                                    discharged_on=TODAY() - dt.timedelta(days=40))
    services.reintegration_record(actor=cast.director, admission=a, commune=child.commune,
                                  receiver_name="Lò Văn Páo", receiver_relationship="Bác ruột")
    client = login(staff)
    due = client.get(reverse("residential:follow-ups")).content.decode()
    assert "Lò Thị Hoa" in due and "quá hạn" in due
    response = client.post(reverse("residential:follow-up", args=[a.pk]), {
        "visited_on": TODAY().strftime("%d/%m/%Y"), "situation": "at_risk", "notes": ""})
    assert response.status_code == 422 and "Ghi rõ nguy cơ" in response.content.decode()
    response = client.post(reverse("residential:follow-up", args=[a.pk]), {
        "visited_on": TODAY().strftime("%d/%m/%Y"), "situation": "stable", "notes": "Đi học đều."})
    assert response.status_code == 302 and FollowUp.objects.get().visited_by == staff
    assert "Lò Thị Hoa" not in client.get(reverse("residential:follow-ups")).content.decode()


def test_a_reintegration_can_be_recorded_after_the_discharge(login, staff, home, child, admit, cast):
    a = admit(child, home)
    services.resident_discharge(actor=cast.director, admission=a, discharged_on=TODAY(), reason="returned_community")
    client = login(staff)
    assert reverse("residential:reintegration", args=[a.pk]) in client.get(
        reverse("residential:resident", args=[a.pk])).content.decode()
    response = client.post(reverse("residential:reintegration", args=[a.pk]), {
        "commune": child.commune_id, "receiver_name": "Phạm Văn Hòa", "receiver_relationship": "Công chức xã"})
    assert response.status_code == 302 and Reintegration.objects.get(admission=a).destination == "commune"


def test_the_edit_page_saves_and_reports_a_conflict(login, staff, home, adult, admit, cast):
    a = admit(adult, home)
    client = login(staff)
    page = client.get(reverse("residential:resident-edit", args=[a.pk]))
    assert page.status_code == 200
    data = {"kind": "state", "admitted_on": a.admitted_on.strftime("%d/%m/%Y"), "reason": a.reason,
            "decision_number": "88/QĐ", "decision_date": "", "decided_by": "", "monthly_fee": "",
            "contract_number": "", "payer_name": "", "case_number": "", "notes": "", "version": 1}
    assert client.post(reverse("residential:resident-edit", args=[a.pk]), data).status_code == 302
    assert Admission.objects.get(pk=a.pk).decision_number == "88/QĐ"
    response = client.post(reverse("residential:resident-edit", args=[a.pk]), {**data, "notes": "Cũ"})
    assert response.status_code == 409 and "Cũ" in response.content.decode()


def test_the_follow_up_period_shown_comes_from_the_rule_row(login, staff, home, adult, admit):
    from ctxh.core.models import Rule

    a = admit(adult, home)
    Rule.objects.create(key="residential.follow_up_months", valid_from=dt.date(2025, 1, 1), value=12, unit="tháng",
                        source="Văn bản thử nghiệm")
    html = login(staff).get(reverse("residential:resident", args=[a.pk])).content.decode()
    assert "ít nhất 12 tháng sau khi trở về" in html and "6 tháng" not in html
