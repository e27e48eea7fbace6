"""/api/v1/providers: the public reads public providers; staff read all; managers write (409/422 in Vietnamese)."""

from __future__ import annotations

import pytest

from ctxh.accounts.services import token_create
from ctxh.network.models import Provider
from tests.api.conftest import JsonClient, errors_by_field
from tests.network.factories import ProviderFactory

STAFF_FIELDS = ("contact_person", "is_public", "is_active", "organization_id", "version", "updated_at")


@pytest.fixture
def api(client):
    def _as(user):
        if user is not None:
            client.force_login(user)
        else:
            client.logout()
        return JsonClient(client)

    return _as


def names(response):
    return sorted(p["name"] for p in response.json()["items"])


def test_anonymous_callers_read_public_active_providers_and_public_fields(api, providers):
    response = api(None).get("/providers", {"province": 22})
    assert response.status_code == 200
    assert names(response) == ["Trung tâm Trợ giúp pháp lý nhà nước tỉnh", "Trạm Y tế phường Đông Hà"]
    legal = next(p for p in response.json()["items"] if p["name"].startswith("Trung tâm"))
    assert legal["phone"] == "0203 3835 111" and legal["type"] == {"code": "legal_aid", "name": "Trung tâm Trợ giúp pháp lý nhà nước"}
    assert {s["code"] for s in legal["services"]} == {"legal_aid", "civil_papers"}
    assert legal["serves_province"] is True and legal["province"]["code"] == 22
    assert all(legal[f] is None for f in STAFF_FIELDS)
    assert "Đỗ Thị Quyên" not in response.content.decode()
    assert api(None).get(f"/providers/{providers['shelter'].pk}").status_code == 404
    assert api(None).get(f"/providers/{providers['closed'].pk}").status_code == 404
    assert api(None).get(f"/providers/{providers['legal'].pk}").json()["contact_person"] is None


def test_an_outsider_reads_what_the_public_reads(api, cast, providers):
    response = api(cast.outsider).get("/providers", {"status": "all", "public": False})
    assert "Nhà tạm lánh Bình Yên" not in response.content.decode()
    assert len(response.json()["items"]) == 3
    assert api(cast.statistician).get(f"/providers/{providers['shelter'].pk}").status_code == 404


def test_staff_read_every_provider_and_the_staff_fields(api, cast, providers):
    c = api(cast.collaborator)
    response = c.get("/providers", {"status": "all"})
    assert response.json()["count"] == 5
    shelter = c.get(f"/providers/{providers['shelter'].pk}").json()
    assert shelter["is_public"] is False and shelter["capacity"] == 12 and shelter["version"] == 1
    assert c.get(f"/providers/{providers['legal'].pk}").json()["contact_person"] == "Bà Đỗ Thị Quyên"


def test_filters_work_the_same_as_on_the_pages(api, cast, geo, providers):
    c = api(cast.caseworker)
    assert names(c.get("/providers", {"service": "legal"})) == ["Trung tâm Trợ giúp pháp lý nhà nước tỉnh"]
    assert names(c.get("/providers", {"q": "tram y te dong ha"})) == ["Trạm Y tế phường Đông Hà"]
    assert names(c.get("/providers", {"commune": geo["c2"].pk, "type": "commune_health"})) == [
        "Trạm Y tế phường Đông Hà"]
    page = c.get("/providers", {"limit": 2, "offset": 2, "sort": "name"}).json()
    assert page["count"] == 4 and len(page["items"]) == 2


def test_unknown_filter_codes_are_refused_in_vietnamese(api, providers):
    response = api(None).get("/providers", {"service": "khong-co", "sort": "gia"})
    assert response.status_code == 422
    assert errors_by_field(response)["service"] == ["Không có mã “khong-co” trong danh mục."]


def test_a_bad_token_is_401_not_the_public_view(client, providers):
    response = client.get("/api/v1/providers", headers={"Authorization": "Bearer sai-khoa"})
    assert response.status_code == 401


