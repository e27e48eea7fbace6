"""The staff directory page: search, filters, sort, 25 per page, htmx-swapped results, empty state."""

from __future__ import annotations

from django.urls import reverse

from tests.network.factories import ProviderFactory

URL = reverse("network:list")


def test_it_needs_a_login_and_the_capability(client, login, cast, providers):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    for who in ("statistician", "outsider"):
        assert login(cast[who]).get(URL).status_code == 403


def test_every_worker_searches_the_whole_directory(login, cast, providers):
    for who in ("collaborator", "facility", "counsellor", "far_worker"):
        response = login(cast[who]).get(URL)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Nhà tạm lánh Bình Yên" in body and "Không công khai" in body
        assert "Nhóm Thiện Tâm" not in body  # inactive: only with the status filter
        assert "+ Thêm đơn vị" not in body


def test_managers_see_the_add_button(login, cast, providers):
    assert "+ Thêm đơn vị" in login(cast.director).get(URL).content.decode()


def test_search_and_filters_come_from_the_query_string(login, cast, geo, providers):
    c = login(cast.caseworker)
    body = c.get(URL, {"q": "tro giup phap", "service": "legal"}).content.decode()
    assert "Trung tâm Trợ giúp pháp lý nhà nước tỉnh" in body and "Trạm Y tế phường Đông Hà" not in body
    body = c.get(URL, {"commune": geo["c2"].pk, "status": "all"}).content.decode()
    assert "Trạm Y tế phường Đông Hà" in body and "Bệnh viện Nhi Trung ương" not in body
    body = c.get(URL, {"status": "inactive"}).content.decode()
    assert "Nhóm Thiện Tâm (đã giải thể)" in body and "Đã ngừng" in body


def test_htmx_gets_only_the_results(login, cast, providers):
    response = login(cast.caseworker).get(URL, {"q": "tram y te"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "<form" not in body
    assert "Trạm Y tế phường Đông Hà" in body and "1 đơn vị" in body


def test_nothing_found_says_what_to_try(login, cast, providers):
    body = login(cast.caseworker).get(URL, {"q": "khong co don vi nao"}).content.decode()
    assert "Không có đơn vị nào khớp" in body and "0 đơn vị" in body


def test_it_pages_by_25_and_sorts(login, cast, geo):
    for i in range(30):
        ProviderFactory(name=f"Đơn vị {i:02d}", commune=geo["c1"])
    c = login(cast.caseworker)
    body = c.get(URL).content.decode()
    assert "Đơn vị 24" in body and "Đơn vị 25" not in body and "Trang 1/2" in body
    body = c.get(URL, {"page": 2}).content.decode()
    assert "Đơn vị 25" in body and "Đơn vị 29" in body and "Đơn vị 00" not in body
    body = c.get(URL, {"sort": "-name"}).content.decode()
    assert "Đơn vị 29" in body and "Đơn vị 04" not in body


def test_a_bad_filter_value_shows_the_error_not_a_crash(login, cast, providers):
    response = login(cast.caseworker).get(URL, {"service": "khong-co", "commune": "abc"})
    assert response.status_code == 200
    assert "panel bad" in response.content.decode()


def test_the_page_costs_the_same_queries_for_5_or_25_providers(login, cast, geo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login(cast.caseworker)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(URL).status_code == 200
        return len(ctx.captured_queries)

    for i in range(5):
        ProviderFactory(name=f"Đơn vị A{i}", commune=geo["c1"], services=["health_care"], target_groups=["anyone"])
    few = queries()
    for i in range(25):
        ProviderFactory(name=f"Đơn vị B{i}", commune=geo["c2"], services=["legal_aid"], target_groups=["elderly"])
    assert queries() == few
