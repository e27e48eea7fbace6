"""The public portal: no login, no person, no hidden provider; light and cacheable on a slow link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PersonFactory
from tests.network.factories import ProviderFactory


def cache_directives(response) -> set[str]:
    return {d.strip() for d in response["Cache-Control"].split(",")}


PAGES = ["network_public:home", "network_public:hotlines", "network_public:providers", "network_public:handbook"]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_opens_without_login_and_may_be_cached(client, providers, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert cache_directives(response) == {"public", "max-age=300"}
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
    body = response.content.decode()
    assert "<script" not in body  # nothing needs JavaScript
    assert 'method="post"' not in body


def test_a_staff_browser_gets_a_private_copy_and_still_only_public_data(login, cast, providers):
    response = login(cast.director).get(reverse("network_public:providers"))
    assert cache_directives(response) == {"private", "max-age=300"}
    body = response.content.decode()
    assert "Nhà tạm lánh Bình Yên" not in body and "Trạm Y tế phường Đông Hà" in body


def test_home_puts_the_numbers_first_with_what_each_is_for(client, providers):
    body = client.get(reverse("network_public:home")).content.decode()
    for number, tel in (("111", "111"), ("1800 1769", "18001769"), ("113", "113"), ("115", "115")):
        assert f'href="tel:{tel}">{number}</a>' in body
    assert "Báo tin trẻ em bị bạo lực" in body
    assert body.index("tel:111") < body.index("Tìm nơi hỗ trợ gần bạn")
    assert 'href="/public/tracing/"' in body and reverse("network_public:handbook") in body


def test_the_hotline_page_lists_the_centre_lines_and_national_numbers(client, db):
    body = client.get(reverse("network_public:hotlines")).content.decode()
    assert "Tổng đài tư vấn miễn phí của Trung tâm CTXH Quảng Ninh" in body
    assert "Tư vấn chính sách trợ giúp xã hội" in body  # the purpose of 1800 1769
    assert body.count('href="tel:111"') == 1  # a line and its purpose note are one entry
    assert "Cấp cứu y tế" in body and "Cứu hỏa" in body


def test_the_directory_shows_public_active_providers_only(client, providers):
    body = client.get(reverse("network_public:providers"), {"province": 22}).content.decode()
    assert "Trung tâm Trợ giúp pháp lý nhà nước tỉnh" in body and "Trạm Y tế phường Đông Hà" in body
    assert "Nhà tạm lánh Bình Yên" not in body and "0203 3999 112" not in body
    assert "Nhóm Thiện Tâm" not in body
    assert "Bệnh viện Nhi Trung ương" not in body  # another province unless asked
    assert 'href="tel:02033835111"' in body


def test_it_searches_by_commune_service_and_words(client, geo, providers):
    url = reverse("network_public:providers")
    body = client.get(url, {"commune": geo["c2"].pk, "service": "health"}).content.decode()
    assert "Trạm Y tế phường Đông Hà" in body and "Trợ giúp pháp lý nhà nước" not in body
    body = client.get(url, {"commune": geo["c2"].pk}).content.decode()
    assert "Trạm Y tế phường Đông Hà" in body and "Trợ giúp pháp lý nhà nước" in body  # province-wide
    body = client.get(url, {"q": "phap ly"}).content.decode()
    assert "Trợ giúp pháp lý nhà nước" in body and "Trạm Y tế" not in body
    body = client.get(url, {"province": geo["other_province"].pk}).content.decode()
    assert "Bệnh viện Nhi Trung ương" in body
    body = client.get(url, {"service": "protection"}).content.decode()
    assert "Chưa tìm thấy đơn vị phù hợp" in body  # only the hidden shelter offers it


def test_nonsense_in_the_query_string_is_ignored(client, providers):
    response = client.get(reverse("network_public:providers"),
                          {"commune": "xyz", "service": "<script>", "province": "999", "page": "abc"})
    assert response.status_code == 200
    assert "Trung tâm Trợ giúp pháp lý nhà nước tỉnh" in response.content.decode()


def test_a_provider_page_is_public_only_for_public_active_providers(client, providers):
    body = client.get(reverse("network_public:provider", args=[providers["legal"].pk])).content.decode()
    assert "Trung tâm Trợ giúp pháp lý nhà nước tỉnh" in body and 'href="tel:19006198"' in body
    assert "Bà Đỗ Thị Quyên" not in body  # the contact person is a person: staff only
    for key in ("shelter", "closed"):
        assert client.get(reverse("network_public:provider", args=[providers[key].pk])).status_code == 404


def test_no_person_ever_appears_on_a_public_page(client, cast, geo, providers):
    person = PersonFactory(full_name="Hoàng Thị Bích Ngọc", commune=geo["c2"], phone="0987654321")
    pages = [reverse(n) for n in PAGES] + [
        reverse("network_public:providers") + f"?commune={geo['c2'].pk}",
        reverse("network_public:providers") + "?q=Hoang+Thi+Bich+Ngoc",
        reverse("network_public:provider", args=[providers["health"].pk]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert person.full_name not in body and person.phone not in body, url
        assert "Bà Đỗ Thị Quyên" not in body, url


def test_the_list_of_25_providers_stays_light_for_a_slow_link(client, geo):
    for i in range(30):
        ProviderFactory(
            name=f"Trung tâm Hỗ trợ cộng đồng số {i:02d} phường Cao Xanh", commune=geo["c2"],
            address_detail=f"Số {i + 100}, đường Nguyễn Văn Cừ, tổ 7 khu 4", phone="0203 3825 000",
            hotline="0912 345 678",
            services=["psych_support", "health_care", "legal_aid", "job_placement", "material_aid"],
            target_groups=["children", "elderly"])
    response = client.get(reverse("network_public:providers"))
    body = response.content
    assert body.decode().count('class="call"') >= 50  # 25 providers, each with two numbers
    print(f"public list of 25 providers: {len(body)} bytes")
    assert len(body) < 30_000, len(body)


def test_the_numbers_to_call_in_danger_are_the_rows_marked_urgent(client, db):
    from ctxh.core.models import Term

    body = client.get(reverse("network_public:hotlines")).content.decode()
    assert "Khi có người đang gặp nguy hiểm, gọi ngay 113 hoặc 115." in body
    fire = Term.objects.get(vocabulary="public_hotline", code="fire_114")
    fire.extra = {**fire.extra, "urgent": True}
    fire.save(update_fields=["extra"])
    body = client.get(reverse("network_public:hotlines")).content.decode()
    assert "gọi ngay 113 hoặc 115 hoặc 114." in body