def test_a_token_gives_the_staff_view(client, cast, providers):
    _token, key = token_create(actor=cast.caseworker, name="Ứng dụng thử")
    response = JsonClient(client, key).get("/providers", {"public": False})
    assert names(response) == ["Nhà tạm lánh Bình Yên"]


def test_the_list_costs_a_fixed_number_of_queries(api, cast, geo, django_assert_max_num_queries):
    for i in range(20):
        ProviderFactory(name=f"Đơn vị {i}", commune=geo["c1"], services=["health_care"], target_groups=["anyone"])
    c = api(cast.caseworker)
    with django_assert_max_num_queries(14):
        assert len(c.get("/providers", {"limit": 50}).json()["items"]) == 20


BODY = {
    "name": "Trung tâm Dịch vụ việc làm Quảng Ninh", "type": "employment_centre", "province": 22,
    "phone": "0203 3828 555", "services": ["job_placement", "vocational_training"], "target_groups": ["disability"],
}


def test_a_manager_creates_a_provider(api, cast, geo):
    response = api(cast.director).post("/providers", {**BODY, "commune": geo["c1"].pk})
    assert response.status_code == 201
    data = response.json()
    assert data["sector"]["code"] == "labour" and data["version"] == 1 and data["is_public"] is True
    assert Provider.objects.get(pk=data["id"]).created_by == cast.director


def test_creating_reports_errors_per_field_in_vietnamese(api, cast, geo):
    response = api(cast.director).post("/providers", {**BODY, "phone": "", "services": ["khong-co"]})
    assert response.status_code == 422
    assert errors_by_field(response) == {"services": ["Không có mã “khong-co” trong danh mục."]}
    response = api(cast.director).post("/providers", {**BODY, "phone": "", "commune": geo["far"].pk})
    errors = errors_by_field(response)
    assert errors["phone"] == ["Cần ít nhất một cách liên hệ: điện thoại, đường dây nóng hoặc thư điện tử."]
    assert errors["commune"] == ["Xã/phường này không thuộc tỉnh đã chọn."]
    response = api(cast.director).post("/providers", {"name": "X"})
    assert response.status_code == 422 and "type" in errors_by_field(response)


def test_writing_needs_the_manage_capability(api, cast, providers):
    assert api(None).post("/providers", BODY).status_code == 401
    for who in ("caseworker", "outsider", "statistician"):
        assert api(cast[who]).post("/providers", BODY).status_code == 403
        assert api(cast[who]).patch(f"/providers/{providers['legal'].pk}", {"version": 1, "hours": "x"}).status_code == 403
    assert api(None).patch(f"/providers/{providers['legal'].pk}", {"version": 1}).status_code == 401
    assert not Provider.objects.filter(name=BODY["name"]).exists()


def test_patch_changes_what_is_sent_and_needs_the_version(api, cast, providers):
    c = api(cast.director)
    url = f"/providers/{providers['health'].pk}"
    assert c.patch(url, {"hours": "24/7"}).status_code == 422  # version missing
    response = c.patch(url, {"version": 1, "hours": "24/7", "services": ["health_care"]})
    assert response.status_code == 200
    assert response.json()["version"] == 2 and response.json()["hours"] == "24/7"
    assert [s["code"] for s in response.json()["services"]] == ["health_care"]
    assert response.json()["phone"] == "0203 3600 222"  # untouched
    conflict = c.patch(url, {"version": 1, "hours": "7h – 17h"})
    assert conflict.status_code == 409
    assert "đã được người khác sửa" in conflict.json()["detail"]
    assert conflict.json()["changes"][0]["to"] == "24/7"


def test_patch_deactivates_and_the_public_loses_it(api, cast, providers):
    url = f"/providers/{providers['health'].pk}"
    response = api(cast.director).patch(url, {"version": 1, "is_active": False})
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert api(None).get(url).status_code == 404


def test_a_manager_of_another_province_cannot_patch_ours(api, providers, far_director):
    assert api(far_director).patch(f"/providers/{providers['legal'].pk}", {"version": 1, "hours": "x"}).status_code == 403
