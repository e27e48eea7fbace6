"""The grants pages: a filtered list with totals, the form with the rule-based amount, the receipt."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ctxh.audit.models import AccessEntry
from ctxh.support.models import Grant
from tests.factories import PersonFactory
from tests.support.conftest import term

D = dt.date


def test_the_list_filters_and_adds_up_money_and_goods(login, cast, people, households, record_grant, geo):
    record_grant(person=people["han"], amount=3_600_000, kind=term("support_kind", "scholarship"))
    record_grant(household=households["h1"])
    record_grant(person=people["cuong"], kind=term("support_kind", "goods"), amount=None,
                 item=term("support_item", "wheelchair"), quantity=1)
    client = login(cast.caseworker)
    page = client.get(reverse("support:grant-list")).content.decode()
    assert "<b>3</b> khoản hỗ trợ" in page and "<b>8.600.000 ₫</b>" in page and "<b>1 chiếc</b> xe lăn" in page
    page = client.get(reverse("support:grant-list"), {"commune": geo["c2"].pk}).content.decode()
    assert "Lê Văn Cường" in page and "Đặng Thị Ngọc Hân" not in page
    page = client.get(reverse("support:grant-list"), {"kind": "scholarship"}).content.decode()
    assert "3.600.000 ₫" in page and "Lê Văn Cường" not in page
    page = client.get(reverse("support:grant-list"), {"q": "han"}).content.decode()
    assert "Đặng Thị Ngọc Hân" in page and "Lê Văn Cường" not in page


def test_the_list_filters_by_date_range_and_funding(login, cast, people, record_grant):
    record_grant(person=people["han"], given_on=D(2025, 1, 5))
    record_grant(person=people["an"], given_on=D(2025, 6, 5), funding=term("funding_source_kind", "project"),
                 project_name="Dự án sinh kế")
    client = login(cast.caseworker)
    page = client.get(reverse("support:grant-list"), {"date_from": "01/06/2025"}).content.decode()
    assert "Nguyễn Văn An" in page and "Đặng Thị Ngọc Hân" not in page
    page = client.get(reverse("support:grant-list"), {"funding": "state_budget"}).content.decode()
    assert "Đặng Thị Ngọc Hân" in page and "Nguyễn Văn An" not in page
    bad = client.get(reverse("support:grant-list"), {"date_from": "01/06/2025", "date_to": "01/01/2025"})
    assert "không được trước" in bad.content.decode()


def test_the_list_pages_by_25_and_htmx_gets_only_the_table(login, cast, geo, record_grant):
    for i in range(27):
        record_grant(person=PersonFactory(full_name=f"Người Thứ {i}", commune=geo["c1"]))
    client = login(cast.caseworker)
    page = client.get(reverse("support:grant-list")).content.decode()
    assert "Trang 1/2" in page and page.count("/support/grants/") >= 25
    fragment = client.get(reverse("support:grant-list"), {"page": 2}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "Trang 2/2" in fragment


def test_an_empty_list_says_so(login, cast, geo):
    page = login(cast.caseworker).get(reverse("support:grant-list")).content.decode()
    assert "Chưa có khoản hỗ trợ nào khớp bộ lọc" in page


def test_the_suggestion_shows_the_minimum_with_its_source(login, cast, geo):
    client = login(cast.caseworker)
    page = client.get(reverse("support:grant-suggest"),
                      {"kind": "emergency_funeral", "event_date": "30/06/2024"}).content.decode()
    assert "7.200.000 ₫" in page and "Mức tối thiểu theo quy định" in page and "Căn cứ" in page
    page = client.get(reverse("support:grant-suggest"),
                      {"kind": "emergency_funeral", "event_date": "01/07/2024"}).content.decode()
    assert "10.000.000 ₫" in page
    page = client.get(reverse("support:grant-suggest"), {"kind": "scholarship"}).content.decode()
    assert "3.600.000 ₫" in page and "cần xác minh" in page


def test_recording_a_grant_from_the_form(login, cast, people, media):
    client = login(cast.caseworker)
    response = client.post(reverse("support:grant-create"), {
        "person": people["han"].pk, "kind": "emergency_disaster_death", "given_on": "10/10/2025",
        "event_date": "05/10/2025", "amount": "25.000.000", "funding": "state_budget",
        "reason": "Chồng mất trong lũ", "received_by": "Đặng Thị Ngọc Hân", "received_on": "10/10/2025",
        "proof_file": SimpleUploadedFile("bn.pdf", b"%PDF-1.4\n" + b"1" * 50),
    })
    grant = Grant.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("support:grant-detail", args=[grant.pk])
    assert grant.amount == 25_000_000 and grant.has_proof_file


def test_the_form_keeps_what_was_typed_and_explains_the_minimum(login, cast, people):
    client = login(cast.caseworker)
    response = client.post(reverse("support:grant-create"), {
        "person": people["han"].pk, "kind": "emergency_funeral", "given_on": "10/10/2025",
        "event_date": "05/10/2025", "amount": "9.000.000", "funding": "state_budget", "reason": "Mẹ mất",
    })
    page = response.content.decode()
    assert response.status_code == 422 and not Grant.objects.exists()
    assert "Mức hỗ trợ tối thiểu theo quy định là 10.000.000 ₫" in page
    assert 'value="9.000.000"' in page and "Mẹ mất" in page and "Đặng Thị Ngọc Hân" in page


def test_an_unknown_case_number_is_a_field_error(login, cast, people):
    response = login(cast.caseworker).post(reverse("support:grant-create"), {
        "person": people["han"].pk, "kind": "livelihood", "given_on": "10/10/2025", "amount": "5000000",
        "funding": "state_budget", "reason": "x", "case_number": "HS-2025-999999"})
    assert response.status_code == 422 and "Không tìm thấy hồ sơ số HS-2025-999999" in response.content.decode()


def test_a_person_outside_the_area_cannot_be_forged_into_the_form(login, cast, people):
    response = login(cast.collaborator2).post(reverse("support:grant-create"), {
        "person": people["han"].pk, "kind": "livelihood", "given_on": "10/10/2025", "amount": "5000000",
        "funding": "state_budget", "reason": "x"})
    assert response.status_code == 422 and not Grant.objects.exists()
    assert "trong địa bàn bạn phụ trách" in response.content.decode()


def test_the_form_for_a_need_is_prefilled(login, cast, people):
    from ctxh.support import services

    need = services.need_identify(actor=cast.caseworker, person=people["han"], need_type=term("need_type", "wheelchair"),
                                  detail="Liệt hai chân")
    page = login(cast.caseworker).get(reverse("support:grant-create"), {"need": need.pk}).content.decode()
    assert "Đặng Thị Ngọc Hân" in page and 'value="goods" selected' in page and 'value="wheelchair" selected' in page


def test_opening_a_grant_is_access_logged(login, cast, people, record_grant):
    grant = record_grant(person=people["han"])
    page = login(cast.director).get(reverse("support:grant-detail", args=[grant.pk])).content.decode()
    assert "5.000.000 ₫" in page and "Hỗ trợ sinh kế" in page
    assert AccessEntry.objects.filter(actor=cast.director, object_id=str(grant.pk), person_id=people["han"].pk,
                                      purpose="support").exists()


def test_the_receipt_form_shows_a_conflict_and_keeps_the_input(login, cast, people, record_grant):
    from ctxh.support import services

    grant = record_grant(person=people["han"])
    services.grant_receipt_record(actor=cast.director, grant=grant, received_by="Người khác",
                                  received_on=D(2025, 3, 11), expected_version=1)
    response = login(cast.caseworker).post(reverse("support:grant-receipt", args=[grant.pk]), {
        "version": 1, "received_by": "Đặng Thị Ngọc Hân", "received_on": "12/03/2025"})
    page = response.content.decode()
    assert response.status_code == 409 and "người khác cập nhật" in page and "Đặng Thị Ngọc Hân" in page
    assert 'name="version" value="2"' in page


def test_the_household_picker_lists_households_by_code_and_member(login, cast, households):
    client = login(cast.caseworker)
    page = client.get(reverse("support:household-search"), {"hq": "an"}).content.decode()
    assert households["h1"].code in page and "Nguyễn Văn An" in page and 'name="household"' in page
    page = login(cast.collaborator2).get(reverse("support:household-search"), {"hq": households["h1"].code})
    assert "Không tìm thấy hộ nào khớp" in page.content.decode()
    assert f'value="{households["h1"].pk}"' not in page.content.decode()
