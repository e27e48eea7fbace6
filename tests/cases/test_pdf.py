"""The printable case file: a PDF with the legal forms' sections, right Vietnamese glyphs, "MẬT" on every page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ctxh.audit.models import AccessEntry
from ctxh.cases import pdf, services
from tests.cases.conftest import put_at

# Fonts that draw Vietnamese stacked marks (ệ, ử, ỗ) correctly; never Liberation or DejaVu Sans Mono.
GOOD_FONTS = {"Noto Sans", "Noto Serif", "DejaVu Sans"}


@pytest.fixture
def full_case(cast, assigned_case, need, closure_reason):
    """A child-protection case that went through every step up to the closure request."""
    case = assigned_case(serious_risk=True, summary="Cô giáo Trường Tiểu học Hồng Hà báo: trẻ có vết bầm ở lưng.")
    services.case_transition(actor=cast.caseworker, case=case, code="start_initial_assessment")
    services.assessment_record(actor=cast.caseworker, case=case, kind="initial_risk", risk_level="high",
                               summary="Nguy cơ cao: người cha say rượu, đánh trẻ.", needs=[])
    services.case_transition(actor=cast.caseworker, case=case, code="start_detailed_assessment")
    services.assessment_record(actor=cast.caseworker, case=case, kind="detailed", risk_level="medium",
                               summary="Mẹ có khả năng bảo vệ; trẻ sợ hãi, mất ngủ.", needs=[
                                   {"domain": need("psychological"), "description": "Tham vấn sau sang chấn",
                                    "priority": 1},
                                   {"domain": need("education"), "description": "Giữ việc học", "priority": 2}])
    services.case_transition(actor=cast.caseworker, case=case, code="start_plan")
    plan = services.plan_save(actor=cast.caseworker, case=case, goals="Trẻ an toàn, được đi học đều đặn", items=[
        {"domain": need("psychological"), "action": "Tham vấn tâm lý hằng tuần", "responsible": cast.caseworker,
         "provider": "", "due_date": timezone.localdate()},
        {"domain": need("education"), "action": "Hỗ trợ học phí học kỳ II", "responsible": None,
         "provider": "Hội Khuyến học xã", "due_date": None}])
    services.plan_submit(actor=cast.caseworker, plan=plan)
    services.plan_approve(actor=cast.director, plan=plan)
    services.case_transition(actor=cast.caseworker, case=case, code="start_review")
    case.refresh_from_db()
    services.review_record(actor=cast.caseworker, case=case, reviewed_on=timezone.localdate(),
                           summary="Trẻ ổn định, ngủ ngon hơn.", risk_level="low", decision="close",
                           closure_reason=closure_reason("goals_met"), closure_outcome="Trẻ an toàn tại gia đình.")
    case.refresh_from_db()
    return case


def _page_texts(html: str) -> list[str]:
    """The text WeasyPrint lays out on each page (what the PDF draws)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    document = HTML(string=html).render()
    return [" ".join(b.text for b in page._page_box.descendants() if isinstance(b, boxes.TextBox))
            for page in document.pages]


def test_the_pdf_is_served_to_the_team_and_logged_as_a_print(login, cast, full_case):
    response = login(cast.caseworker).get(reverse("cases:pdf", args=[full_case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'{full_case.number}.pdf' in response["Content-Disposition"]
    assert AccessEntry.objects.filter(actor=cast.caseworker, object_id=str(full_case.pk), purpose="print").exists()


def test_the_pdf_is_refused_outside_the_case(login, client, cast, full_case, caseworker2):
    url = reverse("cases:pdf", args=[full_case.pk])
    assert client.get(url).status_code == 302
    for user, status in ((cast.statistician, 403), (cast.outsider, 403), (cast.collaborator2, 404),
                         (cast.far_worker, 404), (caseworker2, 404)):
        assert login(user).get(url).status_code == status
    assert not AccessEntry.objects.filter(purpose="print").exists()


def test_the_file_has_the_sections_the_forms_ask_for(cast, full_case):
    case, html = pdf.case_file_html(user=cast.director, pk=full_case.pk)
    for section in ("Thông tin về đối tượng", "Tiếp nhận thông tin, thông báo", "Mẫu số 01",
                    "Đánh giá nguy cơ ban đầu", "Mẫu số 02", "Đánh giá chi tiết, nhu cầu theo lĩnh vực", "Mẫu số 03",
                    "Kế hoạch hỗ trợ, can thiệp", "Mẫu số 04, 05", "Tổ chức thực hiện, theo dõi, rà soát",
                    "Mẫu số 06", "Đóng hồ sơ"):
        assert section in html, section
    for fact in ("Lò Thị Hoa", "02/04/2016", "Nữ", "Cô giáo Trường Tiểu học Hồng Hà", "Counsellor",
                 "Nguy cơ cao: người cha say rượu", "Tham vấn sau sang chấn", "Ưu tiên cao",
                 "Trẻ an toàn, được đi học đều đặn", "Hội Khuyến học xã", "Director",
                 "Trẻ ổn định, ngủ ngon hơn.", "Thấp", "Đã đạt mục tiêu kế hoạch", "Trẻ an toàn tại gia đình.",
                 "MẬT", case.number, timezone.localdate().strftime("%d/%m/%Y")):
        assert fact in html, fact


def test_every_page_is_marked_confidential_with_the_case_number(cast, full_case):
    _case, html = pdf.case_file_html(user=cast.director, pk=full_case.pk)
    pages = _page_texts(html)
    assert len(pages) >= 2
    for text in pages:
        assert "MẬT" in text and full_case.number in text and "In ngày" in text
    assert "Lò Thị Hoa" in pages[0] and "Đánh giá nguy cơ ban đầu" in " ".join(pages)


def test_the_vietnamese_text_is_drawn_with_fonts_that_have_every_glyph(cast, full_case):
    from weasyprint import HTML

    _case, html = pdf.case_file_html(user=cast.director, pk=full_case.pk)
    document = HTML(string=html).render()
    document.write_pdf()
    families = {font.family for font in document.fonts.values()}
    assert families and families <= GOOD_FONTS, families
    assert all(not font.missing for font in document.fonts.values())


def test_a_case_with_nothing_yet_still_prints(login, cast, assigned_case):
    case = put_at(assigned_case(), "intake")
    response = login(cast.director).get(reverse("cases:pdf", args=[case.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    _case, html = pdf.case_file_html(user=cast.director, pk=case.pk)
    assert "Chưa có đánh giá nguy cơ ban đầu." in html and "Chưa có kế hoạch." in html
