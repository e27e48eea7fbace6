"""The printable handbook of addresses: a real PDF, right Vietnamese text, public providers only."""

from __future__ import annotations

from django.urls import reverse

from ctxh.network import handbook
from tests.factories import PersonFactory
from tests.network.pdftext import page_texts, squeeze

URL = reverse("network_public:handbook-pdf")
GOOD_FONTS = {"Noto Sans", "Noto Serif", "DejaVu Sans"}


def test_it_is_a_pdf_with_the_public_providers_of_the_province(client, geo, providers):
    response = client.get(URL, {"province": 22})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="so-tay-dia-chi-quang-ninh.pdf"' in response["Content-Disposition"]
    assert "public" in response["Cache-Control"]
    pages = page_texts(response.content)
    text = squeeze(" ".join(pages))
    assert squeeze("SỔ TAY ĐỊA CHỈ CÁC NƠI CUNG CẤP DỊCH VỤ CÔNG TÁC XÃ HỘI") in squeeze(pages[0])
    assert squeeze("Tổng đài quốc gia bảo vệ trẻ em") in squeeze(pages[0])
    for name in ("Trung tâm Trợ giúp pháp lý nhà nước tỉnh", "Trạm Y tế phường Đông Hà", "0203 3835 111",
                 "Trợ giúp pháp lý miễn phí", "Tra cứu theo dịch vụ"):
        assert squeeze(name) in text, name
    for hidden in ("Nhà tạm lánh Bình Yên", "0203 3999 112", "Nhóm Thiện Tâm", "Bệnh viện Nhi Trung ương",
                   "Đỗ Thị Quyên"):
        assert squeeze(hidden) not in text, hidden


def test_a_commune_booklet_has_its_own_and_the_provincial_providers(client, geo, providers):
    response = client.get(URL, {"province": 22, "commune": geo["c1"].pk})
    text = squeeze(" ".join(page_texts(response.content)))
    assert squeeze(geo["c1"].name) in text
    assert squeeze("Trung tâm Trợ giúp pháp lý nhà nước tỉnh") in text  # province-wide
    assert squeeze("Trạm Y tế phường Đông Hà") not in text  # another commune


def test_the_index_points_to_the_page_of_each_provider(geo, providers):
    html = handbook.handbook_html(province_id=22, commune_id=None)
    assert f'href="#p{providers["legal"].pk}"' in html and f'id="p{providers["legal"].pk}"' in html


def test_the_vietnamese_text_is_drawn_with_fonts_that_have_every_glyph(geo, providers):
    from weasyprint import HTML

    document = HTML(string=handbook.handbook_html(province_id=22, commune_id=None)).render()
    document.write_pdf()
    families = {font.family for font in document.fonts.values()}
    assert families and families <= GOOD_FONTS, families
    assert all(not font.missing for font in document.fonts.values())


def test_no_person_is_printed(client, geo, providers):
    PersonFactory(full_name="Hoàng Thị Bích Ngọc", commune=geo["c1"])
    text = squeeze(" ".join(page_texts(client.get(URL, {"commune": geo["c1"].pk}).content)))
    assert squeeze("Hoàng Thị Bích Ngọc") not in text


def test_an_empty_place_still_prints_the_numbers(client, geo, providers):
    response = client.get(URL, {"province": geo["other_province"].pk, "commune": geo["far"].pk})
    text = squeeze(" ".join(page_texts(response.content)))
    assert squeeze("Bệnh viện Nhi Trung ương") in text
    response = client.get(URL, {"province": 4})  # Cao Bằng: nothing listed yet
    text = squeeze(" ".join(page_texts(response.content)))
    assert squeeze("Chưa có đơn vị nào được công khai ở địa bàn này") in text and "113" in text


def test_the_booklet_follows_edits(client, cast, geo, providers):
    from ctxh.network import services

    first = client.get(URL).content
    services.provider_update(actor=cast.director, provider=providers["health"], expected_version=1,
                             data={"name": "Trạm Y tế phường Đông Hà (mới)"})
    text = squeeze(" ".join(page_texts(client.get(URL).content)))
    assert squeeze("Trạm Y tế phường Đông Hà (mới)") in text
    assert client.get(URL).content != first


def test_the_choice_page_lists_the_communes_of_the_chosen_province(client, geo):
    body = client.get(reverse("network_public:handbook")).content.decode()
    assert geo["c1"].name in body and 'action="/public/handbook.pdf"' in body
    body = client.get(reverse("network_public:handbook"), {"province": geo["other_province"].pk}).content.decode()
    assert geo["far"].name in body and geo["c1"].name not in body


def test_one_address_may_have_only_so_many_new_booklets_built_an_hour(client, geo, providers, monkeypatch):
    monkeypatch.setattr(handbook, "RENDERS_PER_HOUR", 1)
    first = client.get(URL, {"province": 22})
    assert first.status_code == 200
    # The same booklet again is already built: free.
    assert client.get(URL, {"province": 22}).status_code == 200
    refused = client.get(URL, {"province": 22, "commune": geo["c1"].pk})
    assert refused.status_code == 429 and "thử lại sau ít phút" in refused.content.decode()
    assert "no-store" in refused["Cache-Control"] and "public" not in refused["Cache-Control"]
    # Another address is not held back by the first.
    from django.test import Client

    assert Client(REMOTE_ADDR="198.51.100.30").get(URL, {"province": 22, "commune": geo["c1"].pk}).status_code == 200


def test_the_hourly_allowance_is_counted_in_the_database_for_every_process(client, geo, providers):
    from ctxh.network.models import HandbookRenderCount

    assert client.get(URL, {"province": 22}).status_code == 200
    assert client.get(URL, {"province": 22, "commune": geo["c1"].pk}).status_code == 200
    row = HandbookRenderCount.objects.get()
    assert row.count == 2 and len(row.client) >= 16  # the address itself is never stored
    assert "127.0.0.1" not in row.client
