"""Adding and editing from the pages: managers only, input kept on errors, conflicts explained."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctxh.network import services
from ctxh.network.models import Provider
from tests.network.factories import ProviderFactory, term


def _post(geo, **over):
    data = {
        "name": "Trường THCS Cao Xanh — Phòng tư vấn tâm lý", "type": term("provider_type", "school_counselling").pk,
        "sector": "", "province": geo["province"].pk, "commune": geo["c2"].pk, "address_detail": "Tổ 3, khu 5",
        "phone": "0203 3812 345", "services": [term("provider_service", "psych_support").pk,
                                               term("provider_service", "life_skills").pk],
        "target_groups": [term("provider_target", "children").pk], "is_public": "on",
    }
    data.update(over)
    return data


def test_a_manager_adds_a_provider(login, cast, geo):
    response = login(cast.director).post(reverse("network:create"), _post(geo))
    provider = Provider.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("network:detail", args=[provider.pk])
    assert provider.sector.code == "education" and provider.commune == geo["c2"] and provider.is_public
    assert {s.code for s in provider.services.all()} == {"psych_support", "life_skills"}


def test_the_form_offers_the_grouped_services_and_the_communes(login, cast, geo):
    body = login(cast.director).get(reverse("network:create")).content.decode()
    assert "<legend>Tư vấn, tham vấn tâm lý</legend>" in body and "Trợ giúp pháp lý miễn phí" in body
    assert geo["c1"].name in body  # communes of the default province
    assert f'value="{geo["province"].pk}" selected' in body


def test_errors_keep_what_was_typed(login, cast, geo):
    response = login(cast.director).post(reverse("network:create"), _post(
        geo, phone="", hotline="", is_residential="on", address_detail="Tổ 3, khu 5, giữ nguyên"))
    assert response.status_code == 422
    body = response.content.decode()
    assert "Cần ít nhất một cách liên hệ" in body and "cần ghi số chỗ" in body
    assert "Tổ 3, khu 5, giữ nguyên" in body
    assert f'value="{term("provider_service", "life_skills").pk}" checked' in body
    assert not Provider.objects.exists()


@pytest.mark.parametrize("who", ["caseworker", "collaborator", "statistician", "outsider"])
def test_only_managers_open_the_forms(login, cast, geo, who):
    station = ProviderFactory(commune=geo["c1"])
    c = login(cast[who])
    assert c.get(reverse("network:create")).status_code == 403
    assert c.post(reverse("network:create"), _post(geo)).status_code == 403
    assert c.get(reverse("network:edit", args=[station.pk])).status_code == 403
    assert c.post(reverse("network:set-active", args=[station.pk]), {"confirmed": "on"}).status_code == 403
    assert not Provider.objects.filter(name__startswith="Trường THCS").exists()
    station.refresh_from_db()
    assert station.is_active


def test_anonymous_users_go_to_the_login_page(client, geo):
    station = ProviderFactory(commune=geo["c1"])
    for url in (reverse("network:create"), reverse("network:edit", args=[station.pk]),
                reverse("network:set-active", args=[station.pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_manager_of_another_province_cannot_edit_ours(login, geo, far_director):
    station = ProviderFactory(commune=geo["c1"])
    assert login(far_director).get(reverse("network:edit", args=[station.pk])).status_code == 403


def test_editing_shows_the_saved_values_and_saves(login, cast, geo):
    station = ProviderFactory(name="Trạm Y tế phường Hà Tu", commune=geo["c1"], services=["health_care"])
    c = login(cast.director)
    url = reverse("network:edit", args=[station.pk])
    body = c.get(url).content.decode()
    assert 'value="Trạm Y tế phường Hà Tu"' in body and 'name="version" value="1"' in body
    data = _post(geo, name="Trạm Y tế phường Hà Tu", type=station.type_id, commune=geo["c1"].pk, version=1,
                 hours="24/7")
    response = c.post(url, data)
    assert response.status_code == 302
    station.refresh_from_db()
    assert station.hours == "24/7" and station.version == 2


def test_a_conflict_shows_who_changed_what_and_keeps_the_input(login, cast, geo):
    station = ProviderFactory(name="Trạm Y tế phường Hà Tu", commune=geo["c1"])
    services.provider_update(actor=cast.admin, provider=station, expected_version=1, data={"hours": "Sáng 7h – 11h"})
    c = login(cast.director)
    url = reverse("network:edit", args=[station.pk])
    data = _post(geo, name="Trạm Y tế phường Hà Tu", type=station.type_id, commune=geo["c1"].pk, version=1,
                 hours="Cả ngày 7h – 17h")
    response = c.post(url, data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "đã được người khác sửa" in body and "Sáng 7h – 11h" in body and "Admin" in body
    assert 'value="Cả ngày 7h – 17h"' in body and 'name="version" value="2"' in body
    # Saving again is a deliberate overwrite.
    assert c.post(url, {**data, "version": 2}).status_code == 302
    station.refresh_from_db()
    assert station.hours == "Cả ngày 7h – 17h"
