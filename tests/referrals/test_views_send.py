"""Sending a referral from the case page or the call page: the form, the provider chooser, the link shown once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctxh.referrals.models import Referral, ReferralLink
from tests.factories import PersonFactory
from tests.referrals.factories import ConsentFactory, ProviderFactory


def _form(provider, **extra):
    return {"person": "", "provider": provider.pk, "reason": "Trẻ cần tư vấn tâm lý sau sự việc bạo lực.",
            "urgency": "routine", **extra}


def test_the_case_page_offers_to_refer_and_lists_the_referrals(login, cast, case, refer):
    referral = refer()
    html = login(cast.caseworker).get(reverse("cases:detail", kwargs={"pk": case.pk})).content.decode()
    assert f'href="/referrals/new/?case={case.pk}"' in html
    assert referral.number in html and "Trung tâm Tư vấn Hoa Sen" in html


def test_the_form_shows_whether_the_person_consented(login, cast, case, consent):
    html = login(cast.caseworker).get(reverse("referrals:new"), {"case": case.pk}).content.decode()
    assert "Đã đồng ý" in html and "Lò Thị Hoa" in html


def test_the_form_warns_when_there_is_no_consent(login, cast, case):
    html = login(cast.caseworker).get(reverse("referrals:new"), {"case": case.pk}).content.decode()
    assert "Chưa đồng ý" in html and reverse("people:detail", args=[case.person_id]) in html


def test_sending_to_a_provider_without_account_shows_the_link_once(login, cast, case, consent, provider,
                                                                   counselling):
    client = login(cast.caseworker)
    data = _form(provider, case=case.pk, person=case.person_id, services=[counselling.pk])
    response = client.post(reverse("referrals:new"), data)
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("referrals:link-issued",
                                                                           kwargs={"pk": referral.pk})
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "http://testserver/referrals/r/" in html and page["Cache-Control"] == "private, no-store"
    assert ReferralLink.objects.get(referral=referral).is_active
    again = client.get(response["Location"]).content.decode()  # a reload cannot show the token again
    assert "/referrals/r/" not in again and "không xem lại được" in again


def test_sending_to_a_provider_with_an_account_goes_to_the_referral(login, cast, case, consent, account_provider):
    response = login(cast.caseworker).post(reverse("referrals:new"), _form(account_provider, case=case.pk,
                                                                           person=case.person_id))
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referrals:detail", kwargs={"pk": referral.pk})


def test_without_consent_the_form_keeps_what_was_typed_and_says_why(login, cast, case, provider):
    data = _form(provider, case=case.pk, person=case.person_id, reason="Nội dung tôi đã gõ")
    response = login(cast.caseworker).post(reverse("referrals:new"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "chưa có sự đồng ý còn hiệu lực" in html and "Nội dung tôi đã gõ" in html
    assert "Trung tâm Tư vấn Hoa Sen" in html  # the chosen provider stays chosen
    assert not Referral.objects.exists()


def test_the_emergency_exception_from_the_form(login, cast, case, provider):
    data = _form(provider, case=case.pk, person=case.person_id, emergency="on",
                 emergency_reason="Trẻ bị đe dọa tính mạng, cần chỗ ở an toàn ngay.")
    response = login(cast.caseworker).post(reverse("referrals:new"), data)
    assert response.status_code == 302
    assert Referral.objects.get().consent_basis == "emergency"


def test_a_provider_must_be_chosen(login, cast, case, consent):
    data = {"case": case.pk, "person": case.person_id, "reason": "x", "urgency": "routine"}
    response = login(cast.caseworker).post(reverse("referrals:new"), data)
    assert response.status_code == 422 and "Chọn đơn vị nhận chuyển gửi." in response.content.decode()


def test_the_provider_chooser_finds_by_name_service_and_commune(login, cast, geo, provider, account_provider,
                                                                 counselling, legal_aid):
    ProviderFactory(name="Trung tâm đã ngừng", commune=geo["c1"], is_active=False)
    client = login(cast.caseworker)
    url = reverse("referrals:provider-search")
    assert "Trung tâm Tư vấn Hoa Sen" in client.get(url, {"q": "hoa sen"}).content.decode()
    by_service = client.get(url, {"service": "t_legal"}).content.decode()
    assert "Bệnh viện Sản Nhi" in by_service and "Hoa Sen" not in by_service
    by_group = client.get(url, {"service": "t_psych"}).content.decode()  # the group finds its services
    assert "Hoa Sen" in by_group and "Bệnh viện" not in by_group
    by_commune = client.get(url, {"commune": geo["c2"].pk}).content.decode()
    assert "Bệnh viện Sản Nhi" in by_commune and "Hoa Sen" not in by_commune
    assert "đã ngừng" not in client.get(url, {"q": "trung tam"}).content.decode()
    assert "Không tìm thấy" in client.get(url, {"q": "khong co don vi nao"}).content.decode()


def test_referring_from_a_call_picks_one_of_its_people(login, cast, geo, make_call, provider):
    mother = PersonFactory(full_name="Lò Thị Mai", commune=geo["c1"])
    father = PersonFactory(full_name="Lò Văn Sáng", commune=geo["c1"], sex="male")
    ConsentFactory(person=mother)
    call = make_call([mother, father])
    client = login(cast.counsellor)
    html = client.get(reverse("hotline:detail", args=[call.pk])).content.decode()
    assert f'href="/referrals/new/?call={call.pk}"' in html
    page = client.get(reverse("referrals:new"), {"call": call.pk}).content.decode()
    assert "Lò Thị Mai" in page and "Lò Văn Sáng" in page
    response = client.post(reverse("referrals:new"), _form(provider, call=call.pk, person=mother.pk))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.call == call and referral.person == mother and referral.case is None
    assert referral.number in client.get(reverse("hotline:detail", args=[call.pk])).content.decode()


@pytest.mark.parametrize("user", ["collaborator2", "far_worker"])
def test_a_case_outside_ones_area_cannot_be_referred(login, cast, case, consent, provider, user):
    client = login(cast[user])
    assert client.get(reverse("referrals:new"), {"case": case.pk}).status_code == 404
    assert client.post(reverse("referrals:new"), _form(provider, case=case.pk)).status_code == 404
    assert not Referral.objects.exists()


def test_roles_that_do_not_refer_cannot_open_the_form(login, cast, case):
    for user in ("statistician", "admin", "outsider"):
        assert login(cast[user]).get(reverse("referrals:new"), {"case": case.pk}).status_code == 403


def test_the_form_needs_a_case_or_a_call(login, cast):
    assert login(cast.caseworker).get(reverse("referrals:new")).status_code == 404


def test_the_chooser_offers_a_provincial_unit_for_any_commune_like_the_directory(login, cast, geo, provider):
    ProviderFactory(name="Quỹ Bảo trợ trẻ em tỉnh", commune=geo["c2"], province=geo["province"], serves_province=True)
    ProviderFactory(name="Nhà văn hóa xã hai", commune=geo["c2"])
    page = login(cast.caseworker).get(reverse("referrals:provider-search"), {"commune": geo["c1"].pk}).content.decode()
    assert "Quỹ Bảo trợ trẻ em tỉnh" in page and "Trung tâm Tư vấn Hoa Sen" in page
    assert "Nhà văn hóa xã hai" not in page
