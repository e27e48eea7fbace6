"""The pages as staff use them: find, propose, decide, stop; generate, pay line by line, close, correct, export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ctxh.assistance import services
from ctxh.assistance.models import ArrearsItem, Entitlement, PaymentList, PaymentRun
from ctxh.core.models import Rule
from tests.assistance.factories import entitled

MONTH = dt.date(2025, 9, 1)


def test_the_entitlement_list_filters_and_searches(login, cast, geo):
    entitled(geo["c1"], name="Nguyễn Thị Lan")
    entitled(geo["c1"], name="Phạm Văn Đức", status="proposed")
    entitled(geo["c2"], name="Mai Văn Sáu")
    c = login(cast.director)
    page = c.get(reverse("assistance:entitlement-list")).content.decode()
    assert "Nguyễn Thị Lan" in page and "Mai Văn Sáu" in page and "3 hồ sơ hưởng" in page
    page = c.get(reverse("assistance:entitlement-list"), {"q": "duc", "status": "proposed"},
                 HTTP_HX_REQUEST="true").content.decode()
    assert "Phạm Văn Đức" in page and "Nguyễn Thị Lan" not in page and "<html" not in page
    page = c.get(reverse("assistance:entitlement-list"), {"commune": geo["c2"].pk}).content.decode()
    assert "Mai Văn Sáu" in page and "Nguyễn Thị Lan" not in page
    empty = c.get(reverse("assistance:entitlement-list"), {"q": "khong ai"}).content.decode()
    assert "Không có hồ sơ hưởng trợ cấp nào" in empty


def test_a_collaborator_proposes_from_the_persons_page(login, cast, disabled):
    c = login(cast.collaborator)
    url = reverse("assistance:person-entitlements", args=[disabled.pk])
    page = c.get(url).content.decode()
    assert "Người khuyết tật nặng" in page and "750.000" in page
    assert "Cách tính, từng bước" in page and "Gửi đề nghị" in page
    response = c.post(reverse("assistance:entitlement-propose", args=[disabled.pk]), {
        "group": "d20_5_7_severe_adult", "commune": disabled.commune_id, "payment_method": "cash"})
    ent = Entitlement.objects.get(person=disabled)
    assert response.status_code == 302 and response["Location"] == reverse("assistance:entitlement-detail",
                                                                           args=[ent.pk])
    assert ent.status == "proposed" and ent.proposed_by == cast.collaborator
    assert "Gửi đề nghị" not in c.get(url).content.decode()  # already proposed: nothing more to offer


def test_a_bank_proposal_without_account_keeps_the_input(login, cast, disabled):
    c = login(cast.collaborator)
    response = c.post(reverse("assistance:entitlement-propose", args=[disabled.pk]), {
        "group": "d20_5_7_severe_adult", "commune": disabled.commune_id, "payment_method": "bank",
        "bank_name": "Agribank", "note": "Ghi chú của tôi"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "cần số tài khoản" in page and "Ghi chú của tôi" in page and "Agribank" in page


def test_the_director_records_the_decision_and_then_the_stop(login, cast, geo):
    ent = entitled(geo["c1"], name="Trần Văn Hòa", status="proposed")
    c = login(cast.director)
    url = reverse("assistance:entitlement-decide", args=[ent.pk])
    form = c.get(url).content.decode()
    assert "Chủ tịch UBND xã/phường" in form  # the title in force today, pre-filled
    bad = c.post(url, {"approve": "yes", "number": "", "signed_on": "05/08/2025", "signer_name": "Lê Văn A",
                       "version": ent.version})
    assert bad.status_code == 422 and "Lê Văn A" in bad.content.decode()
    ok = c.post(url, {"approve": "yes", "number": "12/QĐ-UBND", "signed_on": "05/08/2025",
                      "signer_name": "Lê Văn A", "effective_on": "01/08/2025", "version": ent.version})
    assert ok.status_code == 302
    ent.refresh_from_db()
    assert ent.status == "active" and ent.start_on == dt.date(2025, 8, 1)
    detail = c.get(reverse("assistance:entitlement-detail", args=[ent.pk])).content.decode()
    assert "12/QĐ-UBND" in detail and "Đang hưởng" in detail and "750.000" in detail
    stale = c.post(url, {"approve": "yes", "number": "13/QĐ", "signed_on": "05/08/2025", "signer_name": "B",
                         "version": 1})
    assert stale.status_code in (409, 422)
    stop = c.post(reverse("assistance:entitlement-stop", args=[ent.pk]), {
        "reason": "death", "stop_on": "10/09/2025", "number": "20/QĐ-UBND", "signed_on": "15/09/2025",
        "signer_name": "Lê Văn A", "version": ent.version})
    assert stop.status_code == 302
    ent.refresh_from_db()
    assert ent.status == "stopped" and ent.stop_reason == "death"


def test_a_list_is_generated_paid_line_by_line_closed_and_corrected(login, cast, geo):
    lan = entitled(geo["c1"], name="Nguyễn Thị Lan")
    entitled(geo["c1"], name="Vũ Văn Hải", coefficient="2.5", group="d20_5_1_under4", label="Trẻ em dưới 4 tuổi")
    collab = login(cast.collaborator)
    response = collab.post(reverse("assistance:payment-generate"), {"commune": geo["c1"].pk, "month": "09/2025"})
    plist = PaymentList.objects.get(commune=geo["c1"], month=MONTH)
    assert response.status_code == 302 and response["Location"] == reverse("assistance:payment-detail",
                                                                           args=[plist.pk])
    page = collab.get(response["Location"]).content.decode()
    assert "Nguyễn Thị Lan" in page and "Trẻ em dưới 4 tuổi" in page and "2.000.000" in page
    assert "Tổng theo diện hưởng" in page
    line = plist.lines.get(entitlement=lan)
    paid = collab.post(reverse("assistance:payment-line-paid", args=[plist.pk, line.pk]), {"paid": "1"},
                       HTTP_HX_REQUEST="true")
    assert paid.status_code == 200 and "Đã chi" in paid.content.decode() and paid["HX-Trigger"] == "payment-totals"
    totals = collab.get(reverse("assistance:payment-detail", args=[plist.pk]), {"part": "totals"},
                        HTTP_HX_REQUEST="true").content.decode()
    assert "1/2" in totals
    unpaid = collab.get(reverse("assistance:payment-detail", args=[plist.pk]), {"paid": "no"},
                        HTTP_HX_REQUEST="true").content.decode()
    assert "Vũ Văn Hải" in unpaid and "Nguyễn Thị Lan" not in unpaid

    director = login(cast.director)
    close_url = reverse("assistance:payment-close", args=[plist.pk])
    assert "sau khi khóa" in director.get(close_url).content.decode()
    plist.refresh_from_db()
    assert director.post(close_url, {"version": plist.version}).status_code == 422  # not confirmed
    assert director.post(close_url, {"version": plist.version, "confirm": "on"}).status_code == 302
    plist.refresh_from_db()
    assert plist.is_closed

    collab = login(cast.collaborator)
    refused = collab.post(reverse("assistance:payment-line-paid", args=[plist.pk, line.pk]), {"paid": "0"},
                          HTTP_HX_REQUEST="true")
    assert "đã khóa" in refused.content.decode()
    assert plist.lines.get(pk=line.pk).paid_at is not None
    again = collab.post(reverse("assistance:payment-generate"), {"commune": geo["c1"].pk, "month": "09/2025"})
    assert again.status_code == 422 and "đã khóa" in again.content.decode()

    fix = collab.post(reverse("assistance:payment-correction", args=[plist.pk]), {
        "line": line.position, "amount_delta": "-750000", "arrears_delta": "0", "reason": "Nhận trùng"})
    corr = PaymentList.objects.get(corrects=plist)
    assert fix.status_code == 302 and corr.lines.get().correction_of == line
    assert "Nhận trùng" in collab.get(reverse("assistance:payment-detail", args=[corr.pk])).content.decode()


def test_exports_download(login, cast, geo):
    entitled(geo["c1"])
    plist = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=MONTH)
    c = login(cast.collaborator)
    xlsx = c.get(reverse("assistance:payment-xlsx", args=[plist.pk]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK" and "2025-09" in xlsx["Content-Disposition"]
    pdf = c.get(reverse("assistance:payment-pdf", args=[plist.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_arrears_page_computes_and_lists(login, cast, geo):
    ent = entitled(geo["c1"], name="Nguyễn Thị Lan")
    Rule.objects.filter(key="assistance.base_level", valid_from=dt.date(2024, 7, 1)).delete()
    plist = services.payment_list_generate(actor=cast.director, commune=geo["c1"], month=dt.date(2024, 8, 1))
    services.payment_list_close(actor=cast.director, payment_list=plist)
    Rule.objects.create(key="assistance.base_level", valid_from=dt.date(2024, 7, 1), value=500_000,
                        source="Nghị định 76/2024/NĐ-CP")
    c = login(cast.collaborator)
    response = c.post(reverse("assistance:arrears-compute"), {"commune": geo["c1"].pk}, follow=True)
    assert "Đã tính 1 khoản truy lĩnh" in response.content.decode()
    assert ArrearsItem.objects.get(entitlement=ent).difference == 210_000
    page = c.get(reverse("assistance:arrears-list")).content.decode()
    assert "Nguyễn Thị Lan" in page and "210.000" in page and "chờ danh sách tiếp theo" in page


def test_the_province_run_shows_its_progress_and_the_workbook(login, cast, geo, settings, tmp_path,
                                                              django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    entitled(geo["c1"])
    entitled(geo["c2"], name="Mai Văn Sáu")
    c = login(cast.director)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("assistance:payment-run-start"), {"month": "09/2025"})
    run = PaymentRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("assistance:payment-run", args=[run.pk])
    status = c.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "Hoàn tất" in status and "2/2" in status and "every 2s" not in status
    download = c.get(reverse("assistance:payment-run-download", args=[run.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    assert PaymentList.objects.filter(month=MONTH).count() == 2


def test_decisions_are_listed_and_shown(login, cast, geo):
    ent = entitled(geo["c1"], name="Nguyễn Thị Lan")
    c = login(cast.collaborator)
    page = c.get(reverse("assistance:decision-list")).content.decode()
    assert ent.start_decision.number in page
    detail = c.get(reverse("assistance:decision-detail", args=[ent.start_decision.pk])).content.decode()
    assert "Nguyễn Thị Lan" in detail and "Chủ tịch UBND huyện" in detail


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_payment_method_is_changed_with_the_version(login, cast, geo):
    ent = entitled(geo["c1"])
    c = login(cast.collaborator)
    url = reverse("assistance:entitlement-payment", args=[ent.pk])
    assert "Hình thức nhận" in c.get(url).content.decode()
    assert c.post(url, {"payment_method": "bank", "version": ent.version}).status_code == 422
    ok = c.post(url, {"payment_method": "bank", "bank_account": "1234 5678 9012", "bank_name": "BIDV",
                      "version": ent.version})
    assert ok.status_code == 302
    ent.refresh_from_db()
    assert (ent.payment_method, ent.bank_account, ent.bank_name) == ("bank", "123456789012", "BIDV")
    stale = c.post(url, {"payment_method": "cash", "version": ent.version - 1})
    assert stale.status_code == 409 and "người khác cập nhật" in stale.content.decode()


def test_the_person_page_says_when_nothing_is_paid(login, cast, geo):
    from tests.factories import PersonFactory

    person = PersonFactory(full_name="Lê Văn Khỏe", commune=geo["c1"], birth_date=dt.date(1990, 1, 1))
    page = login(cast.collaborator).get(reverse("assistance:person-entitlements", args=[person.pk])).content.decode()
    assert "chưa thuộc diện hưởng" in page and "Gửi đề nghị" not in page


def test_the_payment_lists_page_offers_the_province_run_to_province_staff_only(login, cast):
    assert "Lập toàn tỉnh" in login(cast.director).get(reverse("assistance:payment-list")).content.decode()
    page = login(cast.collaborator).get(reverse("assistance:payment-list")).content.decode()
    assert "Lập danh sách một xã" in page and "Lập toàn tỉnh" not in page


def test_the_decision_scan_is_served_to_the_commune_only(login, cast, geo):
    from django.core.files.base import ContentFile

    ent = entitled(geo["c1"])
    d = ent.start_decision
    d.document.save("qd-15.pdf", ContentFile(b"%PDF-1.7 quyet dinh"))
    url = reverse("assistance:decision-document", args=[d.pk])
    response = login(cast.collaborator).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert login(cast.collaborator2).get(url).status_code == 404


def test_a_draft_list_warns_of_people_recorded_dead_before_its_month(login, cast, geo):
    gone = entitled(geo["c1"], name="Đinh Văn Mất")
    entitled(geo["c1"], name="Lò Thị Sống")
    gone.person.status, gone.person.death_date = "deceased", dt.date(2025, 8, 20)
    gone.person.save(update_fields=["status", "death_date"])
    plist = services.payment_list_generate(actor=cast.director, commune=geo["c1"], month=dt.date(2025, 9, 1))
    page = login(cast.director).get(reverse("assistance:payment-detail", args=[plist.pk])).content.decode()
    assert "1 người trong danh sách đã được ghi là đã mất trước tháng này." in page
    assert "Đinh Văn Mất — mất ngày 20/08/2025" in page
    assert reverse("assistance:entitlement-stop", args=[gone.pk]) in page
    assert "Lò Thị Sống —" not in page
    august = services.payment_list_generate(actor=cast.director, commune=geo["c1"], month=dt.date(2025, 8, 1))
    assert "đã mất trước tháng này" not in login(cast.director).get(
        reverse("assistance:payment-detail", args=[august.pk])).content.decode()  # the month of death is paid
