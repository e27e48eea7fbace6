"""Donor and donation pages: what remains, allocating it, cancelling with confirmation."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from ctxh.support import services
from ctxh.support.models import Allocation, Donation, Donor

D = dt.date


def test_adding_a_donor_then_a_donation_of_goods(login, cast, geo):
    client = login(cast.director)
    response = client.post(reverse("support:donor-create"), {"name": "Tập đoàn Vingroup", "kind": "company",
                                                             "phone": "02439749999"})
    donor = Donor.objects.get()
    assert response.status_code == 302 and f"donor={donor.pk}" in response["Location"]
    response = client.post(reverse("support:donation-create"), {
        "donor": donor.pk, "received_on": "15/01/2025", "form": "goods", "item": "heifer", "quantity": "1000",
        "purpose": "Bê cái giống cho hộ nghèo"})
    donation = Donation.objects.get()
    assert response.status_code == 302 and (donation.quantity, donation.unit, donation.remaining) == (1000, "con", 1000)


def test_a_donor_with_the_same_name_is_refused(login, cast, donor):
    response = login(cast.director).post(reverse("support:donor-create"), {"name": "tap doan  VINGROUP", "kind": "company"})
    assert response.status_code == 422 and "Đã có nhà tài trợ" in response.content.decode()


def test_the_list_shows_what_remains(login, cast, heifers, households):
    services.allocation_create(actor=cast.director, donation=heifers, household=households["h1"], quantity=40,
                               allocated_on=D(2025, 2, 1))
    page = login(cast.collaborator).get(reverse("support:donation-list")).content.decode()
    assert "1.000 con" in page and "960 con" in page and "40 con" in page and "Tập đoàn Vingroup" in page


def test_allocating_from_the_page_and_being_told_what_remains(login, cast, heifers, households):
    client = login(cast.director)
    response = client.post(reverse("support:allocation-create", args=[heifers.pk]), {
        "household": households["h1"].pk, "quantity": "999", "allocated_on": "01/02/2025"})
    assert response.status_code == 302
    response = client.post(reverse("support:allocation-create", args=[heifers.pk]), {
        "household": households["h2"].pk, "quantity": "2", "allocated_on": "01/02/2025", "note": "Hộ nghèo"})
    page = response.content.decode()
    assert response.status_code == 422 and "chỉ còn 1 con" in page and "Hộ nghèo" in page
    assert Allocation.objects.count() == 1
    page = client.get(reverse("support:donation-detail", args=[heifers.pk])).content.decode()
    assert 'id="remaining">1 con' in page


def test_an_allocation_page_for_a_need_meets_it(login, cast, people, donor):
    from ctxh.support.models import NeedStatus
    from tests.support.conftest import term

    chairs = services.donation_record(actor=cast.director, donor=donor, received_on=D(2025, 1, 2),
                                      item=term("support_item", "wheelchair"), quantity=5, purpose="Xe lăn")
    need = services.need_identify(actor=cast.caseworker, person=people["han"], need_type=term("need_type", "wheelchair"))
    client = login(cast.director)
    page = client.get(reverse("support:donation-detail", args=[chairs.pk]), {"need": need.pk}).content.decode()
    assert "đáp ứng nhu cầu “Xe lăn”" in page and "Đặng Thị Ngọc Hân" in page
    client.post(reverse("support:allocation-create", args=[chairs.pk]), {
        "person": people["han"].pk, "need": need.pk, "quantity": "1", "allocated_on": "01/03/2025"})
    need.refresh_from_db()
    assert need.status == NeedStatus.FULFILLED and need.fulfilled_allocation.quantity == 1


def test_cancelling_asks_for_confirmation_and_a_reason(login, cast, heifers, households):
    allocation = services.allocation_create(actor=cast.director, donation=heifers, household=households["h1"],
                                            quantity=5, allocated_on=D(2025, 2, 1))
    client = login(cast.director)
    page = client.get(reverse("support:allocation-cancel", args=[allocation.pk])).content.decode()
    assert "data-confirm" in page and "trả lại khoản tài trợ" in page
    assert client.post(reverse("support:allocation-cancel", args=[allocation.pk]), {"reason": ""}).status_code == 422
    client.post(reverse("support:allocation-cancel", args=[allocation.pk]), {"reason": "Nhầm hộ"})
    heifers.refresh_from_db()
    assert heifers.remaining == 1000


def test_editing_a_donor_with_a_stale_version_conflicts(login, cast, donor):
    services.donor_update(actor=cast.director, donor=donor, data={"phone": "0912000000"}, expected_version=1)
    response = login(cast.director).post(reverse("support:donor-edit", args=[donor.pk]), {
        "version": 1, "name": "Vingroup", "kind": "company"})
    assert response.status_code == 409 and "người khác cập nhật" in response.content.decode()
